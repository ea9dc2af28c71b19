import type { GroupAssignment, GroupPartitionsAssigner, GroupPartitionsAssignments } from '@platformatic/kafka'

/**
 * Kafka's RangeAssignor (the Java client's classic default before 3.0): per topic, the members subscribed to it
 * sorted by member id take contiguous ranges of partitions; the first `partitions % members` take one more.
 * Eager: every rebalance starts from scratch, so a join or leave can move partitions between members that stay.
 */
export const rangeAssigner: GroupPartitionsAssigner = (_current, members, topics, metadata) => {
  const assignments = new Map<string, Map<string, GroupAssignment>>()
  for (const memberId of members.keys()) assignments.set(memberId, new Map())
  for (const topic of [...topics].sort()) {
    const partitions = metadata.topics.get(topic)?.partitionsCount ?? 0
    const subscribed = [...members.values()]
      .filter((m) => m.topics?.includes(topic))
      .map((m) => m.memberId)
      .sort()
    if (subscribed.length === 0) continue
    const each = Math.floor(partitions / subscribed.length)
    const extra = partitions % subscribed.length
    let next = 0
    subscribed.forEach((memberId, i) => {
      const count = each + (i < extra ? 1 : 0)
      if (count === 0) return
      const owned = Array.from({ length: count }, (_, k) => next + k)
      next += count
      assignments.get(memberId)!.set(topic, { topic, partitions: owned })
    })
  }
  return [...assignments].map(([memberId, owned]): GroupPartitionsAssignments => ({ memberId, assignments: owned }))
}
