/**
 * Replays mapped CSV rows as sensor readings, in event-time order, keyed by sensor id: at `speed`× real time (the
 * gap between two rows' event times, divided by speed, elapses between their sends) or as fast as the producer
 * allows. Event times are the file's; `sequence` counts each sensor's readings from 0; `ingestTimeMs` is the send
 * time. A row's label (mapping.label) travels in the `isobar.label` header, so a consumer can score detections.
 */
import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises'
import type { BatchingProducer, ProducerRecord } from '@isobar/core'
import type { ReadingEncoder } from '../sensors/encode.ts'
import type { MappedRow } from './mapping.ts'

export const LABEL_HEADER = 'isobar.label'

export interface ReplayOptions {
  rows: readonly MappedRow[]
  producer: BatchingProducer
  topic: string
  encode: ReadingEncoder
  /** Multiple of real time; Infinity = as fast as possible. */
  speed: number
  clock?: () => number
  signal?: AbortSignal
  onProgress?: (progress: ReplayProgress) => void
}

export interface ReplayProgress {
  sent: number
  acked: number
  failed: number
  /** Rows the encoder refused (schema violations): counted, reported, never sent. */
  invalid: number
  seconds: number
}

export interface ReplaySummary extends ReplayProgress {
  topic: string
  sensors: number
  firstEventMs: number | undefined
  lastEventMs: number | undefined
  /** Up to five distinct delivery or encoding errors. */
  errors: string[]
}

/** The record of one row (exported for tests). */
export function replayRecord(
  topic: string,
  row: MappedRow,
  sequence: number,
  ingestTimeMs: number,
  encode: ReadingEncoder,
): ProducerRecord {
  const value: Record<string, unknown> = {
    sensorId: row.sensorId,
    sequence,
    eventTimeMs: row.eventTimeMs,
    ingestTimeMs,
  }
  if (row.siteId !== undefined) value.siteId = row.siteId
  if (row.zoneId !== undefined) value.zoneId = row.zoneId
  if (row.sensorType !== undefined) value.sensorType = row.sensorType
  Object.assign(value, row.values)
  const record: ProducerRecord = {
    topic,
    key: Buffer.from(row.sensorId),
    value: encode(value as unknown as Parameters<ReadingEncoder>[0]),
  }
  if (row.label !== undefined) record.headers = { [LABEL_HEADER]: Buffer.from(row.label) }
  return record
}

/**
 * Replays the rows through the batching producer, paced by their event times. A delivery that fails after the
 * client's retries ends the replay (see runSimulation): the summary counts it and names the error.
 */
export async function runReplay(options: ReplayOptions): Promise<ReplaySummary> {
  const { rows, producer, topic, speed, encode } = options
  const clock = options.clock ?? Date.now
  const sequences = new Map<string, number>()
  const errors = new Set<string>()
  let sent = 0
  let acked = 0
  let failed = 0
  let invalid = 0
  const onDelivery = (error: Error | null): void => {
    if (error) {
      failed++
      if (errors.size < 5) errors.add(error.message)
    } else acked++
  }
  const started = performance.now()
  const seconds = (): number => Math.round(performance.now() - started) / 1000
  const progress = (): ReplayProgress => ({ sent, acked, failed, invalid, seconds: seconds() })
  const firstEvent = rows[0]?.eventTimeMs
  let lastProgress = 0
  for (let i = 0; i < rows.length && !options.signal?.aborted && failed === 0; i++) {
    const row = rows[i]!
    if (Number.isFinite(speed)) {
      const dueMs = (row.eventTimeMs - firstEvent!) / speed - (performance.now() - started)
      if (dueMs > 1) await sleep(dueMs)
    } else if (i % 2000 === 0) await yieldToLoop()
    const sequence = sequences.get(row.sensorId) ?? 0
    sequences.set(row.sensorId, sequence + 1)
    let record: ProducerRecord
    try {
      record = replayRecord(topic, row, sequence, clock(), encode)
    } catch (error) {
      invalid++
      if (errors.size < 5) errors.add(error instanceof Error ? error.message : String(error))
      continue
    }
    sent++
    if (!producer.produce(record, onDelivery)) await producer.ready()
    if (options.onProgress && seconds() - lastProgress >= 1) {
      lastProgress = seconds()
      options.onProgress(progress())
    }
  }
  await producer.flush()
  options.onProgress?.(progress())
  return {
    ...progress(),
    topic,
    sensors: sequences.size,
    firstEventMs: firstEvent,
    lastEventMs: rows.at(-1)?.eventTimeMs,
    errors: [...errors],
  }
}
