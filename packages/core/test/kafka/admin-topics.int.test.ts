import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { TopicNotFoundError } from '@isobar/core'
import { testKafkaClient } from '@isobar/testing'

test('describing a topic while it is created or deleted answers it or "not found", never a broker failure', async (t) => {
  const client = testKafkaClient()
  const admin = client.admin()
  const watcher = client.admin() // a second client, as the console and the CLI are
  t.after(() => Promise.all([admin.close(), watcher.close()]))
  const outcomes = { described: 0, notFound: 0 }
  for (let round = 0; round < 8; round++) {
    const topic = `admin-topics-race-${randomUUID().slice(0, 8)}`
    const created = admin.createTopics([{ name: topic, partitions: 6 }])
    const during = watcher.describeTopics([topic]).then(
      () => outcomes.described++,
      (error: unknown) => {
        assert.ok(error instanceof TopicNotFoundError, `while creating: ${String(error)}`)
        outcomes.notFound++
      },
    )
    await Promise.all([created, during])
    const deleted = admin.deleteTopics([topic])
    for (let i = 0; i < 3; i++) {
      try {
        const [description] = await watcher.describeTopics([topic])
        assert.equal(description?.name, topic)
        outcomes.described++
      } catch (error) {
        assert.ok(error instanceof TopicNotFoundError, `while deleting: ${String(error)}`)
        outcomes.notFound++
      }
    }
    await deleted
  }
  assert.equal(outcomes.described + outcomes.notFound, 32)
})

test('a topic created with a replica assignment has exactly those partitions and replicas', async (t) => {
  const admin = testKafkaClient().admin()
  const { brokers } = await admin.describeCluster()
  const node = brokers[0]!.nodeId
  const topic = `admin-topics-assigned-${randomUUID().slice(0, 8)}`
  await admin.createTopics([{ name: topic, replicaAssignment: [[node], [node], [node]] }])
  t.after(async () => {
    await admin.deleteTopics([topic])
    await admin.close()
  })
  const [description] = await admin.describeTopics([topic])
  assert.deepEqual(
    description?.partitions.map((p) => ({ partition: p.partition, replicas: p.replicas })),
    [0, 1, 2].map((partition) => ({ partition, replicas: [node] })),
  )
})
