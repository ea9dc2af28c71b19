/** The Sensor Analytics configuration: one schema, validated once (main.ts builds the input), then frozen. */
import { fileURLToPath } from 'node:url'
import { compileConfigSchema, deepFreeze } from '@isobar/core'
import type { ProcessingGuarantee } from '@isobar/stream'
import { AnalyticsConfigError } from '../errors.ts'
import type { AnalyticsWindowing } from './topologies.ts'
import { detectorConfigSchema, type DetectorConfig } from './anomaly/params.ts'
import { TopicNames } from '@isobar/schemas'

/** The rules shipped with the service (hot zone, CO2, vibration, silent and stuck sensors). */
export const DEFAULT_SENSOR_RULES_FILE = fileURLToPath(new URL('../../rules/sensor-alerts.yaml', import.meta.url))

export const ANALYTICS_STAGES = ['panes', 'zone-1m', 'hopping'] as const
export type AnalyticsStage = (typeof ANALYTICS_STAGES)[number]

export interface SensorAnalyticsConfig {
  readonly applicationId: string
  /** Stable per instance across restarts: static membership and transactional ids derive from it. */
  readonly instanceId: string
  readonly guarantee: ProcessingGuarantee
  /**
   * The stages this process runs (default all three). Each stage is its own consumer group, so stages can run in
   * separate processes, scaled separately; the pane stage is where every reading lands.
   */
  readonly stages: readonly AnalyticsStage[]
  readonly from: 'earliest' | 'latest'
  readonly topics: {
    readonly readings: string
    readonly aggregates: string
    readonly panes?: string
    readonly late?: string
    readonly deadLetter: string
    /** Partitions of topics the service creates when the readings topic does not exist yet. */
    readonly partitions: number
    readonly replicationFactor: number
  }
  readonly windowing: AnalyticsWindowing
  readonly anomaly: {
    readonly zThreshold: number
    readonly minCount: number
    /** The streaming detector (trailing baseline per sensor and quantity) in the pane stage. */
    readonly detector: DetectorConfig
  }
  readonly commitIntervalMs: number
  /** Commit early once this many input records are pending (bounds memory and replay after a crash). */
  readonly maxPendingRecords: number
  /** Exactly-once stages use the classic group protocol: a crashed instance keeps its partitions this long. */
  readonly sessionTimeoutMs: number
  readonly alerts: {
    readonly enabled: boolean
    readonly rulesFile: string
    readonly topic: string
    readonly commandsTopic: string
    readonly tickMs: number
  }
  readonly lag: { readonly intervalMs: number; readonly window: number }
  readonly metricsPort: number
  /** Interface of /metrics, /health, /ready: 127.0.0.1 by default, 0.0.0.0 in a container. */
  readonly metricsHost: string
  readonly registryUrl?: string
}

const positiveInt = { type: 'integer', minimum: 1 } as const
const topicName = { type: 'string', pattern: '^[a-zA-Z0-9._-]{1,249}$' } as const

const schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    applicationId: { type: 'string', pattern: '^[a-zA-Z0-9._-]{1,100}$', default: 'isobar-sensor-analytics' },
    instanceId: { type: 'string', pattern: '^[a-zA-Z0-9._-]{1,100}$', default: 'analytics-1' },
    guarantee: { enum: ['at-least-once', 'exactly-once'], default: 'exactly-once' },
    stages: {
      type: 'array',
      items: { enum: ANALYTICS_STAGES },
      minItems: 1,
      uniqueItems: true,
      default: [...ANALYTICS_STAGES],
    },
    from: { enum: ['earliest', 'latest'], default: 'earliest' },
    topics: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        readings: { ...topicName, default: TopicNames.SENSORS_READINGS },
        aggregates: { ...topicName, default: TopicNames.SENSORS_AGGREGATES },
        panes: topicName,
        late: topicName,
        deadLetter: { ...topicName, default: TopicNames.SENSORS_DLQ },
        partitions: { ...positiveInt, default: 6 },
        replicationFactor: { ...positiveInt, default: 1 },
      },
    },
    windowing: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        paneMs: { ...positiveInt, default: 60_000 },
        hopSizeMs: { ...positiveInt, default: 300_000 },
        graceMs: { type: 'integer', minimum: 0, default: 10_000 },
        idleMs: { ...positiveInt, default: 30_000 },
        maxFutureMs: { type: 'integer', minimum: 0, default: 5000 },
        maxWindowsPerPartition: { ...positiveInt, default: 200_000 },
      },
    },
    anomaly: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        zThreshold: { type: 'number', exclusiveMinimum: 0, default: 4 },
        minCount: { ...positiveInt, default: 10 },
        detector: detectorConfigSchema,
      },
    },
    commitIntervalMs: { ...positiveInt, default: 1000 },
    maxPendingRecords: { ...positiveInt, default: 20_000 },
    sessionTimeoutMs: { type: 'integer', minimum: 6000, maximum: 300_000, default: 45_000 },
    alerts: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        enabled: { type: 'boolean', default: true },
        rulesFile: { type: 'string', minLength: 1, default: DEFAULT_SENSOR_RULES_FILE },
        topic: { ...topicName, default: TopicNames.SENSORS_ALERTS },
        commandsTopic: { ...topicName, default: TopicNames.SENSORS_ALERT_COMMANDS },
        tickMs: { ...positiveInt, default: 1000 },
      },
    },
    lag: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        intervalMs: { ...positiveInt, default: 5000 },
        window: { type: 'integer', minimum: 2, default: 10 },
      },
    },
    metricsPort: { type: 'integer', minimum: 0, maximum: 65535, default: 9465 },
    metricsHost: { type: 'string', minLength: 1, maxLength: 255, default: '127.0.0.1' },
    registryUrl: { type: 'string', pattern: '^https?://' },
  },
} as const

const check = compileConfigSchema<SensorAnalyticsConfig>(schema)

export function parseSensorAnalyticsConfig(input: unknown): SensorAnalyticsConfig {
  const checked = check(input)
  if (!checked.ok) {
    throw new AnalyticsConfigError(`invalid sensor analytics config: ${checked.problems.join('; ')}`, checked.problems)
  }
  const config = checked.value
  const w = config.windowing
  if (w.hopSizeMs % w.paneMs !== 0) {
    throw new AnalyticsConfigError(`windowing.hopSizeMs (${w.hopSizeMs}) must be a multiple of paneMs (${w.paneMs})`)
  }
  return deepFreeze(config)
}
