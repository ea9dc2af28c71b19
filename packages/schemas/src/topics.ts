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

export interface TopicSpec {
  topic: string
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
  topic: string,
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

function deadLetter(topic: string, owner: string): TopicSpec {
  const spec = framed(topic, 'the original key, unchanged', [], 1, 14, owner)
  return { ...spec, valueSubject: null }
}

export const TOPICS: readonly TopicSpec[] = [
  framed('weather.observations', 'stationId', [weatherObservationV1, weatherObservationV2], 6, 7, 'weather-streamer'),
  framed('weather.alerts', '<ruleId>+<stationId>', [alertV1, alertV2], 3, 30, 'weather-streamer (engine: alerts)'),
  deadLetter('weather.dlq', 'weather-streamer (producer side), stream (consumer side)'),
  framed('sensors.readings', 'sensorId', [sensorReadingV1, sensorReadingV2, sensorReadingV3], 6, 7, 'sensor-analytics'),
  framed(
    'sensors.aggregates',
    'sensorId or zone:<zoneId>',
    [windowAggregateV1, windowAggregateV2, windowAggregateV3],
    6,
    30,
    'stream',
  ),
  framed('sensors.alerts', '<ruleId>+<sensorId>', [alertV1, alertV2], 3, 30, 'sensor-analytics (engine: alerts)'),
  framed('sensors.alert-commands', 'ruleId', [alertCommandV1], 1, 30, 'console'),
  deadLetter('sensors.dlq', 'sensor-analytics (producer side), stream (consumer side)'),
  {
    topic: '_schemas',
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
export function latestSchema(topic: string): object {
  const schema = topicSpec(topic)?.schemas.at(-1)
  if (!schema) throw new RangeError(`topic ${topic} has no value schema`)
  return schema
}
