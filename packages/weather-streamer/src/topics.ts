import type { Admin, NewTopic } from '@isobar/core'
import { topicSpec } from '@isobar/schemas'

export interface TopicSettings {
  observations: string
  deadLetter: string
  partitions: number
  replicationFactor: number
}

/** Creates the observations and dead-letter topics when missing, retention from the topic catalogue. */
export async function ensureTopics(admin: Admin, settings: TopicSettings): Promise<void> {
  const existing = new Set(await admin.listTopics())
  const wanted = [
    { name: settings.observations, catalogue: 'weather.observations', partitions: settings.partitions },
    { name: settings.deadLetter, catalogue: 'weather.dlq', partitions: 1 },
  ].filter((t) => !existing.has(t.name))
  if (wanted.length === 0) return
  await admin.createTopics(
    wanted.map((t): NewTopic => {
      const spec = topicSpec(t.catalogue)
      return {
        name: t.name,
        partitions: t.partitions,
        replicationFactor: settings.replicationFactor,
        configs: spec ? { 'retention.ms': String(spec.retentionMs), 'cleanup.policy': spec.cleanupPolicy } : {},
      }
    }),
    { ifNotExists: true },
  )
}
