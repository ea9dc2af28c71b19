/**
 * How simulated readings become records. `registry`: core's JsonSerde validates each reading against the latest
 * sensors.readings schema and frames it in the Confluent wire format (magic byte 0, schema id, JSON); `json`:
 * plain JSON text, no registry (demos, benchmarks). The generator and the runner do not care which.
 */
import { JsonSerde, type ProducerRecord, type SchemaSource } from '@isobar/core'
import { latestSchema, TopicNames, valueSubject } from '@isobar/schemas'
import { FAULTS_HEADER } from './faults.ts'
import type { SimulatedReading, SimulatedReadingValue } from './generator.ts'

/** Throws when the value cannot be encoded (e.g. SchemaViolationError): the runner counts it and goes on. */
export type ReadingEncoder = (value: SimulatedReadingValue) => Buffer

export const READING_FORMATS = ['registry', 'json'] as const
export type ReadingFormat = (typeof READING_FORMATS)[number]

export interface ReadingEncoding {
  readonly format: ReadingFormat
  readonly encode: ReadingEncoder
  /** The registered schema id every record carries (registry format only). */
  readonly schemaId?: number
}

export const jsonReadingEncoder: ReadingEncoder = (value) => Buffer.from(JSON.stringify(value))

export const jsonReadingEncoding: ReadingEncoding = { format: 'json', encode: jsonReadingEncoder }

export function isReadingFormat(value: string): value is ReadingFormat {
  return (READING_FORMATS as readonly string[]).includes(value)
}

export interface RegistryReadingEncodingOptions {
  /** Target topic; its value subject is `<topic>-value` (TopicNameStrategy). */
  topic: string
  /** Default: the latest sensors.readings schema of the catalogue. */
  schema?: object
  /** Register the schema when the subject lacks it (default true); false = look it up only. */
  autoRegister?: boolean
}

/** Registers (or looks up) the readings schema and binds the subject; call once before the run. */
export async function registryReadingEncoding(
  registry: SchemaSource,
  options: RegistryReadingEncodingOptions,
): Promise<ReadingEncoding & { schemaId: number; subject: string }> {
  const serde = new JsonSerde({ registry })
  const subject = valueSubject(options.topic)
  const schema = options.schema ?? latestSchema(TopicNames.SENSORS_READINGS)
  const prepareOptions = options.autoRegister === undefined ? {} : { autoRegister: options.autoRegister }
  const { schemaId } = await serde.prepare(subject, schema, prepareOptions)
  return { format: 'registry', schemaId, subject, encode: (value) => serde.serialize(subject, value) }
}

const headerCache = new Map<string, Buffer>()

/** Keyed by sensor id (one sensor → one partition); fault tags travel in a header, not in the value. */
export function readingRecord(
  topic: string,
  reading: SimulatedReading,
  encode: ReadingEncoder = jsonReadingEncoder,
): ProducerRecord {
  const record: ProducerRecord = { topic, key: Buffer.from(reading.value.sensorId), value: encode(reading.value) }
  if (reading.faults.length > 0) {
    const tags = reading.faults.join(',')
    let header = headerCache.get(tags)
    if (!header) headerCache.set(tags, (header = Buffer.from(tags)))
    record.headers = { [FAULTS_HEADER]: header }
  }
  return record
}
