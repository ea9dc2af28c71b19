import assert from 'node:assert/strict'
import { it } from 'node:test'
import { createTestTopic, testKafkaClient, uniqueTopicName } from '@isobar/testing'
import {
  assertMatchesBatch,
  lastEventMs,
  type AggregateRow,
  batchWindows,
  generateReadings,
  realRows,
  rowId,
  sentinelReadings,
  START_MS,
} from './helpers.ts'
import {
  TEST_WINDOWING,
  cleanUpServiceTopics,
  endOffsetSum,
  freePort,
  produce,
  readAggregates,
  readingRecords,
  runToCompletion,
  startService,
  waitUntil,
  type ServiceProcess,
} from './service-helpers.ts'

const PARTITIONS = 3
// Idle timeouts longer than any restart: every window closes by stream time (the sentinels), so the killed run
// and the uninterrupted one close the same windows with the same readings, whatever the wall clock did.
const WINDOWING = { ...TEST_WINDOWING, idleMs: 30_000 }

it(
  'exactly-once: SIGKILLed twice mid-stream and restarted, the service commits every window once, as an uninterrupted run does',
  { timeout: 150_000 },
  async (t) => {
    const kafka = testKafkaClient()
    const readings = await createTestTopic(t, { partitions: PARTITIONS, prefix: 'analytics-in' })
    const input = generateReadings({
      seed: 2026,
      sensors: 100,
      zones: 5,
      panes: 40,
      perPane: 40,
      paneMs: WINDOWING.paneMs,
      startMs: START_MS,
      disorderMs: 400,
      duplicateRate: 0.01,
    })
    // A heating event on one sensor (panes 20–22): the streaming detector's episode must survive the kills.
    const heated = input[0]!.sensorId
    const eventFrom = START_MS + 20 * WINDOWING.paneMs
    const eventTo = START_MS + 23 * WINDOWING.paneMs
    for (const r of input) {
      if (r.sensorId === heated && r.eventTimeMs >= eventFrom && r.eventTimeMs < eventTo) r.temperatureC += 40
    }
    const lastEvent = lastEventMs(input)
    const sentinelFromMs = lastEvent + 3_600_000 - 10_000
    await produce(kafka, readingRecords(readings, [...input, ...sentinelReadings(PARTITIONS, lastEvent)]))
    const expected = batchWindows(input, WINDOWING)

    const reference = await runToCompletion(t, {
      readings,
      partitions: PARTITIONS,
      expectedWindows: expected.size,
      sentinelFromMs,
      windowing: WINDOWING,
      guarantee: 'exactly-once',
      timeoutMs: 60_000,
    })
    assert.equal(reference.rows.length, expected.size, 'the uninterrupted run completed')

    const aggregates = await createTestTopic(t, { partitions: PARTITIONS, prefix: 'analytics-agg' })
    const deadLetter = await createTestTopic(t, { partitions: 1, prefix: 'analytics-dlq' })
    const applicationId = uniqueTopicName('analytics-eo')
    cleanUpServiceTopics(t, applicationId)
    const env = {
      ANALYTICS_CONFIG: JSON.stringify({
        applicationId,
        topics: { readings, aggregates, deadLetter, partitions: PARTITIONS },
        windowing: WINDOWING,
        commitIntervalMs: 200,
        sessionTimeoutMs: 6000,
        alerts: { enabled: false },
      }),
      ANALYTICS_GUARANTEE: 'exactly-once',
      ANALYTICS_INSTANCE_ID: 'eo-1',
    }
    const start = async (): Promise<ServiceProcess> =>
      startService(t, { ...env, METRICS_PORT: String(await freePort()) })
    const killWhen = async (service: ServiceProcess, outputEndOffsets: bigint): Promise<void> => {
      const reached = await waitUntil(async () => (await endOffsetSum(kafka, aggregates)) >= outputEndOffsets, 40_000)
      assert.ok(reached, `output reached ${outputEndOffsets} records: ${service.output()}`)
      service.child.kill('SIGKILL')
      assert.equal((await service.exited).signal, 'SIGKILL')
    }

    const started = Date.now()
    await killWhen(await start(), BigInt(Math.floor(expected.size * 0.15)))
    const firstKill = realRows(await readAggregates(kafka, aggregates), sentinelFromMs).length
    await killWhen(await start(), BigInt(Math.floor(expected.size * 0.55)))
    const secondKill = realRows(await readAggregates(kafka, aggregates), sentinelFromMs).length
    const last = await start()
    const complete = await waitUntil(
      async () => realRows(await readAggregates(kafka, aggregates), sentinelFromMs).length >= expected.size,
      60_000,
      1000,
    )
    assert.ok(complete, `the restarted service completed: ${last.output()}`)
    last.child.kill('SIGTERM')
    assert.equal((await last.exited).code, 0)
    t.diagnostic(
      `${input.length} readings, ${expected.size} windows; uninterrupted in-process run ${reference.elapsedMs} ms; ` +
        `killed with ${firstKill} then ${secondKill} windows committed; killed run done after ${Date.now() - started} ms`,
    )
    assert.ok(firstKill < expected.size && secondKill < expected.size, 'both kills landed mid-stream')

    // Everything is committed now: a window committed twice would show here.
    const rows = realRows(await readAggregates(kafka, aggregates), sentinelFromMs)
    assertMatchesBatch(rows, expected)
    // The detector ran with restored baselines: identical verdicts below, and the event is found.
    const detected = (r: AggregateRow) => (r as AggregateRow & { anomaly: { anomalousReadings?: number } }).anomaly
    const eventRows = rows.filter(
      (r) => r.sensorId === heated && r.field === 'temperatureC' && r.windowKind === 'tumbling',
    )
    assert.ok(eventRows.length >= 30)
    for (const r of eventRows) {
      const count = detected(r).anomalousReadings
      if (r.windowStartMs >= eventFrom && r.windowEndMs <= eventTo) assert.ok(count! > 0, rowId(r))
      // Arrival order is shuffled by up to 400 ms, so the episode takes in late readings of the pane before; it
      // ends within the pane after (hysteresis: a few calm readings).
      else if (r.windowEndMs < eventFrom || r.windowStartMs >= eventTo + WINDOWING.paneMs)
        assert.equal(count, 0, rowId(r))
    }
    // Stage 2 merges panes in arrival order, which differs between runs: mean, stddev and maxZ may differ in the
    // last bits; everything else (counts, extremes, sketch-based p95 and outliers) is exact.
    const byId = new Map(reference.rows.map((r) => [rowId(r), r]))
    for (const row of rows) {
      const other = byId.get(rowId(row))!
      assert.deepEqual(comparable(row), comparable(other), rowId(row))
      assert.ok(Math.abs(row.mean - other.mean) <= 1e-9 * Math.max(1, Math.abs(other.mean)), `${rowId(row)} mean`)
      assert.ok(Math.abs(row.stddev - other.stddev) <= 1e-9 * Math.max(1, other.stddev), `${rowId(row)} stddev`)
    }
  },
)

function comparable(row: AggregateRow): object {
  const anomaly = (row as AggregateRow & { anomaly?: { maxZ?: number } }).anomaly
  return { ...row, emittedAtMs: 0, mean: 0, stddev: 0, anomaly: anomaly ? { ...anomaly, maxZ: 0 } : undefined }
}
