/** The service configuration: one schema, validated once (main.ts and the CLI build the input), then frozen. */
import { fileURLToPath } from 'node:url'
import { compileConfigSchema, deepFreeze } from '@isobar/core'
import { WeatherConfigError } from './errors.ts'
import { DEAD_LETTER_TOPIC, OBSERVATIONS_TOPIC, SOURCE_NAMES, type SourceName } from './observation.ts'
import { OPEN_METEO_URL } from './sources/open-meteo.ts'
import { TopicNames } from '@isobar/schemas'

export const ALERTS_TOPIC = TopicNames.WEATHER_ALERTS
/** The rules shipped with the service (gust, temperature drop, falling pressure, silent station). */
export const DEFAULT_ALERT_RULES_FILE = fileURLToPath(new URL('../rules/weather-alerts.yaml', import.meta.url))

export interface WeatherStreamerConfig {
  readonly sources: readonly SourceName[]
  readonly topics: {
    readonly observations: string
    readonly deadLetter: string
    readonly partitions: number
    readonly replicationFactor: number
  }
  /** Stop after this many seconds (0 = until SIGTERM/SIGINT or every source ends). */
  readonly durationS: number
  readonly sim: {
    readonly stations: number
    readonly rate: number
    readonly speedup: number
    readonly seed: number
    readonly maxRecords: number
  }
  readonly metar: {
    /** A file path, '-' for stdin, or an http(s) URL (aviationweather.gov raw format). */
    readonly input?: string
    readonly stationsFile?: string
    readonly pollIntervalMs: number
  }
  readonly replay: {
    readonly file?: string
    readonly location: string
    readonly timeScale: number
    readonly maxRecords: number
  }
  readonly openmeteo: {
    readonly url: string
    readonly locations: ReadonlyArray<{ readonly latitudeDeg: number; readonly longitudeDeg: number }>
    readonly intervalMs: number
    readonly backoffMs: number
    readonly maxBackoffMs: number
  }
  /** Alert rules evaluated over the accepted observations (the shared @isobar/alerts engine). */
  readonly alerts: { readonly enabled: boolean; readonly rulesFile: string; readonly topic: string }
  readonly metricsPort?: number
  /** Interface of /metrics, /health, /ready: 127.0.0.1 by default, 0.0.0.0 in a container. */
  readonly metricsHost: string
  readonly registryUrl?: string
}

const positive = { type: 'number', exclusiveMinimum: 0 } as const
const count = { type: 'integer', minimum: 0 } as const

export const weatherConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    sources: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { enum: [...SOURCE_NAMES] },
      default: ['sim'],
    },
    topics: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        observations: { type: 'string', minLength: 1, default: OBSERVATIONS_TOPIC },
        deadLetter: { type: 'string', minLength: 1, default: DEAD_LETTER_TOPIC },
        partitions: { type: 'integer', minimum: 1, default: 6 },
        replicationFactor: { type: 'integer', minimum: 1, default: 1 },
      },
    },
    durationS: { type: 'number', minimum: 0, default: 0 },
    sim: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        stations: { type: 'integer', minimum: 1, maximum: 100000, default: 10 },
        rate: { type: 'number', minimum: 0, default: 10 },
        speedup: { ...positive, default: 1 },
        seed: { type: 'integer', default: 42 },
        maxRecords: { ...count, default: 0 },
      },
    },
    metar: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        input: { type: 'string', minLength: 1 },
        stationsFile: { type: 'string', minLength: 1 },
        pollIntervalMs: { type: 'integer', minimum: 1000, default: 300000 },
      },
    },
    replay: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        file: { type: 'string', minLength: 1 },
        location: { type: 'string', minLength: 1, default: 'Seattle' },
        timeScale: { type: 'number', minimum: 0, default: 86400 },
        maxRecords: { ...count, default: 0 },
      },
    },
    openmeteo: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        url: { type: 'string', pattern: '^https?://', default: OPEN_METEO_URL },
        locations: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['latitudeDeg', 'longitudeDeg'],
            properties: {
              latitudeDeg: { type: 'number', minimum: -90, maximum: 90 },
              longitudeDeg: { type: 'number', minimum: -180, maximum: 180 },
            },
          },
          default: [{ latitudeDeg: 52.52, longitudeDeg: 13.41 }],
        },
        intervalMs: { type: 'integer', minimum: 100, default: 900000 },
        backoffMs: { type: 'integer', minimum: 1, default: 1000 },
        maxBackoffMs: { type: 'integer', minimum: 1, default: 300000 },
      },
    },
    alerts: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        enabled: { type: 'boolean', default: true },
        rulesFile: { type: 'string', minLength: 1, default: DEFAULT_ALERT_RULES_FILE },
        topic: { type: 'string', minLength: 1, default: ALERTS_TOPIC },
      },
    },
    metricsPort: { type: 'integer', minimum: 0, maximum: 65535 },
    metricsHost: { type: 'string', minLength: 1, maxLength: 255, default: '127.0.0.1' },
    registryUrl: { type: 'string', pattern: '^https?://' },
  },
} as const

const check = compileConfigSchema<WeatherStreamerConfig>(weatherConfigSchema)

/** Applies defaults and validates; throws WeatherConfigError naming every bad field. */
export function parseWeatherConfig(input: unknown): WeatherStreamerConfig {
  const checked = check(input)
  if (!checked.ok) {
    const { problems } = checked
    throw new WeatherConfigError(`invalid weather streamer config: ${problems.join('; ')}`, { problems })
  }
  const config = checked.value
  if (config.sources.includes('metar') && !config.metar.input) {
    throw new WeatherConfigError('the metar source needs an input (file, "-" for stdin, or URL)')
  }
  if (config.sources.includes('metar') && !config.metar.stationsFile) {
    throw new WeatherConfigError('the metar source needs a station list (metar.stationsFile)')
  }
  if (config.sources.includes('replay') && !config.replay.file) {
    throw new WeatherConfigError('the replay source needs a CSV file (replay.file)')
  }
  return deepFreeze(config)
}
