/** Request-body and path-parameter parsing, and the response shapes clients expect. */
import { errors } from '../errors.ts'
import type { SchemaReference, SchemaType } from '../store/records.ts'
import type { VersionEntry } from '../store/state.ts'
import type { SchemaInput } from '../schema/parse.ts'

export const MAX_VERSION = 2 ** 31 - 1

/** `latest` and `-1` mean the latest version; otherwise 1..2^31-1 (422/42202 for anything else). */
export function parseVersion(raw: string): number | 'latest' {
  if (raw === 'latest' || raw === '-1') return 'latest'
  if (!/^\d+$/.test(raw)) throw errors.invalidVersion(raw)
  const version = Number(raw)
  if (version < 1 || version > MAX_VERSION) throw errors.invalidVersion(raw)
  return version
}

export function validateSubject(subject: string): void {
  if (subject.length === 0 || subject.length > 10_000 || /[\u0000-\u001f]/.test(subject)) {
    throw errors.invalidSubject(subject)
  }
}

export interface RegisterBody extends SchemaInput {
  /** Explicit id / version (IMPORT mode only). */
  id?: number
  version?: number
}

function parseSchemaType(raw: unknown): SchemaType {
  if (raw === undefined || raw === null) return 'AVRO'
  const upper = typeof raw === 'string' ? raw.toUpperCase() : ''
  if (upper === 'AVRO' || upper === 'JSON' || upper === 'PROTOBUF') return upper
  throw errors.invalidSchema(`Invalid schema type ${typeof raw === 'string' ? raw : JSON.stringify(raw)}`)
}

function parseReferences(raw: unknown): SchemaReference[] {
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw)) throw errors.invalidSchema('Invalid schema: references must be an array')
  return raw.map((r: unknown, i) => {
    const { name, subject, version } = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>
    if (typeof name !== 'string' || typeof subject !== 'string' || !Number.isInteger(version)) {
      throw errors.invalidSchema(
        `Invalid schema: reference ${i} needs a string name and subject and an integer version`,
      )
    }
    return { name, subject, version: version as number }
  })
}

/** Body of register, lookup and compatibility requests. Unknown fields are ignored, as Confluent does. */
export function parseRegisterBody(body: unknown): RegisterBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw errors.malformed('The request body must be a JSON object with a "schema" field')
  }
  const raw = body as Record<string, unknown>
  if (raw.schema === undefined || raw.schema === null || raw.schema === '') throw errors.invalidSchema('Empty schema')
  if (typeof raw.schema !== 'string') throw errors.invalidSchema('Invalid schema: "schema" must be a string')
  const out: RegisterBody = {
    schema: raw.schema,
    schemaType: parseSchemaType(raw.schemaType),
    references: parseReferences(raw.references),
  }
  if (raw.id !== undefined && raw.id !== null) {
    if (!Number.isInteger(raw.id) || (raw.id as number) < 1) throw errors.malformed('"id" must be a positive integer')
    out.id = raw.id as number
  }
  if (raw.version !== undefined && raw.version !== null) {
    if (!Number.isInteger(raw.version) || (raw.version as number) < 1) {
      throw errors.malformed('"version" must be a positive integer')
    }
    out.version = raw.version as number
  }
  return out
}

/** The Schema shape of register / lookup / get-version responses (7.x style plus `guid`). */
export interface SchemaResponse {
  subject: string
  version: number
  id: number
  guid: string
  schemaType?: SchemaType
  references?: SchemaReference[]
  schema: string
}

export function schemaResponse(entry: VersionEntry): SchemaResponse {
  return {
    subject: entry.subject,
    version: entry.version,
    id: entry.id,
    guid: entry.guid,
    ...(entry.schemaType !== 'AVRO' ? { schemaType: entry.schemaType } : {}),
    ...(entry.references.length > 0 ? { references: entry.references } : {}),
    schema: entry.schema,
  }
}

/** `GET /schemas/ids/{id}`: schemaType omitted for AVRO and references when empty (CP 7.x, Karapace). */
export function schemaByIdResponse(schema: {
  schema: string
  schemaType: SchemaType
  references: SchemaReference[]
}): Record<string, unknown> {
  const out: Record<string, unknown> = { schema: schema.schema }
  if (schema.schemaType !== 'AVRO') out.schemaType = schema.schemaType
  if (schema.references.length > 0) out.references = schema.references
  return out
}
