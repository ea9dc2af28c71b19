import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DLQ_HEADERS, encodeFrame } from '@isobar/core'
import { readDeadLetterEnvelope } from '@isobar/schemas'
import { createTestTopic, testKafkaClient } from '@isobar/testing'
import {
  assertMatchesBatch,
  batchWindows,
  generateReadings,
  sentinelReadings,
  START_MS,
  type TestReading,
} from './helpers.ts'
import { TEST_WINDOWING, produce, readAllCommitted, readingRecords, runToCompletion } from './service-helpers.ts'

const PARTITIONS = 3

describe('sensor analytics: streaming equals batch', () => {
  for (const splitStages of [false, true]) {
    it(
      splitStages
        ? 'the same with the pane stage in one instance and the zone and hopping stages in another'
        : 'sensor minutes, zone minutes and 5-pane hopping windows equal an independent batch computation; a poison value goes to the dead-letter topic',
      { timeout: 60_000 },
      async (t) => {
        const readingsTopic = await createTestTopic(t, { partitions: PARTITIONS, prefix: 'analytics-in' })
        const readings = generateReadings({
          seed: 42,
          sensors: 40,
          zones: 4,
          panes: 30,
          perPane: 4,
          paneMs: TEST_WINDOWING.paneMs,
          startMs: START_MS,
          disorderMs: 400, // < graceMs: out of order, never late
          duplicateRate: 0.03,
        })
        const lastEvent = Math.max(...readings.map((r) => r.eventTimeMs))
        const records = readingRecords(readingsTopic, readings)
        // One value in the registry's wire format (schema id 7, which no registry can vouch for here: the service
        // runs without one), one that is not JSON at all. Both go to the dead-letter topic.
        const framed = records[100]!
        framed.value = encodeFrame(7, framed.value!)
        const poisonAt = records.length >> 1
        records.splice(poisonAt, 0, {
          topic: readingsTopic,
          key: Buffer.from(readings[0]!.sensorId),
          value: Buffer.from('{not json'),
        })
        records.push(...readingRecords(readingsTopic, sentinelReadings(PARTITIONS, lastEvent)))

        const expected = batchWindows(
          readings.filter((_, i) => i !== 100),
          TEST_WINDOWING,
        )
        await produce(testKafkaClient(), records)
        const { kafka, rows, stats, deadLetter } = await runToCompletion(t, {
          readings: readingsTopic,
          partitions: PARTITIONS,
          expectedWindows: expected.size,
          sentinelFromMs: lastEvent + 3_600_000 - 10_000,
          splitStages,
        })
        t.diagnostic(`${readings.length} readings, ${expected.size} windows; stats ${JSON.stringify(stats)}`)

        assertMatchesBatch(rows, expected)
        assert.equal(stats.panes!.poison, 2)
        assert.deepEqual(
          Object.values(stats).map((s) => s.late),
          [0, 0, 0],
        )
        const dead = await readAllCommitted(kafka, deadLetter)
        const byCode = new Map(dead.map((d) => [d.headers[DLQ_HEADERS.errorCode]!.toString(), d]))
        assert.equal(dead.length, 2)
        assert.equal(byCode.get('ISOBAR_SERDE_INVALID_JSON')?.value?.toString(), '{not json')
        assert.deepEqual(byCode.get('ISOBAR_SERDE_UNKNOWN_SCHEMA_ID')?.value, framed.value)
        for (const d of dead) {
          const envelope = readDeadLetterEnvelope(d.headers)
          assert.equal(envelope.originalTopic, readingsTopic)
          assert.equal(envelope.stage, 'consume')
        }
      },
    )
  }

  it(
    'readings later than the grace period are left out, counted and copied to the late topic',
    { timeout: 60_000 },
    async (t) => {
      const readingsTopic = await createTestTopic(t, { partitions: PARTITIONS, prefix: 'analytics-in' })
      const onTime = generateReadings({
        seed: 7,
        sensors: 8,
        zones: 2,
        panes: 12,
        perPane: 3,
        paneMs: TEST_WINDOWING.paneMs,
        startMs: START_MS,
        disorderMs: 300,
        duplicateRate: 0,
      })
      const lastEvent = Math.max(...onTime.map((r) => r.eventTimeMs))
      // After pane 11 of their sensor was read: pane 2 closed long ago (end + grace far below stream time).
      const late: TestReading[] = [0, 3, 5].map((s) => ({
        ...onTime.find((r) => r.sensorId === `mote:s000${s}`)!,
        sequence: 1000 + s,
        eventTimeMs: START_MS + 2 * TEST_WINDOWING.paneMs + 100 * s,
        temperatureC: 99,
      }))
      const records = readingRecords(readingsTopic, [...onTime, ...late, ...sentinelReadings(PARTITIONS, lastEvent)])
      const expected = batchWindows(onTime, TEST_WINDOWING)
      await produce(testKafkaClient(), records)
      const { kafka, rows, stats, topics } = await runToCompletion(t, {
        readings: readingsTopic,
        partitions: PARTITIONS,
        expectedWindows: expected.size,
        sentinelFromMs: lastEvent + 3_600_000 - 10_000,
      })

      assertMatchesBatch(rows, expected)
      assert.ok(
        rows.every((r) => r.max < 99),
        'no late reading in any window',
      )
      assert.equal(stats.panes!.late, late.length)
      const copies = await readAllCommitted(kafka, topics.late)
      assert.deepEqual(
        copies.map((r) => (JSON.parse(r.value!.toString()) as TestReading).sequence).sort(),
        late.map((r) => r.sequence).sort(),
      )
    },
  )
})
