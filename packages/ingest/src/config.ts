/** The ingest service configuration: one schema, validated once (main.ts builds the input), then frozen. */
import { TopicNames } from '@isobar/schemas'
import { compileConfigSchema, deepFreeze } from '@isobar/core'
import { IngestConfigError } from './errors.ts'

export interface IngestConfig {
  readonly topics: { readonly readings: string; readonly deadLetter: string }
  /** Absent: no MQTT bridge. */
  readonly mqtt?: {
    readonly url: string
    readonly username: string
    readonly password: string
    readonly clientId: string
    readonly topicFilter: string
    readonly maxInFlight: number
  }
  /** Absent: no HTTP endpoint. */
  readonly http?: {
    readonly port: number
    readonly host: string
    /** Device name (sensor id as in MQTT: ':' → '_') → bearer token. */
    readonly tokens: Readonly<Record<string, string>>
    /** Topics a client may produce to (REST Proxy paths /topics/{topic}). */
    readonly topics: readonly string[]
    readonly maxBodyBytes: number
    readonly maxRecords: number
    /** Records per second per token (token bucket), and its burst. */
    readonly ratePerSecond: number
    readonly burst: number
  }
  readonly metricsPort: number
  readonly registryUrl: string
}

const port = { type: 'integer', minimum: 0, maximum: 65535 } as const
const text = { type: 'string', minLength: 1 } as const

export const ingestConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['registryUrl'],
  properties: {
    topics: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        readings: { ...text, default: TopicNames.SENSORS_READINGS },
        deadLetter: { ...text, default: TopicNames.SENSORS_DLQ },
      },
    },
    mqtt: {
      type: 'object',
      additionalProperties: false,
      required: ['url', 'username', 'password'],
      properties: {
        url: { type: 'string', pattern: '^mqtts?://' },
        username: text,
        password: text,
        clientId: { ...text, default: 'isobar-ingest-bridge' },
        topicFilter: { ...text, default: 'isobar/+/+/+/readings' },
        maxInFlight: { type: 'integer', minimum: 1, maximum: 65535, default: 1000 },
      },
    },
    http: {
      type: 'object',
      additionalProperties: false,
      properties: {
        port: { ...port, default: 8082 },
        host: { ...text, default: '127.0.0.1' },
        tokens: {
          type: 'object',
          default: {},
          additionalProperties: { type: 'string', minLength: 16, maxLength: 256 },
        },
        topics: { type: 'array', items: text, minItems: 1, default: [TopicNames.SENSORS_READINGS] },
        maxBodyBytes: { type: 'integer', minimum: 1024, maximum: 16_777_216, default: 1_048_576 },
        maxRecords: { type: 'integer', minimum: 1, maximum: 10_000, default: 500 },
        ratePerSecond: { type: 'number', exclusiveMinimum: 0, default: 100 },
        burst: { type: 'integer', minimum: 1, default: 1000 },
      },
    },
    metricsPort: { ...port, default: 9466 },
    registryUrl: { type: 'string', pattern: '^https?://' },
  },
} as const

const check = compileConfigSchema<IngestConfig>(ingestConfigSchema)

/** Applies defaults and validates; throws IngestConfigError naming every bad field. */
export function parseIngestConfig(input: unknown): IngestConfig {
  const checked = check(input)
  if (!checked.ok) {
    throw new IngestConfigError(`invalid ingest config: ${checked.problems.join('; ')}`, { problems: checked.problems })
  }
  const config = checked.value
  if (!config.mqtt && !config.http) throw new IngestConfigError('nothing to run: configure mqtt, http or both')
  for (const topic of config.http?.topics ?? []) {
    if (topic !== config.topics.readings) {
      throw new IngestConfigError(
        `http topic ${topic}: only the readings topic (${config.topics.readings}) is supported`,
      )
    }
  }
  return deepFreeze(config)
}
