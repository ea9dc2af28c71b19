import { setTimeout as sleep } from 'node:timers/promises'
import { randomUUID } from 'node:crypto'
import { Consumer as PltConsumer, FetchIsolationLevels } from '@platformatic/kafka'
import type { KafkaConfig } from '../../config/kafka-config.ts'
import { KafkaRequestError, TimeoutError } from '../../errors.ts'
import type { Admin, ReadCommittedOptions } from '../types.ts'
import { baseOptions } from './options.ts'
import { decodePartition } from './record-batches.ts'

const MAX_BYTES = 1024 * 1024

/**
 * Reads one partition read_committed up to its last stable offset with plain Fetch requests (no group), dropping the
 * batches of aborted transactions from the response's aborted-transaction list, as KIP-98 asks of clients.
 */
const RETRY_MS = 100

export async function readCommitted(
  config: KafkaConfig,
  admin: Pick<Admin, 'describeTopics' | 'listOffsets'>,
  options: ReadCommittedOptions,
): Promise<{ nextOffset: bigint }> {
  const { topic, partition } = options
  const [description] = await admin.describeTopics([topic])
  const leader = description?.partitions.find((p) => p.partition === partition)?.leader
  if (!description || leader === undefined)
    throw new KafkaRequestError(`Reading ${topic}/${partition}`, 'no such partition')
  const start = (await admin.listOffsets(topic)).find((o) => o.partition === partition)?.earliest ?? 0n
  let offset = options.fromOffset !== undefined && options.fromOffset > start ? options.fromOffset : start
  const consumer = new PltConsumer({
    ...baseOptions(config, 'restore'),
    groupId: `isobar-restore-${randomUUID()}`,
    isolationLevel: FetchIsolationLevels.READ_COMMITTED,
  })
  const timeoutMs = options.timeoutMs ?? 30_000
  const deadline = Date.now() + timeoutMs
  try {
    for (;;) {
      if (Date.now() > deadline) throw new TimeoutError(`Reading ${topic}/${partition} read_committed`, timeoutMs)
      let response
      try {
        response = await consumer.fetch({
          node: leader,
          maxWaitTime: 0,
          minBytes: 0,
          maxBytes: MAX_BYTES,
          isolationLevel: FetchIsolationLevels.READ_COMMITTED,
          topics: [
            {
              topicId: description.id,
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
      } catch (error) {
        throw new KafkaRequestError(`Reading ${topic}/${partition}`, error, true)
      }
      const part = response.responses[0]?.partitions.find((p) => p.partitionIndex === partition)
      // A response without the partition, or with an error for it (leadership moving, metadata not yet
      // everywhere), is asked again until the deadline: returning would report a partial read as complete.
      if (!part || part.errorCode !== 0) {
        await sleep(RETRY_MS)
        continue
      }
      if (offset >= part.lastStableOffset) return { nextOffset: offset }
      const { records, nextOffset } = decodePartition(topic, part, offset, true)
      if (records.length > 0) options.onRecords(records)
      if (nextOffset >= part.lastStableOffset) return { nextOffset }
      // Records are committed below the LSO but none came back this time: fetch again (bounded by the deadline).
      if (nextOffset <= offset) await sleep(RETRY_MS)
      else offset = nextOffset
    }
  } finally {
    await consumer.close(true).catch(() => undefined)
  }
}
