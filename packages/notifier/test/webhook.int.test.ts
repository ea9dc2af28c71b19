import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { alertEventRecord } from '@isobar/alerts'
import { createMetricsRegistry, silentLogger } from '@isobar/core'
import {
  DEDUP_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  buildNotifier,
  parseNotifierConfig,
  verifySignature,
} from '@isobar/notifier'
import { createTestTopic, testKafkaClient } from '@isobar/testing'
import { alertEvent, startReceiver, waitFor, type ReceivedRequest } from './helpers.ts'

const SECRET = 'test-webhook-secret-0123456789'

test('direct webhook: retries a failing receiver, signs every attempt, loses nothing and duplicates nothing across a restart', async (t) => {
  const sensors = await createTestTopic(t, { prefix: 'notifier-sensors' })
  const weather = await createTestTopic(t, { prefix: 'notifier-weather' })
  const groupId = `notifier-${randomUUID().slice(0, 8)}`

  // The receiver: checks the signature, processes each dedup key once; fails the first two attempts it ever sees,
  // and in 'process-then-hang-up' mode processes a delivery but drops the connection before answering.
  let mode: 'normal' | 'process-then-hang-up' = 'normal'
  const processed = new Map<string, unknown>()
  const duplicates: string[] = []
  /** Dedup keys answered 200, in order. */
  const answered: string[] = []
  const badSignatures: ReceivedRequest[] = []
  const receiver = await startReceiver((request, index) => {
    const timestamp = String(request.headers[TIMESTAMP_HEADER])
    if (!verifySignature(SECRET, timestamp, request.body, String(request.headers[SIGNATURE_HEADER]))) {
      badSignatures.push(request)
      return 401
    }
    if (index === 0) return 500
    if (index === 1) return 'hang-up'
    const key = String(request.headers[DEDUP_HEADER])
    if (processed.has(key)) duplicates.push(key)
    else processed.set(key, JSON.parse(request.body))
    if (mode === 'process-then-hang-up') return 'hang-up'
    answered.push(key)
    return 200
  })
  t.after(() => receiver.close())

  const config = parseNotifierConfig({
    topics: { sensors, weather },
    groupId,
    startFrom: 'earliest',
    webhook: { url: `${receiver.url}/hooks/isobar`, secret: SECRET },
    retry: { initialMs: 50, maxMs: 400 },
    requestTimeoutMs: 5000,
    metricsPort: 0,
  })
  const start = () => {
    const metrics = createMetricsRegistry('notifier', { runtimeMetrics: false })
    const notifier = buildNotifier({ config, kafka: testKafkaClient(), metrics, logger: silentLogger() })
    notifier.start()
    return { notifier, metrics }
  }

  const producer = testKafkaClient().producer()
  t.after(() => producer.close())
  const fired = alertEvent({ alertId: 'a-1' })
  const acked = alertEvent({ alertId: 'a-1', change: 'acknowledged', notify: false, acknowledgedBy: 'ops' })
  const gust = alertEvent({
    alertId: 'w-1',
    ruleId: 'gust',
    entityId: 'KSEA',
    severity: 'warning',
    message: 'gust 30 m/s',
  })
  await producer.send([
    alertEventRecord(sensors, fired),
    alertEventRecord(sensors, acked),
    alertEventRecord(weather, gust),
  ])

  const first = start()
  t.after(() => first.notifier.stop())
  await waitFor(() => processed.size === 2, 120_000, 'the two notifications')
  const firstKey = String(receiver.requests[0]?.headers[DEDUP_HEADER])
  // The failed attempts and the success carried the same key and the same body.
  assert.deepEqual(
    receiver.requests.slice(0, 3).map((r) => [r.headers[DEDUP_HEADER], r.body]),
    Array.from({ length: 3 }, () => [firstKey, receiver.requests[0]?.body]),
  )
  assert.deepEqual(badSignatures, [])
  const bodies = [...processed.values()] as Record<string, unknown>[]
  const sensor = bodies.find((b) => b.source === 'sensors')
  assert.equal(sensor?.rule, 'temperature-high')
  assert.equal(sensor?.state, 'firing')
  assert.equal(sensor?.site, 's01')
  assert.equal(sensor?.zone, 's01.z2')
  assert.equal(sensor?.sensor, 'sim:s01.z2.temperature-00042')
  assert.equal(bodies.find((b) => b.source === 'weather')?.station, 'KSEA')
  assert.match(
    await first.metrics.metrics(),
    /isobar_notifier_delivery_failures_total\{channel="webhook",service="notifier"\} 2/,
  )
  assert.match(await first.metrics.metrics(), /isobar_notifier_skipped_total\{reason="not_news",service="notifier"\} 1/)

  // The receiver now processes the next delivery but never answers: the notifier keeps retrying, commits nothing.
  mode = 'process-then-hang-up'
  const resolved = alertEvent({
    alertId: 'a-1',
    state: 'resolved',
    change: 'resolved',
    eventTimeMs: fired.eventTimeMs + 60_000,
  })
  await producer.send([alertEventRecord(sensors, resolved)])
  await waitFor(() => processed.size === 3 && duplicates.length >= 1, 120_000, 'the resolved notification and a retry')
  await first.notifier.stop()
  const beforeRestart = receiver.requests.length
  const answeredBefore = answered.length

  // Restarted in the same group: the uncommitted transition is sent again with the same dedup key (the receiver
  // answers it now), and nothing committed before is sent again.
  mode = 'normal'
  const second = start()
  t.after(() => second.notifier.stop())
  await waitFor(() => answered.slice(answeredBefore).length > 0, 120_000, 'the delivery after the restart')
  await second.notifier.stop()
  const resolvedKey = [...processed.entries()].find(([, b]) => (b as { state: string }).state === 'resolved')?.[0]
  const afterRestart = receiver.requests.slice(beforeRestart)
  assert.ok(afterRestart.length >= 1)
  assert.deepEqual(new Set(afterRestart.map((r) => r.headers[DEDUP_HEADER])), new Set([resolvedKey]))
  assert.equal(processed.size, 3, 'each transition processed once')
  assert.deepEqual(new Set(duplicates), new Set([resolvedKey]))
  assert.deepEqual(answered.slice(answeredBefore), [resolvedKey])
  assert.deepEqual(badSignatures, [])
})
