import type { KafkaConfig } from '../../config/kafka-config.ts'
import { InvalidArgumentError } from '../../errors.ts'
import type { Admin, ConsumedRecord, ReadRecordsOptions, ReadRecordsResult, TopicDescription } from '../types.ts'
import { BoundedFetcher, type FetchTarget } from './admin-fetch.ts'

type TopicLookups = Pick<Admin, 'describeTopics' | 'listOffsets' | 'offsetsForTimestamp'>

const MAX_BYTES_PER_PARTITION = 1024 * 1024
const MAX_LIMIT = 10_000

export async function readRecords(
  admin: TopicLookups,
  config: KafkaConfig,
  options: ReadRecordsOptions,
): Promise<ReadRecordsResult> {
  const { topic, partition, limit } = options
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new InvalidArgumentError(`limit must be an integer in 1..${MAX_LIMIT}, got ${limit}`, { field: 'limit' })
  }
  const [description] = await admin.describeTopics([topic])
  const leader = leaderOf(description, partition)
  const offsets = (await admin.listOffsets(topic)).find((o) => o.partition === partition)
  const earliest = offsets?.earliest ?? 0n
  const latest = offsets?.latest ?? 0n
  let start = await startOffset(admin, options, earliest, latest)
  if (start < earliest) start = earliest
  const result = { records: [] as ConsumedRecord[], nextOffset: start, earliestOffset: earliest, latestOffset: latest }
  if (start >= latest || !description) return result

  const fetcher = new BoundedFetcher(config)
  const deadline = Date.now() + (options.timeoutMs ?? 10_000)
  try {
    while (result.records.length < limit && result.nextOffset < latest && Date.now() < deadline) {
      const fetched = await fetcher.fetch(
        topic,
        description.id,
        leader,
        [{ partition, offset: result.nextOffset }],
        MAX_BYTES_PER_PARTITION,
      )
      const part = fetched.get(partition)
      if (!part || part.nextOffset <= result.nextOffset) break // nothing more readable (e.g. an open transaction)
      for (const record of part.records) {
        if (result.records.length >= limit) break
        result.records.push(record)
      }
      const last = result.records.at(-1)
      result.nextOffset = result.records.length >= limit && last ? last.offset + 1n : part.nextOffset
    }
  } finally {
    await fetcher.close()
  }
  return result
}

/** Timestamp (ms) of the record at each offset, or null when none is readable there; one Fetch per leader. */
export async function recordTimestamps(
  config: KafkaConfig,
  description: TopicDescription,
  targets: FetchTarget[],
): Promise<Map<number, number | null>> {
  const timestamps = new Map<number, number | null>(targets.map((t) => [t.partition, null]))
  if (targets.length === 0) return timestamps
  const byLeader = new Map<number, FetchTarget[]>()
  for (const target of targets) {
    const leader = leaderOf(description, target.partition)
    byLeader.set(leader, [...(byLeader.get(leader) ?? []), target])
  }
  const fetcher = new BoundedFetcher(config)
  try {
    for (const [leader, group] of byLeader) {
      // Small partition bound: the broker still returns at least one whole batch, which is all we need.
      const fetched = await fetcher.fetch(description.name, description.id, leader, group, 64 * 1024)
      for (const [partition, part] of fetched) timestamps.set(partition, part.records[0]?.timestamp ?? null)
    }
  } finally {
    await fetcher.close()
  }
  return timestamps
}

function leaderOf(description: TopicDescription | undefined, partition: number): number {
  const info = description?.partitions.find((p) => p.partition === partition)
  if (!description || !info) {
    const count = description?.partitions.length ?? 0
    throw new InvalidArgumentError(`Partition ${partition} does not exist (the topic has ${count})`, {
      field: 'partition',
    })
  }
  return info.leader
}

async function startOffset(
  admin: TopicLookups,
  options: ReadRecordsOptions,
  earliest: bigint,
  latest: bigint,
): Promise<bigint> {
  const from = options.from
  if (from === 'earliest') return earliest
  if (from === 'latest') return latest - BigInt(options.limit)
  if ('offset' in from) return from.offset
  const found = (await admin.offsetsForTimestamp(options.topic, from.timestamp)).find(
    (o) => o.partition === options.partition,
  )
  return found?.offset ?? latest
}
