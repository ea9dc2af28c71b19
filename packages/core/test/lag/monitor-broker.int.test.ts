import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { Registry } from 'prom-client'
import { createTestTopic, testKafkaClient } from '@isobar/testing'
import { registerLagMetrics } from '../../src/lag/metrics.ts'
import { LagMonitor } from '../../src/lag/monitor.ts'

test('LagMonitor on the real broker: a stopped group is STOP where it lags, OK where caught up', async (t) => {
  const client = testKafkaClient()
  const admin = client.admin()
  t.after(() => admin.close())
  const topic = await createTestTopic(t, { partitions: 2, prefix: 'lag-monitor' })
  const group = `lag-monitor-${randomUUID().slice(0, 8)}`
  const producer = client.producer()
  const send = (partition: number, count: number) =>
    producer.send(Array.from({ length: count }, (_, i) => ({ topic, partition, value: Buffer.from(`${i}`) })))
  await send(0, 3)
  await send(1, 2)

  // Consume and commit everything, leave the group, then let partition 0 fall behind.
  const consumer = client.consumer({ groupId: group, topics: [topic], from: 'earliest', autocommitMs: false })
  let seen = 0
  for await (const record of consumer) {
    await consumer.commit([record])
    if (++seen === 5) break
  }
  await consumer.close()
  t.after(() => admin.deleteGroup(group).catch(() => undefined))
  await send(0, 4)
  await producer.close()

  const monitor = new LagMonitor({ admin, groups: [group], windowSize: 5, intervalMs: 100 })
  t.after(() => monitor.stop())
  const registry = new Registry()
  registerLagMetrics(registry, monitor)
  monitor.start()

  // Members may take a moment to disappear from describeGroup after the leave: poll, bounded.
  const deadline = Date.now() + 15_000
  while (monitor.snapshot()[0]?.status !== 'STOP' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  const [snapshot] = monitor.snapshot()
  assert.equal(
    snapshot?.status,
    'STOP',
    JSON.stringify(snapshot, (_k, v: unknown) => String(v)),
  )
  assert.equal(snapshot?.activeMembers, 0)
  assert.deepEqual(
    snapshot?.partitions.map((p) => [p.partition, p.committedOffset, p.lag, p.status]),
    [
      [0, 3n, 4n, 'STOP'],
      [1, 2n, 0n, 'OK'],
    ],
  )
  assert.ok((snapshot?.partitions[0]?.lagSeconds ?? -1) >= 0)

  const text = await registry.metrics()
  const labels = (partition: number) => `group="${group}",topic="${topic}",partition="${partition}"`
  assert.ok(text.includes(`isobar_consumer_lag_records{${labels(0)}} 4`), text)
  assert.ok(text.includes(`isobar_consumer_lag_records{${labels(1)}} 0`))
  assert.ok(text.includes(`isobar_consumer_lag_status{${labels(0)}} 3`))
  assert.ok(text.includes(`isobar_consumer_lag_status{${labels(1)}} 0`))
  assert.match(text, new RegExp(`isobar_consumer_lag_seconds\\{${labels(0)}\\} \\d`))
  assert.ok(text.includes(`isobar_consumer_group_status{group="${group}"} 3`))
  assert.ok(text.includes(`isobar_consumer_lag_sample_failures_total{group="${group}"} 0`))

  await monitor.stop()
  assert.equal(monitor.failures, 0)
})
