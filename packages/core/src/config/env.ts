import { DEFAULT_BOOTSTRAP_SERVERS, parseKafkaConfig, splitBootstrapServers, type KafkaConfig } from './kafka-config.ts'
import { DEFAULT_KAFKA_PROFILE, describeProfiles, KAFKA_PROFILES } from './kafka-profiles.ts'
import { loadConfig, type Env, type EnvSchema } from './load-config.ts'

export type { Env }

/** The Kafka variables every process reads (docs/configuration.md is generated from this). */
export const KAFKA_ENV = {
  name: 'Kafka',
  title: 'Kafka (every process and the CLI)',
  vars: {
    KAFKA_BOOTSTRAP_SERVERS: {
      type: 'string',
      default: DEFAULT_BOOTSTRAP_SERVERS,
      description: '`host:port[,host:port…]`; the CLI and `npm start` use the running local cluster when unset',
    },
    KAFKA_CLIENT_ID: { type: 'string', description: 'client id prefix (default: the service name or `isobar-cli`)' },
    KAFKA_PROFILE: {
      type: 'enum',
      values: KAFKA_PROFILES,
      default: DEFAULT_KAFKA_PROFILE,
      description: `producer and consumer tuning (explicit settings win): ${describeProfiles()}; docs/performance.md`,
    },
    KAFKA_COMPRESSION: {
      type: 'enum',
      values: ['none', 'gzip', 'snappy', 'lz4', 'zstd'],
      description: "producer compression (default: the profile's, `none` except `throughput`: `lz4`)",
    },
    KAFKA_SASL_MECHANISM: { type: 'string', description: '`PLAIN`, `SCRAM-SHA-256` or `SCRAM-SHA-512` (any case)' },
    KAFKA_SASL_USERNAME: { type: 'string', description: 'SASL user' },
    KAFKA_SASL_PASSWORD: { type: 'string', secret: true, description: 'SASL password' },
    KAFKA_TLS: { type: 'boolean', default: false, description: 'connect with TLS' },
    KAFKA_TLS_CA_FILE: { type: 'string', description: 'CA certificate file (PEM) to trust' },
    KAFKA_TLS_CERT_FILE: { type: 'string', description: 'client certificate file (PEM) for mTLS' },
    KAFKA_TLS_KEY_FILE: { type: 'string', description: 'client key file (PEM) for mTLS' },
    KAFKA_TLS_REJECT_UNAUTHORIZED: {
      type: 'boolean',
      default: true,
      description: '`0` accepts any broker certificate (tests only)',
    },
  },
} as const satisfies EnvSchema

/**
 * Reads the Kafka settings from environment variables (KAFKA_ENV). Only a process's main.ts calls this, passing
 * `process.env`; libraries receive the resulting KafkaConfig.
 */
export function kafkaConfigFromEnv(env: Env, overrides: Record<string, unknown> = {}): KafkaConfig {
  const c = loadConfig(KAFKA_ENV, env)
  const raw: Record<string, unknown> = { bootstrapServers: splitBootstrapServers(c.KAFKA_BOOTSTRAP_SERVERS) }
  if (c.KAFKA_CLIENT_ID !== undefined) raw.clientId = c.KAFKA_CLIENT_ID
  raw.profile = c.KAFKA_PROFILE
  if (c.KAFKA_COMPRESSION !== undefined) raw.compression = c.KAFKA_COMPRESSION
  if (c.KAFKA_SASL_MECHANISM !== undefined) {
    raw.sasl = {
      mechanism: c.KAFKA_SASL_MECHANISM.toUpperCase(),
      username: c.KAFKA_SASL_USERNAME ?? '',
      password: c.KAFKA_SASL_PASSWORD ?? '',
    }
  }
  if (c.KAFKA_TLS) {
    const tls: Record<string, unknown> = {}
    if (c.KAFKA_TLS_CA_FILE !== undefined) tls.ca = c.KAFKA_TLS_CA_FILE
    if (c.KAFKA_TLS_CERT_FILE !== undefined) tls.cert = c.KAFKA_TLS_CERT_FILE
    if (c.KAFKA_TLS_KEY_FILE !== undefined) tls.key = c.KAFKA_TLS_KEY_FILE
    if (!c.KAFKA_TLS_REJECT_UNAUTHORIZED) tls.rejectUnauthorized = false
    raw.tls = tls
  }
  return parseKafkaConfig({ ...raw, ...overrides })
}
