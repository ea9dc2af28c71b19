import { readFileSync } from 'node:fs'
import type { BaseOptions } from '@platformatic/kafka'
import type { KafkaConfig } from '../../config/kafka-config.ts'

/** Maps our validated config onto the options every @platformatic/kafka client shares. */
export function baseOptions(config: KafkaConfig, clientIdSuffix: string): BaseOptions {
  const options: BaseOptions = {
    clientId: `${config.clientId}-${clientIdSuffix}`,
    bootstrapBrokers: [...config.bootstrapServers],
    connectTimeout: config.connectTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    timeout: config.requestTimeoutMs,
    // Bounded retries so a vanished broker surfaces as an error instead of an endless wait.
    retries: 5,
    retryDelay: 250,
  }
  if (config.tls) {
    options.tls = {
      ...(config.tls.ca ? { ca: readFileSync(config.tls.ca) } : {}),
      ...(config.tls.cert ? { cert: readFileSync(config.tls.cert) } : {}),
      ...(config.tls.key ? { key: readFileSync(config.tls.key) } : {}),
      rejectUnauthorized: config.tls.rejectUnauthorized ?? true,
    }
  }
  if (config.sasl) {
    options.sasl = { mechanism: config.sasl.mechanism, username: config.sasl.username, password: config.sasl.password }
  }
  return options
}

/** First and largest pause between produce retries (the Java producer's retry.backoff.ms / retry.backoff.max.ms). */
export const PRODUCE_RETRY_BACKOFF_MS = 100
export const PRODUCE_RETRY_BACKOFF_MAX_MS = 1000

/** The pause before produce retry `attempt` (1-based): exponential from 100 ms, capped at 1 s. */
export function produceRetryDelay(attempt: number): number {
  return Math.min(PRODUCE_RETRY_BACKOFF_MS * 2 ** Math.max(0, attempt - 1), PRODUCE_RETRY_BACKOFF_MAX_MS)
}

/**
 * How many retries fill a delivery timeout: the client retries a produce request (same producer id and sequence,
 * so the broker de-duplicates and keeps order) until the pauses alone add up to `deliveryTimeoutMs`. The client
 * has no wall-clock delivery timeout of its own; attempts that wait for a request timeout make the real bound longer.
 */
export function produceRetries(deliveryTimeoutMs: number): number {
  let retries = 0
  for (let waited = 0; waited < deliveryTimeoutMs; waited += produceRetryDelay(retries)) retries++
  return retries
}
