import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { createTestTopic, testKafkaClient } from '@isobar/testing'
import { testApp } from '../helpers.ts'

test('group lag route: one-sample status, STOP where a group without members lags, OK where caught up', async (t) => {
  const { call, cleanup } = testApp(t)
  const client = testKafkaClient()
  const topic = await createTestTopic(t, { partitions: 2, prefix: 'console-lag-status' })
  const group = `console-lag-status-${randomUUID().slice(0, 8)}`
  const producer = client.producer()
  await producer.send([0, 0, 1].map((partition, i) => ({ topic, partition, value: Buffer.from(`${i}`) })))
  const consumer = client.consumer({ groupId: group, topics: [topic], from: 'earliest', autocommitMs: false })
  let seen = 0
  for await (const record of consumer) {
    await consumer.commit([record])
    if (++seen === 3) break
  }
  await consumer.close()
  cleanup(() => call('DELETE', `/api/groups/${group}`))
  await producer.send([{ topic, partition: 0, value: Buffer.from('late') }])
  await producer.close()

  // The member can linger a moment after leaving: poll, bounded by a deadline (not an attempt count, which a
  // loaded machine can use up before the coordinator catches up).
  let lag = await call('GET', `/api/groups/${group}/lag`)
  for (const deadline = Date.now() + 30_000; Date.now() < deadline && lag.json.status !== 'STOP';) {
    await new Promise((resolve) => setTimeout(resolve, 250))
    lag = await call('GET', `/api/groups/${group}/lag`)
  }
  assert.equal(lag.status, 200)
  assert.equal(lag.json.status, 'STOP')
  assert.deepEqual(
    (lag.json.partitions as Array<{ partition: number; lag: number; status: string }>).map((p) => [
      p.partition,
      p.lag,
      p.status,
    ]),
    [
      [0, 1, 'STOP'],
      [1, 0, 'OK'],
    ],
  )
})
