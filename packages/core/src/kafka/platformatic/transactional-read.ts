import { setTimeout as sleep } from 'node:timers/promises'
import { randomUUID } from 'node:crypto'
import { Consumer as PltConsumer, FetchIsolationLevels, type fetchV17 } from '@platformatic/kafka'
import type { KafkaConfig } from '../../config/kafka-config.ts'
import { KafkaRequestError, TimeoutError } from '../../errors.ts'
import type { Admin, ReadCommittedOptions } from '../types.ts'
import { baseOptions } from './options.ts'
import { decodePartition } from './record-batches.ts'

const MAX_BYTES = 1024 * 1024
const RETRY_MS = 100

/** One partition as the read loop needs it: where committed data ends, and fetches from an offset. */
export interface CommittedSource {
  /**
   * The last stable offset as the partition's current leader answers ListOffsets read_committed. The broker refuses
   * that answer (OFFSET_NOT_AVAILABLE, KIP-207) while a new leader's high watermark is still below what its
   * predecessor may have committed; a Fetch has no such check.
   */
  endOffset(): Promise<bigint>
  /** A read_committed Fetch from `offset`; undefined when the answer had no usable data for the partition. */
  fetch(offset: bigint): Promise<fetchV17.FetchResponsePartition | undefined>
}

/**
 * Reads one partition read_committed up to its last stable offset with plain Fetch requests (no group), dropping the
 * batches of aborted transactions from the response's aborted-transaction list, as KIP-98 asks of clients.
 */
export async function readCommitted(
  config: KafkaConfig,
  admin: Pick<Admin, 'describeTopics' | 'listOffsets'>,
  options: ReadCommittedOptions,
): Promise<{ nextOffset: bigint }> {
  const { topic, partition } = options
  const describe = async (): Promise<{ id: string; leader: number }> => {
    const [description] = await admin.describeTopics([topic])
    const leader = description?.partitions.find((p) => p.partition === partition)?.leader
    if (!description || leader === undefined)
      throw new KafkaRequestError(`Reading ${topic}/${partition}`, 'no such partition')
    return { id: description.id, leader }
  }
  let target = await describe()
  const start = (await admin.listOffsets(topic)).find((o) => o.partition === partition)?.earliest ?? 0n
  const from = options.fromOffset !== undefined && options.fromOffset > start ? options.fromOffset : start
  const consumer = new PltConsumer({
    ...baseOptions(config, 'restore'),
    groupId: `isobar-restore-${randomUUID()}`,
    isolationLevel: FetchIsolationLevels.READ_COMMITTED,
  })
  const source: CommittedSource = {
    async endOffset() {
      const offsets = await consumer.listOffsets({
        topics: [topic],
        partitions: { [topic]: [partition] },
        isolationLevel: FetchIsolationLevels.READ_COMMITTED,
      })
      const end = offsets.get(topic)?.[partition]
      if (end === undefined) throw new KafkaRequestError(`Reading ${topic}/${partition}`, 'no end offset', true)
      return end
    },
    async fetch(offset) {
      const response = await consumer.fetch({
        node: target.leader,
        maxWaitTime: 0,
        minBytes: 0,
        maxBytes: MAX_BYTES,
        isolationLevel: FetchIsolationLevels.READ_COMMITTED,
        topics: [
          {
            topicId: target.id,
            partitions: [
              {
                partition,
                fetchOffset: offset,
                currentLeaderEpoch: -1,
                lastFetchedEpoch: -1,
                partitionMaxBytes: MAX_BYTES,
              },
            ],
          },
        ],
      })
      const part = response.responses[0]?.partitions.find((p) => p.partitionIndex === partition)
      if (part && part.errorCode === 0) return part
      // No answer for the partition, or an error for it (leadership moving): ask the metadata who leads now.
      target = await describe()
      return undefined
    },
  }
  try {
    return await readCommittedFrom(source, { ...options, fromOffset: from })
  } finally {
    await consumer.close(true).catch(() => undefined)
  }
}

/**
 * The read loop: records from `fromOffset` until at least the end offset the leader answered when the read began.
 * A Fetch answer's own last stable offset can be lower than that — a broker that just became leader reports its
 * local high watermark, which may lag what its predecessor committed (after a broker or whole-cluster restart) —
 * and stopping there would report a partial read as complete: a state restore would then miss the newest committed
 * changelog records while the group's offsets already include their input, and windows closed by those records
 * would close (and be emitted) a second time.
 */
export async function readCommittedFrom(
  source: CommittedSource,
  options: ReadCommittedOptions & { fromOffset: bigint },
): Promise<{ nextOffset: bigint }> {
  const { topic, partition } = options
  const timeoutMs = options.timeoutMs ?? 30_000
  const deadline = Date.now() + timeoutMs
  const timedOut = (): TimeoutError => new TimeoutError(`Reading ${topic}/${partition} read_committed`, timeoutMs)
  let end: bigint | undefined
  while (end === undefined) {
    try {
      end = await source.endOffset()
    } catch (error) {
      if (Date.now() > deadline) throw new KafkaRequestError(`Reading ${topic}/${partition}`, error, true)
      await sleep(RETRY_MS)
    }
  }
  let offset = options.fromOffset
  while (offset < end) {
    if (Date.now() > deadline) throw timedOut()
    let part
    try {
      part = await source.fetch(offset)
    } catch (error) {
      throw new KafkaRequestError(`Reading ${topic}/${partition}`, error, true)
    }
    if (!part) {
      await sleep(RETRY_MS)
      continue
    }
    const { records, nextOffset } = decodePartition(topic, part, offset, true)
    if (records.length > 0) options.onRecords(records)
    // Nothing new below this answer's last stable offset (or that offset is still behind the end): ask again.
    if (nextOffset <= offset) await sleep(RETRY_MS)
    else offset = nextOffset
  }
  return { nextOffset: offset }
}
