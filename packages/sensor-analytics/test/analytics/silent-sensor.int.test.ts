import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { it } from 'node:test'
import { createMetricsRegistry } from '@isobar/core'
import { alertKey, decodeAlertEvent, type AlertEvent } from '@isobar/alerts'
import { createTestTopic, testKafkaClient, uniqueTopicName } from '@isobar/testing'
import { createSensorAnalytics } from '../../src/analytics/app.ts'
import { parseSensorAnalyticsConfig } from '../../src/analytics/config.ts'
import { idsPerPartition, type TestReading } from './helpers.ts'
import { cleanUpServiceTopics, readAggregates, readAllCommitted, readingRecords, waitUntil } from './service-helpers.ts'

const PANE_MS = 1000
const IDLE_MS = 2000
const RULES = `rules:
  - id: silent
    type: stale
    description: No reading for 3 seconds
    after: 3s
    severity: warning
`

it(
  "a silent sensor's last pane is published after the idle timeout, and its stale alert fires, then resolves",
  { timeout: 60_000 },
  async (t) => {
    const kafka = testKafkaClient()
    const readings = await createTestTopic(t, { partitions: 2, prefix: 'analytics-in' })
    const aggregates = await createTestTopic(t, { partitions: 2, prefix: 'analytics-agg' })
    const deadLetter = await createTestTopic(t, { partitions: 1, prefix: 'analytics-dlq' })
    const alerts = await createTestTopic(t, { partitions: 1, prefix: 'analytics-alerts' })
    const commands = await createTestTopic(t, { partitions: 1, prefix: 'analytics-cmd' })
    const dir = await mkdtemp(join(tmpdir(), 'analytics-rules-'))
    t.after(() => rm(dir, { recursive: true, force: true }))
    const rulesFile = join(dir, 'rules.yaml')
    await writeFile(rulesFile, RULES)
    const applicationId = uniqueTopicName('analytics-idle')
    cleanUpServiceTopics(t, applicationId)
    const config = parseSensorAnalyticsConfig({
      applicationId,
      guarantee: 'at-least-once',
      from: 'earliest',
      topics: { readings, aggregates, deadLetter, partitions: 2 },
      windowing: { paneMs: PANE_MS, hopSizeMs: 5 * PANE_MS, graceMs: 200, idleMs: IDLE_MS },
      commitIntervalMs: 200,
      sessionTimeoutMs: 6000,
      alerts: { enabled: true, rulesFile, topic: alerts, commandsTopic: commands, tickMs: 250 },
    })
    const analytics = await createSensorAnalytics({ config, kafka, metrics: createMetricsRegistry('analytics-test') })
    await analytics.start()
    const producer = kafka.producer()
    let live = true
    let feeding: Promise<void> = Promise.resolve()
    try {
      assert.ok(await waitUntil(() => analytics.isReady(), 30_000), 'service ready')

      // A and B on different partitions: B's readings cannot close A's pane by stream time, only idleness can.
      const [a, b] = idsPerPartition(2, (n) => `mote:live-${n}`) as [string, string]
      const sequence = new Map<string, number>()
      const reading = (sensorId: string): TestReading => {
        const now = Date.now()
        const n = (sequence.get(sensorId) ?? 0) + 1
        sequence.set(sensorId, n)
        return {
          sensorId,
          zoneId: 'live',
          sequence: n,
          eventTimeMs: now,
          ingestTimeMs: now,
          temperatureC: 20 + (n % 5),
          relativeHumidityPct: 50,
        }
      }
      let aReports = true
      let lastA: TestReading | undefined
      // Resolved after the feed's next send completes: when A stops, the batch in flight may still carry it.
      let sent: () => void = () => undefined
      const nextSend = () => new Promise<void>((resolve) => (sent = resolve))
      feeding = (async () => {
        while (live) {
          const batch = [reading(b)]
          if (aReports) batch.push((lastA = reading(a)))
          await producer.send(readingRecords(readings, batch))
          sent()
          await new Promise((resolve) => setTimeout(resolve, 100)) // live sensors: one reading each per 100 ms
        }
      })()

      // A reports until the service has published one of its panes: its readings are being folded.
      assert.ok(
        await waitUntil(async () => (await readAggregates(kafka, aggregates)).some((r) => r.sensorId === a), 30_000),
        'a pane of A was published while it reported',
      )
      aReports = false
      await nextSend()
      const silentSince = Date.now()
      const lastPane = Math.floor(lastA!.eventTimeMs / PANE_MS) * PANE_MS
      const isLastPane = (r: { sensorId: string; windowKind: string; windowStartMs: number }) =>
        r.sensorId === a && r.windowKind === 'tumbling' && r.windowStartMs === lastPane
      const published = await waitUntil(async () => (await readAggregates(kafka, aggregates)).some(isLastPane), 15_000)
      const publishedAfterMs = Date.now() - silentSince
      assert.ok(published, `A's last pane (${lastPane}) was published while A stayed silent`)
      const rows = await readAggregates(kafka, aggregates)
      const lastRow = rows.find((r) => isLastPane(r) && r.field === 'temperatureC')!
      assert.equal(lastRow.final, true)
      assert.ok(
        rows.some((r) => r.sensorId === b && r.windowStartMs > lastPane),
        'B kept going: its later panes were published too',
      )

      const alertEvents = async (): Promise<AlertEvent[]> =>
        (await readAllCommitted(kafka, alerts))
          .filter((r) => r.key?.toString() === alertKey('silent', a))
          .map((r) => decodeAlertEvent(r.value)!)
      assert.ok(
        await waitUntil(async () => (await alertEvents()).some((e) => e.state === 'firing'), 15_000),
        'stale alert for A fires',
      )
      assert.equal(
        (await readAllCommitted(kafka, alerts)).filter((r) => r.key?.toString() === alertKey('silent', b)).length,
        0,
      )

      aReports = true
      assert.ok(
        await waitUntil(async () => (await alertEvents()).at(-1)?.state === 'resolved', 15_000),
        `A's stale alert resolves once it reports again: ${JSON.stringify(await alertEvents())}`,
      )
      t.diagnostic(`A's last pane was published ${publishedAfterMs} ms after A went silent (idleMs ${IDLE_MS})`)
    } finally {
      live = false
      await feeding
      await producer.close()
      await analytics.stop()
    }
  },
)
