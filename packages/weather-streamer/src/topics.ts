import type { Admin, NewTopic } from '@isobar/core'
import { TopicNames, topicSpec } from '@isobar/schemas'

export interface TopicSettings {
  observations: string
  deadLetter: string
  partitions: number
  replicationFactor: number
  /** The alerts topic, when alerting is on. */
  alerts?: string
}

/** Creates the observations, dead-letter (and alerts) topics when missing, retention from the topic catalogue. */
export async function ensureTopics(admin: Admin, settings: TopicSettings): Promise<void> {
  const existing = new Set(await admin.listTopics())
  const wanted = [
    { name: settings.observations, catalogue: TopicNames.WEATHER_OBSERVATIONS, partitions: settings.partitions },
    { name: settings.deadLetter, catalogue: TopicNames.WEATHER_DLQ, partitions: 1 },
    ...(settings.alerts
      ? [
          {
            name: settings.alerts,
            catalogue: TopicNames.WEATHER_ALERTS,
            partitions: topicSpec(TopicNames.WEATHER_ALERTS)?.partitions ?? 3,
          },
        ]
      : []),
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
