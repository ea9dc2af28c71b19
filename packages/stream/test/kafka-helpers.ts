import type { KafkaClient, ProducerRecord } from '@isobar/core'
import { random, type Agg, type TestRecord } from './batch.ts'

/** Sensor readings in event-time order over `keys` sensors, then displaced by < maxDisorderMs. */
export function sensorReadings(count: number, keys: number, seed: number): TestRecord[] {
  const rnd = random(seed)
  const out: TestRecord[] = []
  let ts = 1_700_000_000_000
  for (let i = 0; i < count; i++) {
    ts += Math.floor(rnd() * 10)
    out.push({ key: `sensor-${Math.floor(rnd() * keys)}`, ts, value: Math.floor(rnd() * 100) })
  }
  return out
}

export function toProducerRecords(topic: string, records: TestRecord[]): ProducerRecord[] {
  return records.map((r) => ({
    topic,
    key: Buffer.from(r.key),
    value: Buffer.from(JSON.stringify({ ts: r.ts, v: r.value })),
  }))
}

/** One record per partition far in the future: advances every task's stream time so all windows close. */
export function flushRecords(topic: string, partitions: number, ts: number): ProducerRecord[] {
  return Array.from({ length: partitions }, (_, partition) => ({
    topic,
    partition,
    key: Buffer.from(`flush-${partition}`),
    value: Buffer.from(JSON.stringify({ ts, v: 0 })),
  }))
}

export interface OutputRow {
  key: string
  start: number
  end: number
  value: Agg
  final: boolean
}

/** Reads the output topic read_committed until `expected` non-flush rows arrived (or the timeout). */
export async function readOutputs(
  kafka: KafkaClient,
  topic: string,
  expected: number,
  timeoutMs: number,
): Promise<OutputRow[]> {
  const consumer = kafka.consumer({ topics: [topic], from: 'earliest', readCommitted: true })
  const rows: OutputRow[] = []
  const timer = setTimeout(() => void consumer.close(), timeoutMs)
  try {
    for await (const record of consumer) {
      const row = JSON.parse(record.value!.toString()) as OutputRow
      if (!row.key.startsWith('flush-')) rows.push(row)
      if (rows.length >= expected) break
    }
  } finally {
    clearTimeout(timer)
    await consumer.close().catch(() => undefined)
  }
  return rows
}

export function rowsToMap(rows: OutputRow[]): Map<string, Agg> {
  return new Map(rows.map((r) => [`${r.key}@${r.start}-${r.end}`, r.value]))
}

/** Re-reads until `done` holds or the timeout passes (then returns the last value for the assertion to report). */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value) || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
