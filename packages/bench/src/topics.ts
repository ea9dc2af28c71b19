import { randomBytes } from 'node:crypto'
import type { Admin } from '@isobar/core'
import type { BenchSettings } from './types.ts'

/** Unique per run, so an interrupted run never makes the next one read stale records. */
export function benchTopicName(kind: string): string {
  return `isobar-bench-${kind}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`
}

/** Creates the topics with identical layout and waits until every partition has a leader. */
export async function createBenchTopics(
  admin: Admin,
  names: string[],
  settings: Pick<BenchSettings, 'partitions' | 'replicationFactor' | 'minInsyncReplicas'>,
): Promise<void> {
  await admin.createTopics(
    names.map((name) => ({
      name,
      partitions: settings.partitions,
      replicationFactor: settings.replicationFactor,
      configs: { 'min.insync.replicas': String(settings.minInsyncReplicas) },
    })),
  )
  const deadline = Date.now() + 30_000
  for (;;) {
    const described = await admin.describeTopics(names).catch(() => [])
    const ready =
      described.length === names.length &&
      described.every(
        (t) =>
          t.partitions.length === settings.partitions &&
          t.partitions.every((p) => p.leader >= 0 && p.isr.length >= settings.minInsyncReplicas),
      )
    if (ready) return
    if (Date.now() > deadline) throw new Error(`Bench topics ${names.join(', ')} got no leaders within 30 s`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Best effort: a failed delete must not hide the result (or the error) of the run itself. */
export async function deleteBenchTopics(admin: Admin, names: string[]): Promise<void> {
  await admin.deleteTopics(names).catch(() => undefined)
}

/** Sum of end offsets over all partitions: how many records a topic holds (nothing is deleted during a run). */
export async function topicRecordCount(admin: Admin, name: string): Promise<number> {
  const offsets = await admin.listOffsets(name)
  return offsets.reduce((sum, o) => sum + Number(o.latest - o.earliest), 0)
}
