import { Ajv } from 'ajv'
import { ConfigError } from '../errors.ts'
import { FETCH_LIMITS, type FetchSettings } from '../kafka/fetch-options.ts'
import { applyProfile, KAFKA_PROFILES, type KafkaProfile } from './kafka-profiles.ts'

/** Connection and producer settings shared by every Isobar process. Validated once, then frozen. */
export interface KafkaConfig {
  readonly bootstrapServers: readonly string[]
  readonly clientId: string
  /** The named profile the producer and consumer settings below were filled in from (kafka-profiles.ts). */
  readonly profile: KafkaProfile
  readonly connectTimeoutMs: number
  readonly requestTimeoutMs: number
  readonly compression: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd'
  readonly batch: { readonly maxRecords: number; readonly maxBytes: number; readonly lingerMs: number }
  /** Produce requests in flight per producer; at most 5, the limit under which idempotence keeps order. */
  readonly maxInFlight: number
  /** How long a producer retries a failed produce request before reporting it failed (Java's delivery.timeout.ms). */
  readonly deliveryTimeoutMs: number
  /** What consumers ask for per fetch, unless a consumer's own options say otherwise. */
  readonly fetch: FetchSettings
  readonly tls?: {
    readonly ca?: string
    readonly cert?: string
    readonly key?: string
    readonly rejectUnauthorized?: boolean
  }
  readonly sasl?: {
    readonly mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'
    readonly username: string
    readonly password: string
  }
}

export const DEFAULT_BOOTSTRAP_SERVERS = '127.0.0.1:9092'

export const kafkaConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['bootstrapServers'],
  properties: {
    bootstrapServers: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', pattern: '^[^\\s:,]+:[0-9]{1,5}$' },
    },
    clientId: { type: 'string', minLength: 1, default: 'isobar' },
    profile: { enum: KAFKA_PROFILES },
    connectTimeoutMs: { type: 'integer', minimum: 100, default: 5000 },
    requestTimeoutMs: { type: 'integer', minimum: 100, default: 30000 },
    compression: { enum: ['none', 'gzip', 'snappy', 'lz4', 'zstd'], default: 'none' },
    batch: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        maxRecords: { type: 'integer', minimum: 1, default: 1000 },
        maxBytes: { type: 'integer', minimum: 1024, default: 1048576 },
        lingerMs: { type: 'integer', minimum: 0, default: 5 },
      },
    },
    maxInFlight: { type: 'integer', minimum: 1, maximum: 5, default: 5 },
    deliveryTimeoutMs: { type: 'integer', minimum: 1000, default: 120000 },
    fetch: {
      type: 'object',
      additionalProperties: false,
      required: ['minBytes', 'maxWaitMs', 'maxBytes', 'maxPartitionBytes'],
      properties: {
        minBytes: { type: 'integer', minimum: FETCH_LIMITS.minBytes.min, maximum: FETCH_LIMITS.minBytes.max },
        maxWaitMs: { type: 'integer', minimum: FETCH_LIMITS.maxWaitMs.min, maximum: FETCH_LIMITS.maxWaitMs.max },
        maxBytes: { type: 'integer', minimum: FETCH_LIMITS.maxBytes.min, maximum: FETCH_LIMITS.maxBytes.max },
        maxPartitionBytes: {
          type: 'integer',
          minimum: FETCH_LIMITS.maxPartitionBytes.min,
          maximum: FETCH_LIMITS.maxPartitionBytes.max,
        },
      },
    },
    tls: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ca: { type: 'string' },
        cert: { type: 'string' },
        key: { type: 'string' },
        rejectUnauthorized: { type: 'boolean' },
      },
    },
    sasl: {
      type: 'object',
      additionalProperties: false,
      required: ['mechanism', 'username', 'password'],
      properties: {
        mechanism: { enum: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] },
        username: { type: 'string', minLength: 1 },
        password: { type: 'string' },
      },
    },
  },
} as const

const ajv = new Ajv({ useDefaults: true, allErrors: true })
const validate = ajv.compile(kafkaConfigSchema)

/**
 * Fills in the profile's settings (`profile`, default balanced) where the input sets none, applies defaults,
 * validates and deep-freezes. Throws ConfigError naming every bad field.
 */
export function parseKafkaConfig(input: unknown): KafkaConfig {
  const cloned: unknown = structuredClone(input)
  const candidate: unknown =
    cloned !== null && typeof cloned === 'object' && !Array.isArray(cloned)
      ? applyProfile(cloned as Record<string, unknown>)
      : cloned
  if (!validate(candidate)) {
    const problems = (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`)
    throw new ConfigError(`Invalid Kafka configuration: ${problems.join('; ')}`, { problems })
  }
  return deepFreeze(candidate as unknown as KafkaConfig)
}

/** Splits "host:port,host:port" as KAFKA_BOOTSTRAP_SERVERS spells it. */
export function splitBootstrapServers(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}
