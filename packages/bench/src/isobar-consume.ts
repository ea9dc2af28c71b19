import type { KafkaClient } from '@isobar/core'
import type { ProgressSink } from './types.ts'

export interface ConsumeRun {
  records: number
  /** Keys + values. */
  bytes: number
  /** From creating the consumer to the last record: group join included. */
  totalSeconds: number
  /** From the first partition assignment to the last record, like ConsumerPerformance's fetch.time.ms. */
  fetchSeconds: number
}

/** Reads `wanted` records of `topic` in a fresh group from the earliest offset, timing it like ConsumerPerformance. */
export async function runIsobarConsumer(
  client: KafkaClient,
  topic: string,
  groupId: string,
  wanted: number,
  progress: ProgressSink,
  label: string,
): Promise<ConsumeRun> {
  let assignedAt = 0
  // read_uncommitted and 5 s autocommit: the Java consumer's defaults.
  const consumer = client.consumer({
    groupId,
    topics: [topic],
    from: 'earliest',
    readCommitted: false,
    autocommitMs: 5000,
    // The fetch phase starts here, not at the first record: the first fetch alone can carry 50 MB.
    onAssignment: (assigned) => {
      if (assignedAt === 0 && assigned.length > 0) assignedAt = performance.now()
    },
  })
  let records = 0
  let bytes = 0
  const started = performance.now()
  // Closing ends the iteration, so a stuck fetch fails the run (short count) instead of hanging it.
  const timeout = setTimeout(() => void consumer.close(), 120_000 + wanted / 10)
  try {
    for await (const record of consumer) {
      records++
      bytes += (record.value?.length ?? 0) + (record.key?.length ?? 0)
      if ((records & 8191) === 0) progress.update(label, records, wanted)
      if (records >= wanted) break
    }
  } finally {
    clearTimeout(timeout)
  }
  const ended = performance.now()
  progress.update(label, records, wanted)
  await consumer.close()
  if (records < wanted) throw new Error(`Isobar consumer read only ${records} of ${wanted} records`)
  return {
    records,
    bytes,
    totalSeconds: (ended - started) / 1000,
    fetchSeconds: (ended - (assignedAt || started)) / 1000,
  }
}
