import type { Readable, Writable } from 'node:stream'
import {
  assertKafkaReachable,
  createKafkaClient,
  kafkaConfigFromEnv,
  type Env,
  type KafkaClient,
  type KafkaConfig,
} from '@isobar/core'
import type { LocalKafkaConnection } from '@isobar/kafka-local'
import { credentialEnv } from './kafka-security.ts'

/** Everything a command may touch, so commands stay testable without a real terminal or process. */
export interface CliContext {
  readonly env: Env
  readonly stdin: Readable
  readonly stdout: Writable
  readonly stderr: Writable
  /** Where local clusters keep their state (ISOBAR_HOME, default <repo>/.isobar). */
  readonly homeDir: string
  /** The Isobar checkout this CLI runs from (services are started from its packages). */
  readonly repoRoot: string
  /** True when stderr is a terminal: progress bars and colour are allowed. */
  readonly interactive: boolean
  /**
   * Resolves the bootstrap servers: KAFKA_BOOTSTRAP_SERVERS, else the running local cluster (with its admin
   * credentials and CA when it is secured, unless KAFKA_SASL_MECHANISM is set), else 127.0.0.1:9092.
   */
  kafkaConfig(): KafkaConfig
  /** The environment with the Kafka settings kafkaConfig() resolved: what a spawned service needs to reach it. */
  kafkaEnv(): Env
  /** The running local cluster and its admin credentials (when secured), if KAFKA_BOOTSTRAP_SERVERS is unset. */
  localKafka(): LocalKafkaConnection | undefined
  /** A connected client after a fast reachability probe; closed by the caller's `using` scope. */
  kafka(): Promise<KafkaClient>
  /** Schema Registry base URL: SCHEMA_REGISTRY_URL, default http://127.0.0.1:8081. */
  readonly registryUrl: string
}

export interface ContextInput {
  env: Env
  stdin: Readable
  stdout: Writable
  stderr: Writable
  homeDir: string
  repoRoot: string
  interactive: boolean
  /** The running local cluster, with the admin principal's credentials when it is secured. */
  localKafka: () => LocalKafkaConnection | undefined
}

export function createContext(input: ContextInput): CliContext {
  let config: KafkaConfig | undefined
  let resolvedEnv: Env | undefined
  const kafkaEnv = (): Env => {
    if (!resolvedEnv) {
      const local = input.env.KAFKA_BOOTSTRAP_SERVERS ? undefined : input.localKafka()
      // Credentials the user set explicitly win over the local cluster's admin login.
      const credentials = input.env.KAFKA_SASL_MECHANISM ? {} : credentialEnv(local?.credentials)
      resolvedEnv = local
        ? { ...input.env, KAFKA_BOOTSTRAP_SERVERS: local.bootstrapServers, ...credentials }
        : input.env
    }
    return resolvedEnv
  }
  const kafkaConfig = (): KafkaConfig => {
    config ??= kafkaConfigFromEnv(kafkaEnv(), { clientId: input.env.KAFKA_CLIENT_ID ?? 'isobar-cli' })
    return config
  }
  return {
    ...input,
    registryUrl: input.env.SCHEMA_REGISTRY_URL || 'http://127.0.0.1:8081',
    kafkaConfig,
    kafkaEnv,
    localKafka: () => (input.env.KAFKA_BOOTSTRAP_SERVERS ? undefined : input.localKafka()),
    async kafka() {
      const resolved = kafkaConfig()
      await assertKafkaReachable(resolved.bootstrapServers)
      return createKafkaClient(resolved)
    },
  }
}

/** Output helpers, kept in output.ts so that commands can print without loading the Kafka client layer. */
export { writeJson, writeLine } from './output.ts'
