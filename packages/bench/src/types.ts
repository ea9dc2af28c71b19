export type Compression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd'

/** Settings both sides run with; everything the Java tool gets is derived from these. */
export interface BenchSettings {
  records: number
  recordSize: number
  partitions: number
  replicationFactor: number
  /** min.insync.replicas of the bench topics (RF - 1, at least 1, unless given). */
  minInsyncReplicas: number
  compression: Compression
  /** Java `batch.size`: bytes per partition batch. Isobar sends one such batch per partition per request. */
  batchSize: number
  /** Java `linger.ms`, Isobar's BatchingProducer lingerMs. */
  lingerMs: number
  /** Produce requests Isobar keeps queued (the connection itself sends one at a time when idempotent). */
  maxInFlight: number
  /** Repetitions; the order of the two sides alternates from round to round. */
  rounds: number
  acks: 'all'
  /** Idempotent producers on every side (default). false measures what idempotence costs (acks=all still). */
  idempotence: boolean
}

export interface Hardware {
  cpus: number
  cpuModel: string
  memGiB: number
  node: string
  kafkaVersion: string
}

export interface SideResult {
  records: number
  recordsPerSec: number
  /** MiB/s of record values (1024 * 1024 bytes), as the Java tools compute it. */
  mbPerSec: number
  seconds: number
}

export interface ResourceUsage {
  /** User + system CPU seconds this process used during the measured run. */
  cpuSeconds: number
  /** CPU time per wall second (1.0 = one core busy). */
  cpuCores: number
  /** Highest resident set size sampled during the run, MiB. */
  peakRssMiB: number
}

export interface ProgressSink {
  /** Called often; `done` of `total` records for the phase named `label`. */
  update(label: string, done: number, total: number): void
  /** The phase ended; clears the bar. */
  end(): void
}
