/**
 * The kafka-local error catalogue. Codes are stable strings (match on `code`, not `instanceof`: a test run may load
 * two copies of this package). They are IsobarErrors, so callers handle them like every other Isobar error.
 */
import { IsobarError, type IsobarErrorOptions } from '@isobar/core'

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
} as const

export type KafkaLocalErrorCode = (typeof KafkaLocalErrorCodes)[keyof typeof KafkaLocalErrorCodes]

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
