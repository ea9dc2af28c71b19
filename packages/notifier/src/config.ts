import { TopicNames } from '@isobar/schemas'
import { compileConfigSchema } from '@isobar/core'
import { NotifierConfigError } from './errors.ts'

export interface RetryPolicy {
  /** First backoff; doubles per failed attempt, with ±20 % jitter. */
  initialMs: number
  /** Backoff ceiling. Deliveries are retried until they succeed or the notifier stops (nothing is dropped). */
  maxMs: number
}

export interface NotifierConfig {
  /** Alert topics and the `source` label each gives its alerts. */
  topics: { sensors: string; weather: string }
  groupId: string
  /** Where a new group starts reading (a restarted one resumes at its committed offsets). */
  startFrom: 'earliest' | 'latest'
  /** Alertmanager base URL (its v2 API is under /api/v2); absent: not used. */
  alertmanager?: {
    url: string
    /** endsAt of a firing alert = last send + this, refreshed every resendIntervalMs while it fires. */
    firingTtlMs: number
    resendIntervalMs: number
  }
  /** Direct webhook: JSON body signed with HMAC-SHA256 of `<timestamp>.<body>` under `secret`; absent: not used. */
  webhook?: { url: string; secret: string }
  retry: RetryPolicy
  /** Timeout of one HTTP attempt. */
  requestTimeoutMs: number
  metricsPort: number
  metricsHost: string
}

const url = { type: 'string', pattern: '^https?://[^\\s]+$', maxLength: 2048 }

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    topics: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        sensors: { type: 'string', minLength: 1, default: TopicNames.SENSORS_ALERTS },
        weather: { type: 'string', minLength: 1, default: TopicNames.WEATHER_ALERTS },
      },
    },
    groupId: { type: 'string', minLength: 1, default: 'isobar-notifier' },
    startFrom: { enum: ['earliest', 'latest'], default: 'latest' },
    alertmanager: {
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      properties: {
        url,
        firingTtlMs: { type: 'integer', minimum: 60_000, default: 3_600_000 },
        resendIntervalMs: { type: 'integer', minimum: 1000, default: 60_000 },
      },
    },
    webhook: {
      type: 'object',
      additionalProperties: false,
      required: ['url', 'secret'],
      properties: { url, secret: { type: 'string', minLength: 16, maxLength: 1024 } },
    },
    retry: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        initialMs: { type: 'integer', minimum: 1, default: 500 },
        maxMs: { type: 'integer', minimum: 1, default: 60_000 },
      },
    },
    requestTimeoutMs: { type: 'integer', minimum: 100, maximum: 120_000, default: 10_000 },
    metricsPort: { type: 'integer', minimum: 0, maximum: 65535, default: 9467 },
    metricsHost: { type: 'string', minLength: 1, default: '127.0.0.1' },
  },
}

const check = compileConfigSchema<NotifierConfig>(schema)

/** Validates and fills defaults; at least one channel (Alertmanager or webhook) is required. */
export function parseNotifierConfig(input: unknown): NotifierConfig {
  const result = check(input)
  if (!result.ok) throw new NotifierConfigError(`Invalid notifier config: ${result.problems.join('; ')}`)
  const config = result.value
  if (!config.alertmanager && !config.webhook) {
    throw new NotifierConfigError('Invalid notifier config: set NOTIFIER_ALERTMANAGER_URL or NOTIFIER_WEBHOOK_URL')
  }
  if (config.retry.maxMs < config.retry.initialMs) {
    throw new NotifierConfigError('Invalid notifier config: retry.maxMs is below retry.initialMs')
  }
  return config
}
