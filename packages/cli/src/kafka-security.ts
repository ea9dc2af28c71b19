import type { Env } from '@isobar/core'
import {
  localKafkaCredentials,
  type KafkaClientCredentials,
  type LocalKafkaCluster,
  type LocalKafkaSecurityMode,
  type LocalPrincipal,
} from '@isobar/kafka-local'
import { flag, type ParsedArgs } from './args.ts'
import { UsageError } from './errors.ts'

export const SECURITY_ENV = 'ISOBAR_KAFKA_SECURITY'

/**
 * `--secure` or ISOBAR_KAFKA_SECURITY (sasl_ssl | none); undefined when neither is given, so a running or
 * previously formatted local cluster keeps its mode.
 */
export function securityMode(args: ParsedArgs, env: Env, command: string): LocalKafkaSecurityMode | undefined {
  if (flag(args, 'secure')) return 'sasl_ssl'
  const raw = env[SECURITY_ENV]
  if (raw === undefined || raw === '') return undefined
  const value = raw.toLowerCase()
  if (value !== 'sasl_ssl' && value !== 'none') {
    throw new UsageError(`${command}: ${SECURITY_ENV} must be sasl_ssl or none, got "${raw}"`)
  }
  return value
}

/** The KAFKA_* variables (core's kafkaConfigFromEnv) that connect as one principal of a secured local cluster. */
export function credentialEnv(credentials: KafkaClientCredentials | undefined): Record<string, string> {
  if (credentials === undefined) return {}
  return {
    KAFKA_SASL_MECHANISM: credentials.mechanism,
    KAFKA_SASL_USERNAME: credentials.username,
    KAFKA_SASL_PASSWORD: credentials.password,
    KAFKA_TLS: '1',
    KAFKA_TLS_CA_FILE: credentials.caFile,
  }
}

/** Which principal each `npm start` service connects as. */
export const SERVICE_PRINCIPALS: Readonly<Record<string, LocalPrincipal>> = {
  registry: 'registry',
  console: 'admin',
  weather: 'weather',
  analytics: 'analytics',
  sensors: 'simulator',
}

/** Per service name, the env that gives it its own principal on a secured local cluster; {} when not secured. */
export function serviceCredentialEnv(cluster: LocalKafkaCluster): Record<string, Record<string, string>> {
  if (cluster.security === undefined) return {}
  return Object.fromEntries(
    Object.entries(SERVICE_PRINCIPALS).map(([service, principal]) => [
      service,
      credentialEnv(localKafkaCredentials(cluster, principal)),
    ]),
  )
}

/** Tool → the option that takes a client properties file, for Kafka's own tools against a secured cluster. */
const TOOL_CONFIG_OPTION: Readonly<Record<string, string>> = {
  'kafka-topics': '--command-config',
  'kafka-consumer-groups': '--command-config',
  'kafka-configs': '--command-config',
  'kafka-console-producer': '--command-config',
  'kafka-console-consumer': '--command-config',
  'kafka-producer-perf-test': '--command-config',
  'kafka-consumer-perf-test': '--command-config',
  'kafka-metadata-quorum': '--command-config',
}
const CONFIG_OPTIONS = ['--command-config', '--producer.config', '--consumer.config', '--config']

/**
 * Arguments for a Kafka tool against the secured local cluster: its admin client properties are added unless the
 * user passed a client config of their own. Tools without such an option get their arguments unchanged.
 */
export function toolArgsWithCredentials(tool: string, args: readonly string[], propertiesFile: string): string[] {
  const option = TOOL_CONFIG_OPTION[tool]
  const given = args.some((arg) => CONFIG_OPTIONS.some((name) => arg === name || arg.startsWith(`${name}=`)))
  return option === undefined || given ? [...args] : [...args, option, propertiesFile]
}
