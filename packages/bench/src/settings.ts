import type { BenchSettings, Compression, ProgressSink } from './types.ts'

export const COMPRESSIONS: readonly Compression[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd']

/** Defaults of `isobar bench`; batch.size is larger than Java's 16 KiB default, see README "Settings". */
export const DEFAULT_BATCH_SIZE = 262_144
export const DEFAULT_LINGER_MS = 5
export const DEFAULT_MAX_IN_FLIGHT = 5

export interface BenchInput {
  records: number
  recordSize: number
  partitions?: number
  replicationFactor?: number
  minInsyncReplicas?: number
  compression?: Compression
  batchSize?: number
  lingerMs?: number
  maxInFlight?: number
  /** Repetitions with alternating order; the round with the median ratio is reported. */
  rounds?: number
  /** Idempotent producers (default true); false on every side, to measure what idempotence costs. */
  idempotence?: boolean
}

/** Fills in defaults and rejects what neither side could run. */
export function benchSettings(input: BenchInput): BenchSettings {
  const replicationFactor = input.replicationFactor ?? 1
  const settings: BenchSettings = {
    records: input.records,
    recordSize: input.recordSize,
    partitions: input.partitions ?? 1,
    replicationFactor,
    minInsyncReplicas: input.minInsyncReplicas ?? Math.max(1, replicationFactor - 1),
    compression: input.compression ?? 'none',
    batchSize: input.batchSize ?? DEFAULT_BATCH_SIZE,
    lingerMs: input.lingerMs ?? DEFAULT_LINGER_MS,
    maxInFlight: input.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT,
    rounds: input.rounds ?? 1,
    acks: 'all',
    idempotence: input.idempotence ?? true,
  }
  const positive: Array<keyof BenchSettings> = [
    'records',
    'recordSize',
    'partitions',
    'replicationFactor',
    'maxInFlight',
    'rounds',
  ]
  for (const key of positive) {
    const value = settings[key]
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new RangeError(`${key} must be an integer >= 1, got ${String(value)}`)
    }
  }
  if (settings.minInsyncReplicas < 1 || settings.minInsyncReplicas > replicationFactor) {
    throw new RangeError(`minInsyncReplicas must be between 1 and the replication factor ${replicationFactor}`)
  }
  if (!COMPRESSIONS.includes(settings.compression)) throw new RangeError(`Unknown compression ${settings.compression}`)
  // Kafka's broker default message.max.bytes is 1 MiB + 12: a batch must fit in it.
  if (!Number.isInteger(settings.batchSize) || settings.batchSize < 1024 || settings.batchSize > 1_048_576) {
    throw new RangeError(`batchSize must be between 1024 and 1048576 bytes, got ${settings.batchSize}`)
  }
  if (settings.recordSize > settings.batchSize - 100) {
    throw new RangeError(`recordSize ${settings.recordSize} does not fit in a batch of ${settings.batchSize} bytes`)
  }
  if (!Number.isInteger(settings.lingerMs) || settings.lingerMs < 0) throw new RangeError('lingerMs must be >= 0')
  return settings
}

/** The producer settings ProducerPerformance gets, so both sides run the same configuration. */
export function javaProducerProperties(settings: BenchSettings): string[] {
  return [
    'acks=all',
    `enable.idempotence=${settings.idempotence}`,
    `linger.ms=${settings.lingerMs}`,
    `batch.size=${settings.batchSize}`,
    `compression.type=${settings.compression}`,
  ]
}

/** Timeout for one side of a run: generous, because a loaded 2-core box can be slow, but never endless. */
export function runTimeoutMs(settings: BenchSettings): number {
  return 120_000 + Math.ceil((settings.records * settings.recordSize) / 1_000_000) * 1_000
}

export const silentProgress: ProgressSink = { update() {}, end() {} }

/** Redraws a phase whose count comes from elsewhere (a child process) every 250 ms, until stopped. */
export function tickProgress(progress: ProgressSink, label: string, done: () => number, total: number): () => void {
  progress.update(label, done(), total)
  const timer = setInterval(() => progress.update(label, done(), total), 250)
  timer.unref()
  return () => {
    clearInterval(timer)
    progress.end()
  }
}
