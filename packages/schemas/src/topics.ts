/**
 * The topic catalogue: every Isobar topic, its key, its value subject (TopicNameStrategy: `<topic>-value`)
 * with the schema versions in registration order, partitions, retention and owning service.
 * docs/topics.md is the prose version of this table; a test keeps the two in step.
 */
import { alertCommandV1 } from './messages/alert-command.ts'
import { alertV1, alertV2 } from './messages/alert.ts'
import { sensorReadingV1, sensorReadingV2, sensorReadingV3 } from './messages/sensor-reading.ts'
import { weatherObservationV1, weatherObservationV2 } from './messages/weather-observation.ts'
import { windowAggregateV1, windowAggregateV2, windowAggregateV3 } from './messages/window-aggregate.ts'

/** Every subject is BACKWARD_TRANSITIVE: a consumer on the newest version reads everything ever written. */
export const SUBJECT_COMPATIBILITY = 'BACKWARD_TRANSITIVE'

const DAY_MS = 86_400_000

/**
 * Every Isobar topic name. Source code names topics through this object, never as string literals (a test in
 * packages/schemas/test/topic-literals.test.ts finds literals in packages/\*\/src).
 */
export const TopicNames = {
  WEATHER_OBSERVATIONS: 'weather.observations',
  WEATHER_ALERTS: 'weather.alerts',
  WEATHER_DLQ: 'weather.dlq',
  SENSORS_READINGS: 'sensors.readings',
  SENSORS_AGGREGATES: 'sensors.aggregates',
  SENSORS_ALERTS: 'sensors.alerts',
  SENSORS_ALERT_COMMANDS: 'sensors.alert-commands',
  SENSORS_DLQ: 'sensors.dlq',
  SCHEMAS: '_schemas',
} as const

export type TopicName = (typeof TopicNames)[keyof typeof TopicNames]

export interface TopicSpec {
  topic: TopicName
  /** What the record key holds (UTF-8 text). */
  key: string
  /** `<topic>-value`, or null when values are not registry-framed (dead-letter topics, _schemas). */
  valueSubject: string | null
  /** Schema versions, oldest first; registering them in order yields versions 1..n. */
  schemas: readonly object[]
  partitions: number
  retentionMs: number
  cleanupPolicy: 'delete' | 'compact'
  owner: string
}

export function valueSubject(topic: string): string {
  return `${topic}-value`
}

function framed(
  topic: TopicName,
  key: string,
  schemas: readonly object[],
  partitions: number,
  retentionDays: number,
  owner: string,
): TopicSpec {
  return {
    topic,
    key,
    valueSubject: valueSubject(topic),
    schemas,
    partitions,
    retentionMs: retentionDays * DAY_MS,
    cleanupPolicy: 'delete',
    owner,
  }
}

function deadLetter(topic: TopicName, owner: string): TopicSpec {
  const spec = framed(topic, 'the original key, unchanged', [], 1, 14, owner)
  return { ...spec, valueSubject: null }
}

export const TOPICS: readonly TopicSpec[] = [
  framed(
    TopicNames.WEATHER_OBSERVATIONS,
    'stationId',
    [weatherObservationV1, weatherObservationV2],
    6,
    7,
    'weather-streamer',
  ),
  framed(
    TopicNames.WEATHER_ALERTS,
    '<ruleId>+<stationId>',
    [alertV1, alertV2],
    3,
    30,
    'weather-streamer (engine: alerts)',
  ),
  deadLetter(TopicNames.WEATHER_DLQ, 'weather-streamer (producer side), stream (consumer side)'),
  framed(
    TopicNames.SENSORS_READINGS,
    'sensorId',
    [sensorReadingV1, sensorReadingV2, sensorReadingV3],
    6,
    7,
    'sensor-analytics',
  ),
  framed(
    TopicNames.SENSORS_AGGREGATES,
    'sensorId or zone:<zoneId>',
    [windowAggregateV1, windowAggregateV2, windowAggregateV3],
    6,
    30,
    'stream',
  ),
  framed(
    TopicNames.SENSORS_ALERTS,
    '<ruleId>+<sensorId>',
    [alertV1, alertV2],
    3,
    30,
    'sensor-analytics (engine: alerts)',
  ),
  framed(TopicNames.SENSORS_ALERT_COMMANDS, 'ruleId', [alertCommandV1], 1, 30, 'console'),
  deadLetter(TopicNames.SENSORS_DLQ, 'sensor-analytics (producer side), stream (consumer side)'),
  {
    topic: TopicNames.SCHEMAS,
    key: 'registry record key (Confluent JSON)',
    valueSubject: null,
    schemas: [],
    partitions: 1,
    retentionMs: -1,
    cleanupPolicy: 'compact',
    owner: 'registry',
  },
]

export function topicSpec(topic: string): TopicSpec | undefined {
  return TOPICS.find((t) => t.topic === topic)
}

/** The newest schema of a topic's value subject. */
export function latestSchema(topic: TopicName): object {
  const schema = topicSpec(topic)?.schemas.at(-1)
  if (!schema) throw new RangeError(`topic ${topic} has no value schema`)
  return schema
}
