import type { ProducerRecord } from '@isobar/core'
import { FAULTS_HEADER } from './faults.ts'
import type { SimulatedReading, SimulatedReadingValue } from './generator.ts'

export type ReadingEncoder = (value: SimulatedReadingValue) => Buffer

/** JSON for now; the registry serde (core/serde) plugs in here without touching the generator or the runner. */
export const jsonReadingEncoder: ReadingEncoder = (value) => Buffer.from(JSON.stringify(value))

const headerCache = new Map<string, Buffer>()

/** Keyed by sensor id (one sensor → one partition); fault tags travel in a header, not in the value. */
export function readingRecord(
  topic: string,
  reading: SimulatedReading,
  encode: ReadingEncoder = jsonReadingEncoder,
): ProducerRecord {
  const record: ProducerRecord = { topic, key: Buffer.from(reading.value.sensorId), value: encode(reading.value) }
  if (reading.faults.length > 0) {
    const tags = reading.faults.join(',')
    let header = headerCache.get(tags)
    if (!header) headerCache.set(tags, (header = Buffer.from(tags)))
    record.headers = { [FAULTS_HEADER]: header }
  }
  return record
}
