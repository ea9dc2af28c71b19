import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ConsumedRecord } from '@isobar/core'
import { SensorAnalyticsErrorCodes } from '../../src/errors.ts'
import { createReadingDecoder } from '../../src/analytics/reading.ts'
import { analyticsTopologies } from '../../src/analytics/topologies.ts'

const NOW = 1_767_225_600_000

function topologies() {
  return analyticsTopologies({
    applicationId: 'unit',
    topics: { readings: 'r', aggregates: 'a', panes: 'p', late: 'l' },
    windowing: {
      paneMs: 60_000,
      hopSizeMs: 300_000,
      graceMs: 10_000,
      idleMs: 30_000,
      maxFutureMs: 5000,
      maxWindowsPerPartition: 1000,
    },
    decoder: createReadingDecoder(),
    partitions: () => 3,
    output: {
      encode: (v) => Buffer.from(JSON.stringify(v)),
      zThreshold: 4,
      minCount: 10,
      clock: () => NOW,
      onEncodeError: () => undefined,
    },
  })
}

const reading = (eventTimeMs: number): ConsumedRecord => ({
  topic: 'r',
  partition: 0,
  offset: 0n,
  key: Buffer.from('mote:1'),
  value: Buffer.from(
    JSON.stringify({ sensorId: 'mote:1', sequence: 1, eventTimeMs, ingestTimeMs: NOW, temperatureC: 20 }),
  ),
  headers: {},
  timestamp: NOW,
})

test('a reading stamped beyond the tolerance ahead of the clock is refused with a reason (it goes to the DLQ)', () => {
  const { panes } = topologies()
  assert.deepEqual(panes.parse(reading(NOW + 4000)), {
    key: 'mote:1',
    value: {
      sensorId: 'mote:1',
      zoneId: undefined,
      sequence: 1,
      eventTimeMs: NOW + 4000,
      values: { temperatureC: 20 },
    },
    timestamp: NOW + 4000,
  })
  assert.throws(
    () => panes.parse(reading(NOW + 600_000)),
    (error: Error & { code?: string }) =>
      error.code === SensorAnalyticsErrorCodes.EVENT_TIME_AHEAD && /600 s ahead/.test(error.message),
  )
})

test('stage 1 progress becomes one watermark record per panes partition; stage 2 reads it back', () => {
  const { panes, hopping } = topologies()
  const records = panes.progress!({ partition: 1, time: NOW, idle: false })
  assert.deepEqual(
    records.map((r) => r.partition),
    [0, 1, 2],
  )
  const parsed = hopping.parse({ ...reading(NOW), topic: 'p', value: records[0]!.value })
  assert.deepEqual(parsed, { watermark: { source: 1, sources: 3, time: NOW, idle: false } })
})
