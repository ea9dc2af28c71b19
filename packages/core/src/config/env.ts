import { DEFAULT_BOOTSTRAP_SERVERS, parseKafkaConfig, splitBootstrapServers, type KafkaConfig } from './kafka-config.ts'

export type Env = Readonly<Record<string, string | undefined>>

/**
 * Reads the Kafka settings from environment variables. Only a process's main.ts calls this, passing
 * `process.env`; libraries receive the resulting KafkaConfig.
 *
 * KAFKA_BOOTSTRAP_SERVERS  host:port[,host:port…]   (default 127.0.0.1:9092, the local cluster)
 * KAFKA_CLIENT_ID, KAFKA_COMPRESSION, KAFKA_SASL_MECHANISM/USERNAME/PASSWORD, KAFKA_TLS=1, KAFKA_TLS_CA_FILE…
 */
export function kafkaConfigFromEnv(env: Env, overrides: Record<string, unknown> = {}): KafkaConfig {
  const raw: Record<string, unknown> = {
    bootstrapServers: splitBootstrapServers(env.KAFKA_BOOTSTRAP_SERVERS ?? DEFAULT_BOOTSTRAP_SERVERS),
  }
  if (env.KAFKA_CLIENT_ID) raw.clientId = env.KAFKA_CLIENT_ID
  if (env.KAFKA_COMPRESSION) raw.compression = env.KAFKA_COMPRESSION
  if (env.KAFKA_SASL_MECHANISM) {
    raw.sasl = {
      mechanism: env.KAFKA_SASL_MECHANISM.toUpperCase(),
      username: env.KAFKA_SASL_USERNAME ?? '',
      password: env.KAFKA_SASL_PASSWORD ?? '',
    }
  }
  if (env.KAFKA_TLS === '1' || env.KAFKA_TLS === 'true') {
    const tls: Record<string, unknown> = {}
    if (env.KAFKA_TLS_CA_FILE) tls.ca = env.KAFKA_TLS_CA_FILE
    if (env.KAFKA_TLS_CERT_FILE) tls.cert = env.KAFKA_TLS_CERT_FILE
    if (env.KAFKA_TLS_KEY_FILE) tls.key = env.KAFKA_TLS_KEY_FILE
    if (env.KAFKA_TLS_REJECT_UNAUTHORIZED === '0') tls.rejectUnauthorized = false
    raw.tls = tls
  }
  return parseKafkaConfig({ ...raw, ...overrides })
}
