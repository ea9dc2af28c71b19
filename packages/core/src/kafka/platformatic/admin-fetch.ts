import { randomUUID } from 'node:crypto'
import { Consumer as PltConsumer, FetchIsolationLevels } from '@platformatic/kafka'
import type { KafkaConfig } from '../../config/kafka-config.ts'
import { KafkaRequestError } from '../../errors.ts'
import type { ConsumedRecord } from '../types.ts'
import { baseOptions } from './options.ts'
import { decodePartition } from './record-batches.ts'

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
        if (from === undefined) continue
        const decoded = decodePartition(topic, partition, from, false)
        result.set(partition.partitionIndex, { ...decoded, highWatermark: partition.highWatermark })
      }
    }
    return result
  }

  async close(): Promise<void> {
    await this.#consumer.close(true).catch(() => undefined)
  }
}
