/**
 * The kafka-local error catalogue. Codes are stable strings (match on `code`, not `instanceof`: a test run may load
 * two copies of this package). They are IsobarErrors, so callers handle them like every other Isobar error.
 */
import { IsobarError, type IsobarErrorOptions, type ErrorCatalogue } from '@isobar/core'

export const KafkaLocalErrorCodes = {
  JAVA_MISSING: 'ISOBAR_KAFKA_LOCAL_JAVA_MISSING',
  MAVEN_MISSING: 'ISOBAR_KAFKA_LOCAL_MAVEN_MISSING',
  JARS_FAILED: 'ISOBAR_KAFKA_LOCAL_JARS_FAILED',
  INVALID_OPTION: 'ISOBAR_KAFKA_LOCAL_INVALID_OPTION',
  PORT_IN_USE: 'ISOBAR_KAFKA_LOCAL_PORT_IN_USE',
  CLUSTER_MISMATCH: 'ISOBAR_KAFKA_LOCAL_CLUSTER_MISMATCH',
  START_FAILED: 'ISOBAR_KAFKA_LOCAL_START_FAILED',
  START_TIMEOUT: 'ISOBAR_KAFKA_LOCAL_START_TIMEOUT',
  NOT_RUNNING: 'ISOBAR_KAFKA_LOCAL_NOT_RUNNING',
  UNKNOWN_TOOL: 'ISOBAR_KAFKA_LOCAL_UNKNOWN_TOOL',
  TOOL_TIMEOUT: 'ISOBAR_KAFKA_LOCAL_TOOL_TIMEOUT',
  MOSQUITTO_MISSING: 'ISOBAR_KAFKA_LOCAL_MOSQUITTO_MISSING',
  MOSQUITTO_FAILED: 'ISOBAR_KAFKA_LOCAL_MOSQUITTO_FAILED',
  POSTGRES_MISSING: 'ISOBAR_KAFKA_LOCAL_POSTGRES_MISSING',
  POSTGRES_FAILED: 'ISOBAR_KAFKA_LOCAL_POSTGRES_FAILED',
  CONNECT_FAILED: 'ISOBAR_KAFKA_LOCAL_CONNECT_FAILED',
  CONNECT_DEPLOY_FAILED: 'ISOBAR_KAFKA_LOCAL_CONNECT_DEPLOY_FAILED',
} as const

export type KafkaLocalErrorCode = (typeof KafkaLocalErrorCodes)[keyof typeof KafkaLocalErrorCodes]
declare module '@isobar/core' {
  interface IsobarErrorCodeMap {
    kafkaLocal: KafkaLocalErrorCode
  }
}

