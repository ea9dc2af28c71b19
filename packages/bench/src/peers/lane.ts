import type { Compression } from '../types.ts'

/** What a peer producer lane gets: the same settings and values as Isobar's producer. */
export interface PeerProduceInput {
  bootstrapServers: readonly string[]
  topic: string
  records: number
  partitions: number
  compression: Compression
  batchSize: number
  lingerMs: number
  idempotent: boolean
  /** Records per partition batch (recordsPerBatch(batchSize, recordSize)), as Isobar and Java close batches. */
  perBatch: number
  values: readonly Buffer[]
  /** Overall bound of the lane: a lost acknowledgement fails the run instead of hanging it. */
  timeoutMs: number
  onProgress?: (acknowledged: number) => void
}

export interface PeerProduceRun {
  acknowledged: number
  /** First send to last acknowledgement. */
  seconds: number
}

export interface PeerConsumeInput {
  bootstrapServers: readonly string[]
  topic: string
  groupId: string
  records: number
  timeoutMs: number
  onProgress?: (records: number) => void
}

export interface PeerConsumeRun {
  records: number
  /** Keys + values. */
  bytes: number
  /** From creating the consumer to the last record. */
  totalSeconds: number
  /** From the group join / first assignment to the last record (ConsumerPerformance's fetch phase). */
  fetchSeconds: number
}
