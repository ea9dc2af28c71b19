import type { Admin as PltAdmin } from '@platformatic/kafka'
import type { KafkaConfig } from '../../config/kafka-config.ts'
import { InvalidArgumentError, KafkaRequestError } from '../../errors.ts'
import type {
  Admin,
  GroupDescription,
  GroupListing,
  GroupPartitionOffset,
  OffsetResetPlan,
  OffsetResetTarget,
  PartitionLag,
  PartitionOffsets,
} from '../types.ts'
import { GroupActiveError, GroupNotFoundError } from '../../errors.ts'
import { describeClassicGroup, describeConsumerProtocolGroup } from './admin-group-describe.ts'
import { recordTimestamps } from './admin-read.ts'
import { hasProtocolError } from './errors.ts'

export interface GroupContext {
  plt: PltAdmin
  config: KafkaConfig
  topics: Pick<Admin, 'describeTopics' | 'listOffsets' | 'offsetsForTimestamp'>
  /**
   * Describes a group (default: ConsumerGroupDescribe or DescribeGroups sent to its coordinator over a connection
   * of our own). A seam for unit tests, which have no coordinator to connect to.
   */
  describeGroup?: (groupId: string) => Promise<GroupDescription>
}

export async function listGroups(ctx: GroupContext): Promise<GroupListing[]> {
  let groups
  try {
    // Without explicit types the broker lists nothing on Kafka 4.
    groups = await ctx.plt.listGroups({ types: ['classic', 'consumer'] })
  } catch (error) {
    throw new KafkaRequestError('Listing consumer groups', error, true)
  }
  return [...groups.values()]
    .map((g) => ({
      groupId: g.id,
      type: g.groupType ?? 'classic',
      state: g.state,
      protocolType: g.protocolType,
    }))
    .sort((a, b) => a.groupId.localeCompare(b.groupId))
}

export async function describeGroup(ctx: GroupContext, groupId: string): Promise<GroupDescription> {
  if (ctx.describeGroup) return ctx.describeGroup(groupId)
  const listing = (await listGroups(ctx)).find((g) => g.groupId === groupId)
  if (!listing) throw new GroupNotFoundError(groupId)
  return listing.type === 'consumer'
    ? describeConsumerProtocolGroup(ctx.plt, ctx.config, groupId)
    : describeClassicGroup(ctx.plt, ctx.config, groupId)
}

export async function groupOffsets(
  ctx: GroupContext,
  groupId: string,
  options: { requireStable?: boolean } = {},
): Promise<GroupPartitionOffset[]> {
  let result
  try {
    result = await ctx.plt.listConsumerGroupOffsets({
      groups: [groupId],
      ...(options.requireStable ? { requireStable: true } : {}),
    })
  } catch (error) {
    if (hasProtocolError(error, 'GROUP_ID_NOT_FOUND')) throw new GroupNotFoundError(groupId)
    throw new KafkaRequestError(`Listing offsets of group ${groupId}`, error, true)
  }
  return result
    .flatMap((g) =>
      g.topics.flatMap((t) =>
        t.partitions
          .filter((p) => p.committedOffset >= 0n)
          .map((p) => ({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset })),
      ),
    )
    .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
}

export async function groupLag(ctx: GroupContext, groupId: string): Promise<PartitionLag[]> {
  const [description, committed] = await Promise.all([describeGroup(ctx, groupId), groupOffsets(ctx, groupId)])
  const byTopic = new Map<string, Map<number, bigint | null>>()
  const entry = (topic: string): Map<number, bigint | null> => {
    const found = byTopic.get(topic) ?? new Map<number, bigint | null>()
    byTopic.set(topic, found)
    return found
  }
  for (const member of description.members) {
    for (const a of member.assignment) for (const p of a.partitions) entry(a.topic).set(p, null)
  }
  for (const c of committed) entry(c.topic).set(c.partition, c.offset)

  const rows: PartitionLag[] = []
  for (const [topic, partitions] of [...byTopic].sort(([a], [b]) => a.localeCompare(b))) {
    rows.push(...(await topicLag(ctx, topic, partitions)))
  }
  return rows
}

async function topicLag(
  ctx: GroupContext,
  topic: string,
  committed: Map<number, bigint | null>,
): Promise<PartitionLag[]> {
  const [[description], offsets] = await Promise.all([
    ctx.topics.describeTopics([topic]),
    ctx.topics.listOffsets(topic),
  ])
  const rows: PartitionLag[] = offsets
    .filter((o) => committed.has(o.partition))
    .map((o) => {
      const offset = committed.get(o.partition) ?? null
      const next = offset === null ? null : offset > o.earliest ? offset : o.earliest
      const lag = next === null ? null : next < o.latest ? o.latest - next : 0n
      return {
        topic,
        partition: o.partition,
        committedOffset: offset,
        earliestOffset: o.earliest,
        latestOffset: o.latest,
        lag,
        lagSeconds: lag === 0n ? 0 : null,
        nextRecordTimestamp: null,
      }
    })
  const behind = rows.filter((r) => r.lag !== null && r.lag > 0n)
  if (!description || behind.length === 0) return rows
  const targets = behind.map((r) => ({
    partition: r.partition,
    offset: r.latestOffset - (r.lag ?? 0n),
  }))
  const timestamps = await recordTimestamps(ctx.config, description, targets)
  const now = Date.now()
  for (const row of behind) {
    const timestamp = timestamps.get(row.partition) ?? null
    row.nextRecordTimestamp = timestamp
    row.lagSeconds = timestamp === null ? null : Math.max(0, now - timestamp) / 1000
  }
  return rows
}

