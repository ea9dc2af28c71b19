import { DEFAULT_FETCH, type FetchSettings } from '../kafka/fetch-options.ts'

/** KAFKA_PROFILE: one name for a coherent set of producer and consumer settings. */
export type KafkaProfile = 'throughput' | 'latency' | 'balanced'
export const KAFKA_PROFILES: readonly KafkaProfile[] = ['balanced', 'throughput', 'latency']
export const DEFAULT_KAFKA_PROFILE: KafkaProfile = 'balanced'

export interface ProfileSettings {
  readonly compression: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd'
  /** BatchingProducer: records per produce request, bytes per request, how long a partial batch waits. */
  readonly batch: { readonly maxRecords: number; readonly maxBytes: number; readonly lingerMs: number }
  readonly maxInFlight: number
  readonly fetch: FetchSettings
}

/**
 * The settings each profile stands for; explicit settings (KAFKA_COMPRESSION, a config's own `batch` or `fetch`
 * fields) win over them. `balanced` is what every process ran with before profiles existed. Figures and the
 * reasoning behind the other two: docs/performance.md ("Profiles").
 */
export const PROFILE_SETTINGS: Readonly<Record<KafkaProfile, ProfileSettings>> = Object.freeze({
  balanced: {
    compression: 'none',
    batch: { maxRecords: 1000, maxBytes: 1_048_576, lingerMs: 5 },
    maxInFlight: 5,
    fetch: DEFAULT_FETCH,
  },
  // Fewer, fuller requests: a longer linger fills batches, lz4 shrinks them cheaply, and the broker holds a fetch
  // until 64 KiB are ready so each response carries many records.
  throughput: {
    compression: 'lz4',
    batch: { maxRecords: 10_000, maxBytes: 1_048_576, lingerMs: 25 },
    maxInFlight: 5,
    fetch: { minBytes: 65_536, maxWaitMs: 100, maxBytes: 4_194_304, maxPartitionBytes: 1_048_576 },
  },
  // Nothing waits: no linger, small requests, no compression, and a fetch returns as soon as one record is there.
  latency: {
    compression: 'none',
    batch: { maxRecords: 200, maxBytes: 262_144, lingerMs: 0 },
    maxInFlight: 5,
    fetch: { minBytes: 1, maxWaitMs: 100, maxBytes: 1_048_576, maxPartitionBytes: 1_048_576 },
  },
})

/**
 * `input` (a raw Kafka config object) with its profile's settings filled in where it sets none. The profile name
 * itself is checked by the schema afterwards (an unknown one is left for it to name).
 */
export function applyProfile(input: Record<string, unknown>): Record<string, unknown> {
  const name = input.profile ?? DEFAULT_KAFKA_PROFILE
  if (typeof name !== 'string' || !Object.hasOwn(PROFILE_SETTINGS, name)) return input
  const profile = PROFILE_SETTINGS[name as KafkaProfile]
  return {
    ...input,
    profile: name,
    compression: input.compression ?? profile.compression,
    maxInFlight: input.maxInFlight ?? profile.maxInFlight,
    batch: merged(profile.batch, input.batch),
    fetch: merged(profile.fetch, input.fetch),
  }
}

// Only an object (or nothing) is merged; anything else is passed on for the schema to refuse by name.
function merged(defaults: object, value: unknown): unknown {
  if (value === undefined) return { ...defaults }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  return { ...defaults, ...value }
}

/** One line per profile for docs/configuration.md, from the table above so the doc cannot drift. */
export function describeProfiles(): string {
  return KAFKA_PROFILES.map((name) => {
    const p = PROFILE_SETTINGS[name]
    return (
      `\`${name}\` (compression ${p.compression}, batches of ${p.batch.maxRecords} records / ${p.batch.maxBytes} B, ` +
      `linger ${p.batch.lingerMs} ms; fetch.min.bytes ${p.fetch.minBytes}, fetch.max.wait ${p.fetch.maxWaitMs} ms, ` +
      `fetch.max.bytes ${p.fetch.maxBytes}, max.partition.fetch.bytes ${p.fetch.maxPartitionBytes})`
    )
  }).join(', ')
}
