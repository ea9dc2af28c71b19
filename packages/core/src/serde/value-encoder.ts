import { SchemaViolationError } from './errors.ts'
import { JsonSerde, type SchemaSource } from './json-serde.ts'
import { ValidatorCache } from './validators.ts'

export interface JsonValueEncoderOptions {
  /** With a registry: the schema is registered (or found) under `subject` and values go out in its wire format. */
  registry?: SchemaSource
  subject: string
  schema: object
}

/**
 * A producer's value encoder for one subject: validates every value against `schema` and gives the registry wire
 * format when a registry is configured, plain JSON otherwise. Throws SchemaViolationError for an invalid value.
 */
export async function createJsonValueEncoder(options: JsonValueEncoderOptions): Promise<(value: unknown) => Buffer> {
  const { registry, subject, schema } = options
  if (registry) {
    const serde = new JsonSerde({ registry })
    await serde.prepare(subject, schema)
    return (value) => serde.serialize(subject, value)
  }
  // Id 0 is never a registry id: this validator is local only.
  const validate = new ValidatorCache().compile(0, JSON.stringify(schema))
  return (value) => {
    const violations = validate(value)
    if (violations) throw new SchemaViolationError(0, subject, violations)
    return Buffer.from(JSON.stringify(value))
  }
}