/**
 * What a reset would do, without doing it: per partition the committed offset, the new one and the lag before and
 * after. Works while the group has members (the reset itself is then refused); `activeMembers` says how many.
 */
export async function planGroupOffsetReset(
  ctx: GroupContext,
  groupId: string,
  topic: string,
  target: OffsetResetTarget,
  partitions?: number[],
): Promise<OffsetResetPlan> {
  const offsets = await ctx.topics.listOffsets(topic)
  const wanted = partitions ? new Set(partitions) : undefined
  const selected = offsets.filter((o) => !wanted || wanted.has(o.partition))
  if (wanted && selected.length !== wanted.size) {
    const known = new Set(offsets.map((o) => o.partition))
    const missing = [...wanted].filter((p) => !known.has(p))
    throw new InvalidArgumentError(`Partitions ${missing.join(',')} do not exist in ${topic}`, { field: 'partitions' })
  }
  let activeMembers = 0
  let committed: GroupPartitionOffset[] = []
  try {
    activeMembers = (await describeGroup(ctx, groupId)).members.length
    committed = await groupOffsets(ctx, groupId)
  } catch (error) {
    // Offsets of a group that does not exist yet may be set (it then exists, with those offsets).
    if (!(error instanceof GroupNotFoundError)) throw error
  }
  const atTime = target.to === 'timestamp' ? await ctx.topics.offsetsForTimestamp(topic, target.timestamp) : []
  const lagAt = (offset: bigint, o: PartitionOffsets): bigint => {
    const next = offset > o.earliest ? offset : o.earliest
    return next < o.latest ? o.latest - next : 0n
  }
  const rows = selected.map((o) => {
    let offset: bigint
    if (target.to === 'earliest') offset = o.earliest
    else if (target.to === 'latest') offset = o.latest
    else if (target.to === 'timestamp') offset = atTime.find((t) => t.partition === o.partition)?.offset ?? o.latest
    else offset = target.offset < o.earliest ? o.earliest : target.offset > o.latest ? o.latest : target.offset
    const current = committed.find((c) => c.topic === topic && c.partition === o.partition)?.offset ?? null
    return {
      partition: o.partition,
      currentOffset: current,
      newOffset: offset,
      earliestOffset: o.earliest,
      latestOffset: o.latest,
      lagBefore: current === null ? null : lagAt(current, o),
      lagAfter: lagAt(offset, o),
    }
  })
  return { groupId, topic, activeMembers, partitions: rows }
}

export async function resetGroupOffsets(
  ctx: GroupContext,
  groupId: string,
  topic: string,
  target: OffsetResetTarget,
  partitions?: number[],
): Promise<GroupPartitionOffset[]> {
  await refuseWhileActive(ctx, groupId, 'reset the offsets of')
  const plan = await planGroupOffsetReset(ctx, groupId, topic, target, partitions)
  const next = plan.partitions.map((p) => ({ topic, partition: p.partition, offset: p.newOffset }))
  try {
    await ctx.plt.alterConsumerGroupOffsets({
      groupId,
      topics: [{ name: topic, partitionOffsets: next.map((n) => ({ partition: n.partition, offset: n.offset })) }],
    })
  } catch (error) {
    // A member joined between our check and the commit: the coordinator refuses offsets from a non-member.
    if (hasProtocolError(error, 'UNKNOWN_MEMBER_ID') || hasProtocolError(error, 'REBALANCE_IN_PROGRESS')) {
      throw new GroupActiveError(groupId, 'reset the offsets of', 0)
    }
    throw new KafkaRequestError(`Resetting offsets of group ${groupId}`, error)
  }
  return next
}

export async function deleteGroup(ctx: GroupContext, groupId: string): Promise<void> {
  await refuseWhileActive(ctx, groupId, 'delete', true)
  try {
    await ctx.plt.deleteGroups({ groups: [groupId] })
  } catch (error) {
    if (hasProtocolError(error, 'GROUP_ID_NOT_FOUND')) throw new GroupNotFoundError(groupId)
    if (hasProtocolError(error, 'NON_EMPTY_GROUP')) throw new GroupActiveError(groupId, 'delete', 0)
    throw new KafkaRequestError(`Deleting group ${groupId}`, error)
  }
}

async function refuseWhileActive(ctx: GroupContext, groupId: string, action: string, mustExist = false): Promise<void> {
  let description: GroupDescription
  try {
    description = await describeGroup(ctx, groupId)
  } catch (error) {
    // Offsets of a group that does not exist yet may be set (it then exists, with those offsets).
    if (error instanceof GroupNotFoundError && !mustExist) return
    throw error
  }
  if (description.members.length > 0) throw new GroupActiveError(groupId, action, description.members.length)
}
