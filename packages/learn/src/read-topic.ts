import type { ConsumedRecord } from '@isobar/core'
import type { LessonContext } from './lesson.ts'

/**
 * Every committed record of a topic, partition by partition (read_committed: records of aborted transactions are
 * left out), with the client's bounded changelog reader — the same path the stream library restores state with.
 */
export async function readTopic(ctx: Pick<LessonContext, 'kafka' | 'admin'>, topic: string): Promise<ConsumedRecord[]> {
  const [description] = await ctx.admin.describeTopics([topic])
  const records: ConsumedRecord[] = []
  for (const { partition } of description?.partitions ?? []) {
    await ctx.kafka.readCommitted({ topic, partition, onRecords: (chunk) => records.push(...chunk), timeoutMs: 30_000 })
  }
  return records
}

/** The latest offset (the end) of every partition of a topic. */
export async function endOffsets(ctx: Pick<LessonContext, 'admin'>, topic: string): Promise<Map<number, bigint>> {
  return new Map((await ctx.admin.listOffsets(topic)).map((o) => [o.partition, o.latest]))
}
