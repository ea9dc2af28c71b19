import { randomUUID } from 'node:crypto'
import { Consumer as PltConsumer, FetchIsolationLevels, type fetchV17 } from '@platformatic/kafka'
import type { KafkaConfig } from '../../config/kafka-config.ts'
import { KafkaRequestError } from '../../errors.ts'
import type { ConsumedRecord, Headers } from '../types.ts'
import { baseOptions } from './options.ts'

const CONTROL_BATCH = 0x20
const LOG_APPEND_TIME = 0x08

export interface FetchTarget {
  partition: number
  offset: bigint
}

export interface FetchedPartition {
  records: ConsumedRecord[]
  /** Offset after the last batch returned (control batches included); equals the fetch offset when nothing came. */
  nextOffset: bigint
  highWatermark: bigint
}

/**
 * Plain Fetch requests (no group, no subscription): what a browser or a lag probe needs. One instance per operation;
 * the underlying consumer never joins a group, its id only satisfies the client's options.
 */
export class BoundedFetcher {
  readonly #consumer: PltConsumer

  constructor(config: KafkaConfig) {
    this.#consumer = new PltConsumer({
      ...baseOptions(config, 'reader'),
      groupId: `isobar-reader-${randomUUID()}`,
      isolationLevel: FetchIsolationLevels.READ_UNCOMMITTED,
    })
  }

  /** One Fetch to `leader` for the partitions of one topic, returning only records at or after each fetch offset. */
  async fetch(
    topic: string,
    topicId: string,
    leader: number,
    targets: FetchTarget[],
    maxBytesPerPartition: number,
  ): Promise<Map<number, FetchedPartition>> {
    let response
    try {
      response = await this.#consumer.fetch({
        node: leader,
        maxWaitTime: 0,
        minBytes: 0,
        maxBytes: maxBytesPerPartition * Math.max(1, targets.length),
        topics: [
          {
            topicId,
            partitions: targets.map((t) => ({
              partition: t.partition,
              fetchOffset: t.offset,
              currentLeaderEpoch: -1,
              lastFetchedEpoch: -1,
              partitionMaxBytes: maxBytesPerPartition,
            })),
          },
        ],
      })
    } catch (error) {
      throw new KafkaRequestError(`Reading ${topic}`, error, true)
    }
    const wanted = new Map(targets.map((t) => [t.partition, t.offset]))
    const result = new Map<number, FetchedPartition>()
    for (const topicResponse of response.responses) {
      for (const partition of topicResponse.partitions) {
        const from = wanted.get(partition.partitionIndex)
        if (from !== undefined) result.set(partition.partitionIndex, toRecords(topic, partition, from))
      }
    }
    return result
  }

  async close(): Promise<void> {
    await this.#consumer.close(true).catch(() => undefined)
  }
}

function toRecords(topic: string, partition: fetchV17.FetchResponsePartition, from: bigint): FetchedPartition {
  const records: ConsumedRecord[] = []
  let nextOffset = from
  for (const batch of partition.records ?? []) {
    const batchEnd = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n
    if (batchEnd > nextOffset) nextOffset = batchEnd
    if ((batch.attributes & CONTROL_BATCH) !== 0) continue
    const logAppendTime = (batch.attributes & LOG_APPEND_TIME) !== 0
    for (const record of batch.records) {
      const offset = batch.firstOffset + BigInt(record.offsetDelta)
      if (offset < from) continue
      const headers: Headers = {}
      for (const [k, v] of record.headers) if (k) headers[k.toString()] = v ?? Buffer.alloc(0)
      records.push({
        topic,
        partition: partition.partitionIndex,
        offset,
        timestamp: Number(logAppendTime ? batch.maxTimestamp : batch.firstTimestamp + record.timestampDelta),
        key: record.key,
        value: record.value,
        headers,
      })
    }
  }
  return { records, nextOffset, highWatermark: partition.highWatermark }
}
