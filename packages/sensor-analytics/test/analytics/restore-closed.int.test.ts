import assert from 'node:assert/strict'
import { it } from 'node:test'
import { createMetricsRegistry } from '@isobar/core'
import { createTestTopic, testKafkaClient, uniqueTopicName } from '@isobar/testing'
import { createSensorAnalytics } from '../../src/analytics/app.ts'
import { parseSensorAnalyticsConfig } from '../../src/analytics/config.ts'
import type { TestReading } from './helpers.ts'
import { cleanUpServiceTopics, readAggregates, readAllCommitted, readingRecords, waitUntil } from './service-helpers.ts'

const PANE_MS = 1000

it(
  'a pane closed by the idle timeout stays closed after a restart: a reading for it is late, not a second pane (issue #10)',
  { timeout: 120_000 },
  async (t) => {
    const kafka = testKafkaClient()
    const readings = await createTestTopic(t, { partitions: 1, prefix: 'analytics-in' })
    const aggregates = await createTestTopic(t, { partitions: 1, prefix: 'analytics-agg' })
    const deadLetter = await createTestTopic(t, { partitions: 1, prefix: 'analytics-dlq' })
    const applicationId = uniqueTopicName('analytics-reclosed')
    cleanUpServiceTopics(t, applicationId)
    const config = parseSensorAnalyticsConfig({
      applicationId,
      guarantee: 'exactly-once',
      from: 'earliest',
      topics: { readings, aggregates, deadLetter, partitions: 1 },
      windowing: { paneMs: PANE_MS, hopSizeMs: 5 * PANE_MS, graceMs: 200, idleMs: 2000 },
      commitIntervalMs: 200,
      sessionTimeoutMs: 6000,
      alerts: { enabled: false },
    })
    const start = async () => {
      const analytics = await createSensorAnalytics({ config, kafka, metrics: createMetricsRegistry('analytics-test') })
      await analytics.start()
      let stopped: Promise<void> | undefined
      const stop = () => (stopped ??= analytics.stop())
      t.after(stop)
      assert.ok(await waitUntil(() => analytics.isReady(), 30_000), 'service ready')
      return { stop }
    }
    // One partition, so A's and B's readings share stream time; a minute back, so none is ahead of the clock.
    const pane = Math.floor(Date.now() / PANE_MS) * PANE_MS - 60 * PANE_MS
    const reading = (sensorId: string, sequence: number, eventTimeMs: number): TestReading => ({
      sensorId,
      zoneId: 'z',
      sequence,
      eventTimeMs,
      ingestTimeMs: eventTimeMs,
      temperatureC: 20 + sequence,
      relativeHumidityPct: 50,
    })
    const producer = kafka.producer()
    t.after(() => producer.close())
    const panesOf = async (sensorId: string, windowStartMs: number) =>
      (await readAggregates(kafka, aggregates)).filter(
        (r) =>
          r.sensorId === sensorId &&
          r.windowKind === 'tumbling' &&
          r.field === 'temperatureC' &&
          r.windowStartMs === windowStartMs,
      )

    const first = await start()
    await producer.send(readingRecords(readings, [reading('mote:a', 1, pane + 100), reading('mote:a', 2, pane + 200)]))
    // Stream time stays at pane + 200: only the idle timeout closes A's pane.
    assert.ok(
      await waitUntil(async () => (await panesOf('mote:a', pane)).length > 0, 30_000),
      "A's pane closed on idle",
    )
    await first.stop()

    await start() // restores the pane stage from its changelog
    await producer.send(
      readingRecords(readings, [reading('mote:a', 3, pane + 300), reading('mote:b', 1, pane + 5 * PANE_MS)]),
    )
    // B's reading moves stream time past A's pane: a pane re-opened by A's third reading would close with it.
    assert.ok(
      await waitUntil(async () => (await panesOf('mote:b', pane + 5 * PANE_MS)).length > 0, 30_000),
      "B's pane closed on idle",
    )
    const rows = await panesOf('mote:a', pane)
    assert.deepEqual(
      rows.map((r) => r.count),
      [2],
      "A's pane once, with the readings before it closed",
    )
    const late = (await readAllCommitted(kafka, `${applicationId}-late`)).map((r) => r.value!.toString())
    assert.equal(late.length, 1, 'the reading for the closed pane went to the late topic')
    assert.equal((JSON.parse(late[0]!) as TestReading).sequence, 3)
  },
)
