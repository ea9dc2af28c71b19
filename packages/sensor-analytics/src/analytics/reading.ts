/**
 * Reading decoding for the analytics stages: a sensors.readings value in the registry's wire format (magic byte,
 * schema id, JSON) or plain JSON, validated against the newest sensor-reading schema. Every schema version only
 * adds optional properties to the same closed model, so the newest one accepts what any version wrote; that keeps
 * the decode synchronous. A framed value's schema id must be a registered version of the readings subject
 * (checked through the registry once per id, then cached: `schemaIds`); the payload must be valid UTF-8 JSON with
 * finite numbers. A value that fails throws: the stream runner then routes the record to the dead-letter topic.
 * An id not looked up yet throws ParseDeferredError: the runner waits for the lookup and decodes again.
 */
import {
  InvalidJsonError,
  MAGIC_BYTE,
  FRAME_HEADER_BYTES,
  SchemaViolationError,
  SubjectSchemaIds,
  ValidatorCache,
  decodeFrame,
  parseJsonPayload,
  type ConsumedRecord,
} from '@isobar/core'
import { latestSchema, type SensorReading, TopicNames } from '@isobar/schemas'
import { ParseDeferredError } from '@isobar/stream'

import { MEASURED_FIELDS, type MeasuredField } from '@isobar/simulator'

/** The numeric quantities the analytics aggregates (field names carry the unit): the simulator's sensor fields. */
export { MEASURED_FIELDS, type MeasuredField }

/** What the analytics needs of one reading. */
export interface Measurement {
  sensorId: string
  zoneId: string | undefined
  /** The reading's sensorType (v3), which selects the anomaly detector's parameters. */
  sensorType?: string
  /** The device's per-sensor counter: a repeat is a duplicate, counted once per pane. */
  sequence?: number
  eventTimeMs: number
  values: Partial<Record<MeasuredField, number>>
}

const READINGS_SUBJECT = 'sensors.readings-value'

export interface ReadingDecoder {
  /** The full reading (the alert engine evaluates it). Throws on a bad value. */
  reading(value: Buffer | null): SensorReading
  /** The analytics view of a record. Throws on a bad value. */
  measurement(record: Pick<ConsumedRecord, 'value'>): Measurement
}

export interface ReadingDecoderOptions {
  /**
   * The schema ids accepted in framed values (the readings subject's versions). Default: no registry, so every
   * framed value is refused (its id cannot be checked); plain JSON readings are read either way.
   */
  schemaIds?: SubjectSchemaIds
}

export function createReadingDecoder(options: ReadingDecoderOptions = {}): ReadingDecoder {
  // Id 0 is never a registry id: this validator is local.
  const validate = new ValidatorCache().compile(0, JSON.stringify(latestSchema(TopicNames.SENSORS_READINGS)))
  const schemaIds = options.schemaIds ?? new SubjectSchemaIds({ registry: undefined, subject: READINGS_SUBJECT })
  const reading = (value: Buffer | null): SensorReading => {
    if (!value || value.length === 0) throw new InvalidJsonError(0, new Error('empty value'))
    const framed = value[0] === MAGIC_BYTE && value.length > FRAME_HEADER_BYTES
    const { schemaId, payload } = framed ? decodeFrame(value) : { schemaId: 0, payload: value }
    if (framed && !schemaIds.check(schemaId)) {
      const until = schemaIds.resolve(schemaId)
      until.catch(() => undefined) // the stream runner awaits it; a caller that only skips must not leak a rejection
      throw new ParseDeferredError(until, `schema id ${schemaId} of ${schemaIds.subject} not looked up yet`)
    }
    const parsed = parseJsonPayload(payload, schemaId)
    const violations = validate(parsed)
    if (violations) throw new SchemaViolationError(schemaId, schemaIds.subject, violations)
    return parsed as SensorReading
  }
  return {
    reading,
    measurement(record) {
      const r = reading(record.value) as SensorReading & Record<string, unknown>
      const values: Partial<Record<MeasuredField, number>> = {}
      for (const field of MEASURED_FIELDS) {
        const v = r[field]
        if (typeof v === 'number') values[field] = v
      }
      const zoneId = typeof r.zoneId === 'string' && r.zoneId.length > 0 ? r.zoneId : undefined
      const m: Measurement = { sensorId: r.sensorId, zoneId, eventTimeMs: r.eventTimeMs, values }
      if (typeof r.sensorType === 'string') m.sensorType = r.sensorType
      if (typeof r.sequence === 'number') m.sequence = r.sequence
      return m
    },
  }
}
