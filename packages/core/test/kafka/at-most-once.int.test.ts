import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import type { ConsumedRecord } from '@isobar/core'
import { createTestTopic, testKafkaClient } from '@isobar/testing'

test('an at-most-once consumer has committed past a record before handing it out: a crash skips, never repeats', async (t) => {
  const topic = await createTestTopic(t, { partitions: 1, prefix: 'at-most-once' })
  const client = testKafkaClient()
  const producer = client.producer()
  await producer.send(Array.from({ length: 50 }, (_, i) => ({ topic, value: Buffer.from(String(i)) })))
  await producer.close()
  const groupId = `at-most-once-${randomUUID()}`
  const admin = client.admin()
  t.after(() => admin.close())

  const first = client.consumer({ groupId, topics: [topic], from: 'earliest', atMostOnce: true })
  let seen: ConsumedRecord | undefined
  try {
    for await (const record of first) {
      seen = record
      // The record is in our hands but not processed: the group's committed offset is already past it.
      const committed = await admin.groupOffsets(groupId)
      assert.ok(committed[0] !== undefined && committed[0].offset > record.offset, 'committed before handed out')
      break // the crash
    }
  } finally {
    await first.close()
  }
  assert.equal(seen?.offset, 0n)
  const committed = (await admin.groupOffsets(groupId))[0]!.offset

  // The first consumer took a whole fetch (here all 50); one more record gives the restarted one something to read.
  const late = client.producer()
  await late.send([{ topic, value: Buffer.from('late') }])
  await late.close()
  const second = client.consumer({ groupId, topics: [topic], from: 'earliest', autocommitMs: false })
  try {
    for await (const record of second) {
      // The restarted consumer resumes after everything the first one took: record 0 is never handed out again.
      assert.equal(record.offset, committed)
      break
    }
  } finally {
    await second.close()
  }
  await admin.deleteGroup(groupId).catch(() => undefined)
})

test('atMostOnce without a group is refused at construction', () => {
  assert.throws(() => testKafkaClient().consumer({ topics: ['t'], atMostOnce: true }), /atMostOnce needs a groupId/)
})
