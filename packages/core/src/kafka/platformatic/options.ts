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
