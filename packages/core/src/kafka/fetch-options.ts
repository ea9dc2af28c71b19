import type { KafkaConfig } from '../config/kafka-config.ts'
import { InvalidArgumentError } from '../errors.ts'
import type { ConsumerOptions } from './types.ts'

/** How much a consumer asks for per fetch request, as Kafka's consumer settings name it. */
export interface FetchSettings {
  /** fetch.min.bytes: the broker answers once this much data is ready (or fetchMaxWaitMs passed). */
  readonly minBytes: number
  /** fetch.max.wait.ms: longest the broker holds a fetch waiting for minBytes. */
  readonly maxWaitMs: number
  /** fetch.max.bytes: most bytes one fetch response carries (at least one batch is always returned). */
  readonly maxBytes: number
  /** max.partition.fetch.bytes: most bytes per partition in one response. */
  readonly maxPartitionBytes: number
}

/**
 * The defaults of the `balanced` profile: Kafka's fetch.min.bytes (1), a 500 ms wait (Kafka's default), and 1 MiB
 * per fetch instead of Kafka's 50 MiB: @platformatic/kafka scans its response buffer chunk by chunk, so a large
 * fetch costs CPU per record (measured with `isobar bench consume`, packages/bench/README.md).
 */
export const DEFAULT_FETCH: FetchSettings = Object.freeze({
  minBytes: 1,
  maxWaitMs: 500,
  maxBytes: 1_048_576,
  maxPartitionBytes: 1_048_576,
})

/** Accepted ranges; the same bounds the configuration schema applies (kafka-config.ts). */
export const FETCH_LIMITS = Object.freeze({
  minBytes: { min: 1, max: 52_428_800 },
  maxWaitMs: { min: 0, max: 30_000 },
  maxBytes: { min: 1024, max: 52_428_800 },
  maxPartitionBytes: { min: 1024, max: 52_428_800 },
})

const OPTION_NAMES: Record<keyof FetchSettings, keyof ConsumerOptions> = {
  minBytes: 'fetchMinBytes',
  maxWaitMs: 'fetchMaxWaitMs',
  maxBytes: 'fetchMaxBytes',
  maxPartitionBytes: 'maxPartitionFetchBytes',
}

/**
 * A consumer's fetch settings: each option given in `options` wins over the configuration (whose profile chose
 * the rest). Throws InvalidArgumentError naming the option for a value out of range or not an integer.
 */
export function resolveFetchSettings(config: KafkaConfig, options: ConsumerOptions): FetchSettings {
  const base = config.fetch
  const given: Record<keyof FetchSettings, number | undefined> = {
    minBytes: options.fetchMinBytes,
    maxWaitMs: options.fetchMaxWaitMs ?? options.maxWaitMs,
    maxBytes: options.fetchMaxBytes,
    maxPartitionBytes: options.maxPartitionFetchBytes,
  }
  const resolved = { ...base }
  for (const key of Object.keys(OPTION_NAMES) as Array<keyof FetchSettings>) {
    const value = given[key]
    if (value === undefined) continue
    const { min, max } = FETCH_LIMITS[key]
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      const field = OPTION_NAMES[key]
      throw new InvalidArgumentError(`${field} must be an integer from ${min} to ${max}, got ${String(value)}`, {
        field,
      })
    }
    resolved[key] = value
  }
  // A fetch the broker may hold longer than the client waits for any answer would time out instead of returning.
  if (resolved.maxWaitMs >= config.requestTimeoutMs) {
    throw new InvalidArgumentError(
      `fetchMaxWaitMs ${resolved.maxWaitMs} must be below requestTimeoutMs ${config.requestTimeoutMs}`,
      { field: 'fetchMaxWaitMs' },
    )
  }
  return resolved
}
