/**
 * A group that is not a consumer group (here protocol type "connect", as a Kafka Connect worker's) must be listed
 * and described, not crash the process: the client's own describeGroups decoded its metadata as the consumer
 * protocol and threw out of a callback, which ended the Admin API as soon as `npm start` ran Kafka Connect.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Connection, FindCoordinatorKeyTypes, joinGroupV9, syncGroupV5, leaveGroupV5, Admin } from '@platformatic/kafka'
import { testBootstrapServers, testKafkaClient, uniqueTopicName } from '@isobar/testing'
import { consumerAssignment } from '../../src/kafka/platformatic/admin-group-describe.ts'

test('a non-consumer group (Kafka Connect-like) is listed and described without its metadata decoded', async (t) => {
  const groupId = uniqueTopicName('connect-like-group')
  const bootstrap = testBootstrapServers()
  const plt = new Admin({ clientId: 'foreign-group-test', bootstrapBrokers: [bootstrap] })
  const [coordinator] = await plt.findCoordinator({ keyType: FindCoordinatorKeyTypes.GROUP, keys: [groupId] })
  await plt.close()
  const connection = new Connection('foreign-group-test')
  await connection.connect(coordinator!.host, coordinator!.port)
  // Bytes that are not the consumer protocol (Connect's own metadata format would be here).
  const metadata = Buffer.from('\u0000\u0001{"url":"http://127.0.0.1:8083","configOffset":7}')
  const joined = await joinGroupV9.api.async(
    connection,
    groupId,
    30_000,
    30_000,
    '',
    'worker-1',
    'connect',
    [{ name: 'sessioned', metadata }],
    null,
  )
  await syncGroupV5.api.async(
    connection,
    groupId,
    joined.generationId,
    joined.memberId,
    'worker-1',
    'connect',
    'sessioned',
    [{ memberId: joined.memberId, assignment: Buffer.from('\u0000\u0001not-a-consumer-assignment') }],
  )
  t.after(async () => {
    await leaveGroupV5.api.async(connection, groupId, [{ memberId: joined.memberId, groupInstanceId: 'worker-1' }])
    await connection.close()
  })

  const kafka = testKafkaClient()
  const admin = kafka.admin()
  t.after(() => admin.close())
  const listed = (await admin.listGroups()).find((g) => g.groupId === groupId)
  assert.equal(listed?.protocolType, 'connect')
  const described = await admin.describeGroup(groupId)
  assert.equal(described.type, 'classic')
  assert.equal(described.protocol, 'sessioned')
  assert.deepEqual(
    described.members.map((m) => [m.instanceId, m.clientId, m.assignment]),
    [['worker-1', 'foreign-group-test', []]],
  )
})

test('consumerAssignment: bytes that do not decode give no assignment instead of an exception', () => {
  assert.deepEqual(consumerAssignment(Buffer.alloc(0)), [])
  assert.deepEqual(consumerAssignment(Buffer.from([0, 1, 0, 0, 0, 9, 0xff])), [])
})
