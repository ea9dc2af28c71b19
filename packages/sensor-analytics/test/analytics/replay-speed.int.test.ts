import assert from 'node:assert/strict'
import { it } from 'node:test'
import { BatchingProducer } from '@isobar/core'
import { createTestTopic, testKafkaClient } from '@isobar/testing'
import { LABEL_HEADER, jsonReadingEncoder, mapRows, parseCsv, parseMapping, runReplay } from '@isobar/simulator'
import { idsPerPartition, rowId, START_MS, type AggregateRow } from './helpers.ts'
import { TEST_WINDOWING, readAllCommitted, runToCompletion } from './service-helpers.ts'

const PARTITIONS = 3
// Idle timeouts longer than any stall: every window closes by stream time (the sentinel rows), whatever the pace.
const WINDOWING = { ...TEST_WINDOWING, idleMs: 30_000 }

/** 6 sensors × 80 readings every 250 ms (20 s of event time), a heating event on one, then sentinel rows. */
function csv(): { text: string; sentinelFromMs: number; readings: number } {
  const lines = ['time_ms,device,temp,humidity,label']
  let readings = 0
  for (let i = 0; i < 80; i++) {
    for (let d = 0; d < 6; d++) {
      const heated = d === 2 && i >= 40 && i < 52
      const temp = 20 + d + ((i * 7 + d * 3) % 5) * 0.05 + (heated ? 9 : 0)
      lines.push(`${START_MS + i * 250 + d * 10},dev-${d},${temp.toFixed(2)},${40 + (i % 3) * 0.2},${heated ? 1 : 0}`)
      readings++
    }
  }
  const last = START_MS + 80 * 250
  // One sensor per partition (sensor ids are mote:<device>), far ahead: closes every window by stream time.
  const sentinels = idsPerPartition(PARTITIONS, (n) => `mote:sentinel-${n}`)
  for (const id of sentinels) {
    for (const ahead of [3_600_000, 7_200_000]) lines.push(`${last + ahead},${id.slice('mote:'.length)},0,0,0`)
  }
  return { text: lines.join('\n'), sentinelFromMs: last + 3_600_000 - 10_000, readings }
}

it(
  'replay: the same CSV at full speed and at 50× gives the same windows (event time only); labels travel in a header',
  { timeout: 180_000 },
  async (t) => {
    const kafka = testKafkaClient()
    const { text, sentinelFromMs, readings } = csv()
    const table = parseCsv(text)
    const mapping = parseMapping(
      JSON.stringify({
        sensorId: 'mote:{device}',
        time: { column: 'time_ms', format: 'epoch-ms' },
        fields: { temperatureC: 'temp', relativeHumidityPct: 'humidity' },
        label: 'label',
      }),
      table.header,
    )
    const rows = mapRows(table.header, table.rows, mapping)
    const replayInto = async (speed: number) => {
      const topic = await createTestTopic(t, { partitions: PARTITIONS, prefix: 'replay-in' })
      const producer = kafka.producer({ idempotent: true })
      const batching = new BatchingProducer(producer, {
        maxRecords: 500,
        maxBytes: 1 << 20,
        lingerMs: 2,
        maxInFlight: 5,
      })
      const summary = await runReplay({ rows, producer: batching, topic, encode: jsonReadingEncoder, speed })
      await producer.close()
      assert.equal(summary.acked, rows.length)
      return { topic, summary }
    }
    const fast = await replayInto(Number.POSITIVE_INFINITY)
    const paced = await replayInto(50)
    // 20 s of event time at 50×: at least 0.4 s of wall clock (a lower bound, which no load can break).
    assert.ok(paced.summary.seconds >= 0.39, `paced replay took ${paced.summary.seconds} s`)

    const records = await readAllCommitted(kafka, paced.topic)
    const labelled = records.filter((r) => r.headers?.[LABEL_HEADER]?.toString() === '1')
    assert.equal(labelled.length, 12, 'the heated readings carry isobar.label=1')
    const first = JSON.parse(records.find((r) => r.key?.toString() === 'mote:dev-0')!.value!.toString()) as {
      eventTimeMs: number
      sequence: number
    }
    assert.equal(first.eventTimeMs, START_MS, 'event time from the file')

    const expectedWindows = 6 * 20 + 6 * 24 // 20 one-second panes and 24 five-second hops per sensor
    const run = (topic: string) =>
      runToCompletion(t, {
        readings: topic,
        partitions: PARTITIONS,
        expectedWindows: expectedWindows * 2, // two fields
        sentinelFromMs,
        windowing: WINDOWING,
        timeoutMs: 90_000,
      })
    const a = (await run(fast.topic)).rows.filter((r) => r.scope === 'sensor')
    const b = (await run(paced.topic)).rows.filter((r) => r.scope === 'sensor')
    assert.equal(a.length, expectedWindows * 2, `${readings} readings gave every sensor window`)
    assert.equal(b.length, a.length)
    const other = new Map(b.map((r) => [rowId(r), r]))
    for (const row of a) {
      const same = other.get(rowId(row))
      assert.ok(same, `${rowId(row)} in both`)
      // Stage 2 merges panes in arrival order: mean and stddev may differ in the last bits.
      assert.deepEqual(comparable(row), comparable(same), rowId(row))
      assert.ok(Math.abs(row.mean - same.mean) <= 1e-9 * Math.max(1, Math.abs(row.mean)), rowId(row))
    }
    const heated = a.filter((r) => r.sensorId === 'mote:dev-2' && r.field === 'temperatureC')
    assert.ok(
      heated.some((r) => anomalyOf(r).anomalousReadings! > 0),
      'the streaming detector found the heating in both replays',
    )
  },
)

function anomalyOf(row: AggregateRow): { anomalousReadings?: number; maxZ?: number } {
  return (row as AggregateRow & { anomaly: { anomalousReadings?: number; maxZ?: number } }).anomaly
}

function comparable(row: AggregateRow): object {
  return { ...row, emittedAtMs: 0, mean: 0, stddev: 0, anomaly: { ...anomalyOf(row), maxZ: 0 } }
}
