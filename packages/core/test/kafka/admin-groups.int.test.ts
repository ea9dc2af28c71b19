import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import type { Consumer, KafkaClient } from '@isobar/core'
import { createTestTopic, testKafkaClient } from '@isobar/testing'

/** Produces `count` records to partition 0 with timestamps one second apart, starting at `start`. */
async function produce(client: KafkaClient, topic: string, count: number, start: number): Promise<void> {
  const producer = client.producer()
  try {
    await producer.send(
      Array.from({ length: count }, (_, i) => ({
        topic,
        partition: 0,
        value: Buffer.from(JSON.stringify({ i })),
        timestamp: start + i * 1000,
      })),
    )
  } finally {
    await producer.close()
  }
}

/** A KIP-848 group member that consumed and committed `count` records; it stays in the group until closed. */
async function consumeAndCommit(client: KafkaClient, groupId: string, topic: string, count: number): Promise<Consumer> {
  const consumer = client.consumer({ groupId, topics: [topic], from: 'earliest', autocommitMs: false })
  let seen = 0
  for await (const record of consumer) {
    await consumer.commit([record])
    if (++seen >= count) break
  }
  return consumer
}

test('group admin: describe a KIP-848 group, lag in offsets and seconds, reset refused while active', async (t) => {
  const client = testKafkaClient()
  const admin = client.admin()
  t.after(() => admin.close())
  const topic = await createTestTopic(t, { partitions: 2, prefix: 'admin-groups' })
  const groupId = `admin-groups-${randomUUID().slice(0, 8)}`
  const start = Date.now() - 120_000
  await produce(client, topic, 10, start)
  const consumer = await consumeAndCommit(client, groupId, topic, 4)
  let closed = false
  t.after(async () => {
    if (!closed) await consumer.close()
    await admin.deleteGroup(groupId).catch(() => undefined)
  })

  const listed = (await admin.listGroups()).find((g) => g.groupId === groupId)
  assert.equal(listed?.type, 'consumer')
  const described = await admin.describeGroup(groupId)
  assert.equal(described.type, 'consumer')
  assert.equal(described.members.length, 1)
  assert.deepEqual(described.members[0]?.assignment, [{ topic, partitions: [0, 1] }])
  assert.deepEqual(await admin.groupOffsets(groupId), [{ topic, partition: 0, offset: 4n }])

  const lag = await admin.groupLag(groupId)
  const p0 = lag.find((r) => r.partition === 0)
  assert.equal(p0?.lag, 6n)
  assert.equal(p0?.nextRecordTimestamp, start + 4000)
  assert.ok(p0.lagSeconds !== null && p0.lagSeconds >= 115, `lagSeconds ${p0.lagSeconds}`)
  // Partition 1 is assigned but has no commit: no lag figure rather than a made-up one.
  assert.equal(lag.find((r) => r.partition === 1)?.lag, null)

  await assert.rejects(admin.resetGroupOffsets(groupId, topic, { to: 'earliest' }), {
    code: 'ISOBAR_CORE_GROUP_ACTIVE',
  })
  await assert.rejects(admin.deleteGroup(groupId), { code: 'ISOBAR_CORE_GROUP_ACTIVE' })
  await consumer.close()
  closed = true

  const reset = await admin.resetGroupOffsets(groupId, topic, { to: 'timestamp', timestamp: start + 7500 })
  assert.deepEqual(
    reset.map((r) => [r.partition, r.offset]),
    [
      [0, 8n],
      [1, 0n],
    ],
  )
  assert.equal((await admin.groupLag(groupId)).find((r) => r.partition === 0)?.lag, 2n)
  await admin.resetGroupOffsets(groupId, topic, { to: 'latest' }, { partitions: [0] })
  const caughtUp = (await admin.groupLag(groupId)).find((r) => r.partition === 0)
  assert.equal(caughtUp?.lag, 0n)
  assert.equal(caughtUp?.lagSeconds, 0)

  await admin.deleteGroup(groupId)
  await assert.rejects(admin.describeGroup(groupId), { code: 'ISOBAR_CORE_GROUP_NOT_FOUND' })
  await assert.rejects(admin.deleteGroup(groupId), { code: 'ISOBAR_CORE_GROUP_NOT_FOUND' })
})

test('readRecords reads a bounded range by offset, by timestamp, and the newest records', async (t) => {
  const client = testKafkaClient()
  const admin = client.admin()
  t.after(() => admin.close())
  const topic = await createTestTopic(t, { partitions: 1, prefix: 'admin-read' })
  const start = Date.now() - 60_000
  await produce(client, topic, 20, start)

  const byOffset = await admin.readRecords({ topic, partition: 0, from: { offset: 5n }, limit: 3 })
  assert.deepEqual(
    byOffset.records.map((r) => r.offset),
    [5n, 6n, 7n],
  )
  assert.equal(byOffset.nextOffset, 8n)
  assert.deepEqual(JSON.parse(byOffset.records[0]?.value?.toString() ?? ''), { i: 5 })
  assert.equal(byOffset.records[0]?.timestamp, start + 5000)

  const byTime = await admin.readRecords({ topic, partition: 0, from: { timestamp: start + 16_500 }, limit: 10 })
  assert.deepEqual(
    byTime.records.map((r) => r.offset),
    [17n, 18n, 19n],
  )
  const newest = await admin.readRecords({ topic, partition: 0, from: 'latest', limit: 2 })
  assert.deepEqual(
    newest.records.map((r) => r.offset),
    [18n, 19n],
  )
  const future = await admin.readRecords({ topic, partition: 0, from: { timestamp: Date.now() + 3_600_000 }, limit: 5 })
  assert.equal(future.records.length, 0)
  await assert.rejects(admin.readRecords({ topic, partition: 3, from: 'earliest', limit: 1 }), {
    code: 'ISOBAR_CORE_INVALID_ARGUMENT',
  })
  await assert.rejects(admin.readRecords({ topic: `${topic}-missing`, partition: 0, from: 'earliest', limit: 1 }), {
    code: 'ISOBAR_CORE_TOPIC_NOT_FOUND',
  })
})