export const KafkaLocalErrorCatalogue: ErrorCatalogue<KafkaLocalErrorCode> = {
  package: '@isobar/kafka-local',
  docs: {
    ISOBAR_KAFKA_LOCAL_JAVA_MISSING: {
      meaning: 'No Java 17+ on PATH.',
      retriable: false,
      action: '`apt-get install openjdk-17-jre-headless`, or set KAFKA_BOOTSTRAP_SERVERS to a running cluster.',
    },
    ISOBAR_KAFKA_LOCAL_MAVEN_MISSING: {
      meaning: 'No Maven 3.6.3+ on PATH to fetch the Kafka jars.',
      retriable: false,
      action: '`apt-get install maven`, or set KAFKA_BOOTSTRAP_SERVERS.',
    },
    ISOBAR_KAFKA_LOCAL_JARS_FAILED: {
      meaning: 'Maven could not fetch the Kafka jars.',
      retriable: true,
      action: 'Check access to Maven Central, then `npm run kafka:jars` again.',
    },
    ISOBAR_KAFKA_LOCAL_INVALID_OPTION: {
      meaning: 'An option of the local cluster is out of range (nodes, ports, names).',
      retriable: false,
      action: 'Fix the option the message names.',
    },
    ISOBAR_KAFKA_LOCAL_PORT_IN_USE: {
      meaning: 'A port the cluster needs is taken by another process.',
      retriable: false,
      action: 'Free the port or start on another base port.',
    },
    ISOBAR_KAFKA_LOCAL_CLUSTER_MISMATCH: {
      meaning: 'A cluster of that name exists with another layout or security mode.',
      retriable: false,
      action: '`npx isobar kafka stop --purge` it first, or use the same options.',
    },
    ISOBAR_KAFKA_LOCAL_START_FAILED: {
      meaning: 'A Kafka node exited or could not be prepared while starting.',
      retriable: false,
      action: 'Read `npx isobar kafka logs`.',
    },
    ISOBAR_KAFKA_LOCAL_START_TIMEOUT: {
      meaning: 'Nodes did not become ready in time (or another start holds the lock).',
      retriable: true,
      action: 'Retry; on a loaded machine start takes longer; see the logs.',
    },
    ISOBAR_KAFKA_LOCAL_NOT_RUNNING: {
      meaning: 'No local cluster is running.',
      retriable: false,
      action: '`npx isobar kafka start`.',
    },
    ISOBAR_KAFKA_LOCAL_UNKNOWN_TOOL: {
      meaning: '`isobar kafka tool` was given a tool it does not ship.',
      retriable: false,
      action: 'Use one of the tools the README lists.',
    },
    ISOBAR_KAFKA_LOCAL_TOOL_TIMEOUT: {
      meaning: 'A Kafka tool did not finish within its deadline.',
      retriable: true,
      action: 'Retry; check the broker.',
    },
    ISOBAR_KAFKA_LOCAL_MOSQUITTO_MISSING: {
      meaning: 'mosquitto or mosquitto_passwd is not installed (or failed to run).',
      retriable: false,
      action: 'Install Debian mosquitto (.ci/run does); npm start falls back to producing to Kafka directly.',
    },
    ISOBAR_KAFKA_LOCAL_MOSQUITTO_FAILED: {
      meaning: 'Mosquitto did not come up or stopped; the message says why (its log is under <home>/mqtt).',
      retriable: true,
      action: 'Check the port is free and read the Mosquitto log.',
    },
    ISOBAR_KAFKA_LOCAL_POSTGRES_MISSING: {
      meaning: 'PostgreSQL 15 (initdb, pg_ctl, psql) is not installed.',
      retriable: false,
      action: 'Install Debian postgresql-15 (.ci/run does); npm start then runs without the history sink.',
    },
    ISOBAR_KAFKA_LOCAL_POSTGRES_FAILED: {
      meaning: 'PostgreSQL did not initialise, start or accept the schema; the message says why (log under <home>/db).',
      retriable: true,
      action: 'Check the port is free and read <home>/db/log/postgres.log.',
    },
    ISOBAR_KAFKA_LOCAL_CONNECT_FAILED: {
      meaning: 'The Kafka Connect worker did not come up (or its plugins are missing); the message says why.',
      retriable: true,
      action: 'Run `npm run connect:jars`, check the REST port is free, read <home>/connect/connect.log.',
    },
    ISOBAR_KAFKA_LOCAL_CONNECT_DEPLOY_FAILED: {
      meaning: "Connect's REST API refused a connector definition, or a connector did not reach RUNNING.",
      retriable: false,
      action: 'Read the message (Connect names the bad setting) and `npx isobar connect status`.',
    },
  },
}

export type KafkaLocalErrorOptions = IsobarErrorOptions

/** Every kafka-local failure: an IsobarError whose code is one of KafkaLocalErrorCodes. */
export class KafkaLocalError extends IsobarError {
  declare readonly code: KafkaLocalErrorCode

  constructor(code: KafkaLocalErrorCode, message: string, options: KafkaLocalErrorOptions = {}) {
    super(code, message, options)
    this.name = 'KafkaLocalError'
  }
}

export function isKafkaLocalError(error: unknown, code?: KafkaLocalErrorCode): error is KafkaLocalError {
  if (!(error instanceof Error)) return false
  const candidate = (error as { code?: unknown }).code
  if (typeof candidate !== 'string' || !candidate.startsWith('ISOBAR_KAFKA_LOCAL_')) return false
  return code === undefined || candidate === code
}
