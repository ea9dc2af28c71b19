/**
 * The schema a topic's values are produced with: the latest version of the registry subject `<topic>-value`
 * (Confluent's TopicNameStrategy). Validated here as well as in the browser, then sent registry-framed.
 */
import { encodeJsonFrame, SchemaViolationError, ValidatorCache, type SchemaRegistryClient } from '@isobar/core'
import { InvalidRequestError } from '../errors.ts'
import { registryCall } from './registry-call.ts'

export interface ValueSchema {
  subject: string
  version: number
  id: number
  schemaType: string
  schema: unknown
}

export function valueSubject(topic: string): string {
  return `${topic}-value`
}

export async function latestValueSchema(registry: SchemaRegistryClient, topic: string): Promise<ValueSchema> {
  const subject = valueSubject(topic)
  const latest = await registryCall(`subject ${subject}`, () => registry.getVersion(subject, 'latest'))
  let schema: unknown
  try {
    schema = JSON.parse(latest.schema)
  } catch {
    schema = latest.schema
  }
  return { subject, version: latest.version, id: latest.id, schemaType: latest.schemaType, schema }
}

/** Validates `value` against the topic's latest value schema and frames it (magic byte + schema id + JSON). */
export class RegistryValueEncoder {
  readonly #registry: SchemaRegistryClient
  readonly #validators = new ValidatorCache()

  constructor(registry: SchemaRegistryClient) {
    this.#registry = registry
  }

  async encode(topic: string, value: unknown): Promise<{ bytes: Buffer; schemaId: number }> {
    const subject = valueSubject(topic)
    const latest = await registryCall(`subject ${subject}`, () => this.#registry.getVersion(subject, 'latest'))
    if (latest.schemaType !== 'JSON') {
      throw new InvalidRequestError(
        `${latest.subject} v${latest.version} is ${latest.schemaType}: only JSON Schema values can be produced here`,
        'valueEncoding',
      )
    }
    const violations = this.#validators.compile(latest.id, latest.schema, latest.schemaType)(value)
    if (violations) throw new SchemaViolationError(latest.id, `${latest.subject} v${latest.version}`, violations)
    return { bytes: encodeJsonFrame(latest.id, JSON.stringify(value)), schemaId: latest.id }
  }
}
