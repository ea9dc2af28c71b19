/** The ingest service's error catalogue: stable codes, a retriable flag, used in DLQ headers and HTTP bodies. */
import { IsobarError, type ErrorCatalogue } from '@isobar/core'

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

export type IngestErrorCode = (typeof IngestErrorCodes)[keyof typeof IngestErrorCodes]

declare module '@isobar/core' {
  interface IsobarErrorCodeMap {
    ingest: IngestErrorCode
  }
}

export const IngestErrorCatalogue: ErrorCatalogue<IngestErrorCode> = {
  package: '@isobar/ingest',
  docs: {
    ISOBAR_INGEST_CONFIG_INVALID: {
      meaning: 'The ingest service configuration is invalid; the message names the setting.',
      retriable: false,
      action: 'Fix the environment variable named; the service does not start.',
    },
    ISOBAR_INGEST_BAD_TOPIC: {
      meaning: 'An MQTT message arrived on a topic outside isobar/<site>/<zone>/<sensor>/readings.',
      retriable: false,
      action: 'Dead-lettered with its MQTT topic; fix the device topic.',
    },
    ISOBAR_INGEST_IDENTITY_MISMATCH: {
      meaning: 'A reading names another sensor, site or zone than its topic or token allows.',
      retriable: false,
      action: 'Dead-lettered (MQTT) or refused per record (HTTP); fix the device identity.',
    },
    ISOBAR_INGEST_NOT_AN_OBJECT: {
      meaning: 'A payload is not a JSON object.',
      retriable: false,
      action: 'Dead-lettered (MQTT) or refused per record (HTTP); send one JSON reading per message.',
    },
    ISOBAR_INGEST_MQTT_FAILED: {
      meaning: 'The MQTT connection of the bridge failed.',
      retriable: true,
      action: 'Retried; check that Mosquitto runs (`isobar mqtt status`) and the bridge credentials.',
    },
    ISOBAR_INGEST_DELIVERY_FAILED: {
      meaning: 'Kafka did not acknowledge a reading after the producer retries.',
      retriable: true,
      action: 'Nothing is acknowledged to the device, which sends it again; check the brokers.',
    },
  },
}

export class IngestConfigError extends IsobarError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(IngestErrorCodes.CONFIG_INVALID, message, { details })
    this.name = 'IngestConfigError'
  }
}

/** A payload that can never become a reading: it goes to the DLQ (MQTT) or is refused per record (HTTP). */
export class ReadingRejectedError extends IsobarError {
  constructor(code: IngestErrorCode, message: string, details: Record<string, unknown> = {}) {
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
