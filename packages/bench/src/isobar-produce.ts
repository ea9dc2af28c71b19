import { BatchingProducer, type KafkaClient, type ProducerRecord } from '@isobar/core'
import { payloadViews } from './payload.ts'
import type { Compression } from './types.ts'

export interface IsobarProduceOptions {
  client: KafkaClient
  topic: string
  records: number
  recordSize: number
  partitions: number
  compression: Compression
  /** Bytes per partition batch (Java batch.size). */
  batchSize: number
  lingerMs: number
  maxInFlight: number
  /** Default true. Without it the client may keep several produce requests on the wire and no send chain runs. */
  idempotent?: boolean
  /** Record values to cycle through; defaults to a fresh payloadViews(recordSize). */
  values?: readonly Buffer[]
  onProgress?: (acknowledged: number) => void
}

export interface IsobarProduceResult {
  acknowledged: number
  failed: number
  batches: number
  seconds: number
  firstError: string | undefined
}

/**
 * The fast path: no await per record, one shared delivery callback, record values are views into a pre-filled
 * pool. Records go to partitions in runs of one batch each (like Java's sticky partitioner for null keys), so every
 * request carries one full batch per partition.
 */
export async function runIsobarProducer(options: IsobarProduceOptions): Promise<IsobarProduceResult> {
  const { topic, records, recordSize, partitions } = options
  const values = options.values ?? payloadViews(recordSize)
  const perBatch = recordsPerBatch(options.batchSize, recordSize)
  const producer = options.client.producer({
    idempotent: options.idempotent ?? true,
    acks: -1,
    compression: options.compression,
  })
  const batching = new BatchingProducer(producer, {
    maxRecords: perBatch * partitions,
    maxBytes: Number.MAX_SAFE_INTEGER,
    lingerMs: options.lingerMs,
    maxInFlight: options.maxInFlight,
  })
  let firstError: string | undefined
  const onDelivery = (error: Error | null): void => {
    if (error && firstError === undefined) firstError = error.message
  }
  const progress = options.onProgress
  const timer = progress ? setInterval(() => progress(batching.stats.acknowledged), 200) : undefined
  timer?.unref()
  const started = performance.now()
  try {
    let partition = 0
    let inRun = 0
    let view = 0
    for (let i = 0; i < records; i++) {
      const record: ProducerRecord = { topic, value: values[view]!, partition }
      if (++view === values.length) view = 0
      if (++inRun === perBatch) {
        inRun = 0
        if (++partition === partitions) partition = 0
      }
      if (!batching.produce(record, onDelivery)) await batching.ready()
    }
    await batching.flush()
  } finally {
    if (timer) clearInterval(timer)
  }
  const seconds = (performance.now() - started) / 1000
  await producer.close()
  progress?.(batching.stats.acknowledged)
  const { acknowledged, failed, batches } = batching.stats
  return { acknowledged, failed, batches, seconds, firstError }
}

/** v2 record batch header: fixed 61 bytes before the first record. */
const BATCH_HEADER_BYTES = 61

/**
 * How many records of `recordSize` fit in a batch of `batchSize` bytes as Java counts it (header plus each record's
 * varint framing), so both producers close batches at the same record count and we never exceed message.max.bytes.
 */
export function recordsPerBatch(batchSize: number, recordSize: number): number {
  // length, attributes, timestamp delta (<= 3 bytes), offset delta (<= 3 bytes), null key, value length, no headers.
  const framing = varintBytes(recordSize + 16) + 1 + 3 + 3 + 1 + varintBytes(recordSize) + 1
  return Math.max(1, Math.floor((batchSize - BATCH_HEADER_BYTES) / (recordSize + framing)))
}

function varintBytes(value: number): number {
  // zig-zag encoded, so 7 bits per byte cover values up to 63, 8191, ...
  let zigzag = value * 2
  let bytes = 1
  while (zigzag >= 128) {
    zigzag = Math.floor(zigzag / 128)
    bytes++
  }
  return bytes
}
