/** The ingest service's error catalogue: stable codes, a retriable flag, used in DLQ headers and HTTP bodies. */
import { IsobarError } from '@isobar/core'

export const IngestErrorCodes = {
  CONFIG_INVALID: 'ISOBAR_INGEST_CONFIG_INVALID',
  /** The MQTT topic does not follow isobar/<site>/<zone>/<sensor>/readings. */
  BAD_TOPIC: 'ISOBAR_INGEST_BAD_TOPIC',
  /** The reading names another sensor, site or zone than its topic (or its HTTP token) says. */
  IDENTITY_MISMATCH: 'ISOBAR_INGEST_IDENTITY_MISMATCH',
  /** Not a JSON object. */
  NOT_AN_OBJECT: 'ISOBAR_INGEST_NOT_AN_OBJECT',
  MQTT_FAILED: 'ISOBAR_INGEST_MQTT_FAILED',
  DELIVERY_FAILED: 'ISOBAR_INGEST_DELIVERY_FAILED',
} as const

export class IngestConfigError extends IsobarError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(IngestErrorCodes.CONFIG_INVALID, message, { details })
    this.name = 'IngestConfigError'
  }
}

/** A payload that can never become a reading: it goes to the DLQ (MQTT) or is refused per record (HTTP). */
export class ReadingRejectedError extends IsobarError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, { details })
    this.name = 'ReadingRejectedError'
  }
}

export class MqttBridgeError extends IsobarError {
  constructor(message: string, cause?: unknown) {
    super(IngestErrorCodes.MQTT_FAILED, message, { cause, retriable: true })
    this.name = 'MqttBridgeError'
  }
}
