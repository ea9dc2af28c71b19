/**
 * From device bytes to a sensors.readings record: strict JSON (UTF-8, finite numbers, bounded depth), an object,
 * identity checked against what the edge knows (the MQTT topic's ACL-enforced device, or the HTTP token's),
 * site and zone filled from the topic when the device leaves them out, ingestTimeMs set here (the edge is where
 * the platform first sees the reading), then validated against the registered schema and framed in the
 * registry wire format, keyed by sensor id.
 */
import { isPoisonError, parseJsonPayload, type JsonSerde, type ProducerRecord } from '@isobar/core'
import { mqttDeviceName } from '@isobar/kafka-local'
import { IngestErrorCodes, ReadingRejectedError, type IngestErrorCode } from './errors.ts'

export interface ReadingOrigin {
  /** The device name the transport authenticated (MQTT username from the topic, HTTP token owner). */
  device: string
  siteId?: string
  zoneId?: string
}

export type DecodedReading = { ok: true; record: ProducerRecord; sensorId: string } | { ok: false; error: Error }

export class ReadingCodec {
  readonly #serde: JsonSerde
  readonly #topic: string
  readonly #subject: string
  readonly #now: () => number

  constructor(options: { serde: JsonSerde; topic: string; now?: () => number }) {
    this.#serde = options.serde
    this.#topic = options.topic
    this.#subject = `${options.topic}-value`
    this.#now = options.now ?? Date.now
  }

  get topic(): string {
    return this.#topic
  }

  fromBytes(payload: Buffer, origin: ReadingOrigin): DecodedReading {
    let value: unknown
    try {
      value = parseJsonPayload(payload, -1)
    } catch (error) {
      return { ok: false, error: error as Error }
    }
    return this.fromValue(value, origin)
  }

  /** Throws only transient errors (none today); poison is returned as `{ ok: false }`. */
  fromValue(value: unknown, origin: ReadingOrigin): DecodedReading {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return reject(IngestErrorCodes.NOT_AN_OBJECT, 'a reading must be a JSON object')
    }
    const reading = { ...(value as Record<string, unknown>) }
    const sensorId = reading.sensorId
    if (typeof sensorId !== 'string' || mqttDeviceName(sensorId) !== origin.device) {
      return reject(
        IngestErrorCodes.IDENTITY_MISMATCH,
        `sensorId ${JSON.stringify(sensorId)} is not the device's own (${origin.device})`,
      )
    }
    for (const [field, known] of [
      ['siteId', origin.siteId],
      ['zoneId', origin.zoneId],
    ] as const) {
      if (known === undefined) continue
      if (reading[field] === undefined) reading[field] = known
      else if (reading[field] !== known) {
        return reject(IngestErrorCodes.IDENTITY_MISMATCH, `${field} ${JSON.stringify(reading[field])} is not ${known}`)
      }
    }
    reading.ingestTimeMs = this.#now()
    try {
      const framed = this.#serde.serialize(this.#subject, reading)
      const timestamp = typeof reading.eventTimeMs === 'number' ? reading.eventTimeMs : undefined
      return {
        ok: true,
        sensorId,
        record: {
          topic: this.#topic,
          key: Buffer.from(sensorId),
          value: framed,
          ...(timestamp === undefined ? {} : { timestamp }),
        },
      }
    } catch (error) {
      if (!isPoisonError(error)) throw error
      return { ok: false, error }
    }
  }
}

function reject(code: IngestErrorCode, message: string): DecodedReading {
  return { ok: false, error: new ReadingRejectedError(code, message) }
}
