/**
 * `_schemas` record keys and values in Confluent's format. Keys are compact JSON in Confluent's exact property
 * order (compaction compares key bytes); values are compact JSON. Decoders return undefined for anything that
 * is not a well-formed record of a known type, so readers can skip garbage.
 */

export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF'

export interface SchemaReference {
  name: string
  subject: string
  version: number
}

export type RegistryKey =
  | { keytype: 'SCHEMA'; subject: string; version: number; magic: number }
  | { keytype: 'CONFIG'; subject: string | null; magic: number }
  | { keytype: 'MODE'; subject: string | null; magic: number }
  | { keytype: 'DELETE_SUBJECT'; subject: string; magic: number }
  | { keytype: 'CLEAR_SUBJECT'; subject: string; magic: number }
  | { keytype: 'NOOP'; magic: number }

export interface SchemaValue {
  subject: string
  version: number
  id: number
  schemaType: SchemaType
  references: SchemaReference[]
  schema: string
  deleted: boolean
}

export interface ConfigValue {
  compatibilityLevel: string
  normalize?: boolean
  compatibilityPolicy?: string
}

export interface ModeValue {
  mode: string
}

export interface DeleteSubjectValue {
  subject: string
  version: number
}

export const schemaKey = (subject: string, version: number): RegistryKey => ({
  keytype: 'SCHEMA',
  subject,
  version,
  magic: 1,
})
export const configKey = (subject: string | null): RegistryKey => ({ keytype: 'CONFIG', subject, magic: 0 })
export const modeKey = (subject: string | null): RegistryKey => ({ keytype: 'MODE', subject, magic: 0 })
export const deleteSubjectKey = (subject: string): RegistryKey => ({ keytype: 'DELETE_SUBJECT', subject, magic: 0 })
export const noopKey = (): RegistryKey => ({ keytype: 'NOOP', magic: 0 })

/** Serialises with Confluent's property order: keytype, subject, version, magic. */
export function encodeKey(key: RegistryKey): Buffer {
  let ordered: Record<string, unknown>
  switch (key.keytype) {
    case 'SCHEMA':
      ordered = { keytype: key.keytype, subject: key.subject, version: key.version, magic: key.magic }
      break
    case 'NOOP':
      ordered = { keytype: key.keytype, magic: key.magic }
      break
    default:
      ordered = { keytype: key.keytype, subject: key.subject, magic: key.magic }
  }
  return Buffer.from(JSON.stringify(ordered))
}

function parseObject(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

const isVersion = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1
const isSubjectOrNull = (v: unknown): v is string | null => typeof v === 'string' || v === null || v === undefined

export function decodeKey(bytes: Buffer | null): RegistryKey | undefined {
  if (!bytes || bytes.length === 0) return undefined
  const raw = parseObject(bytes)
  if (!raw) return undefined
  const magic = typeof raw.magic === 'number' ? raw.magic : 0
  switch (raw.keytype) {
    case 'SCHEMA':
      return typeof raw.subject === 'string' && isVersion(raw.version)
        ? { keytype: 'SCHEMA', subject: raw.subject, version: raw.version, magic }
        : undefined
    case 'CONFIG':
    case 'MODE':
      return isSubjectOrNull(raw.subject) ? { keytype: raw.keytype, subject: raw.subject ?? null, magic } : undefined
    case 'DELETE_SUBJECT':
    case 'CLEAR_SUBJECT':
      return typeof raw.subject === 'string' ? { keytype: raw.keytype, subject: raw.subject, magic } : undefined
    case 'NOOP':
      return { keytype: 'NOOP', magic }
    default:
      return undefined
  }
}

export function encodeSchemaValue(value: SchemaValue): Buffer {
  const out: Record<string, unknown> = { subject: value.subject, version: value.version, id: value.id }
  // CP ≤ 7.9 and Karapace omit AVRO; readers default to it.
  if (value.schemaType !== 'AVRO') out.schemaType = value.schemaType
  if (value.references.length > 0) out.references = value.references
  out.schema = value.schema
  out.deleted = value.deleted
  return Buffer.from(JSON.stringify(out))
}

function decodeReferences(raw: unknown): SchemaReference[] | undefined {
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw)) return undefined
  const out: SchemaReference[] = []
  for (const r of raw) {
    if (typeof r !== 'object' || r === null) return undefined
    const { name, subject, version } = r as Record<string, unknown>
    if (typeof name !== 'string' || typeof subject !== 'string' || !Number.isInteger(version)) return undefined
    out.push({ name, subject, version: version as number })
  }
  return out
}

export function decodeSchemaValue(bytes: Buffer): SchemaValue | undefined {
  const raw = parseObject(bytes)
  if (!raw) return undefined
  const references = decodeReferences(raw.references)
  const schemaType = raw.schemaType === undefined || raw.schemaType === null ? 'AVRO' : raw.schemaType
  if (
    typeof raw.subject !== 'string' ||
    !isVersion(raw.version) ||
    !Number.isInteger(raw.id) ||
    (raw.id as number) < 0 ||
    typeof raw.schema !== 'string' ||
    (schemaType !== 'AVRO' && schemaType !== 'JSON' && schemaType !== 'PROTOBUF') ||
    references === undefined
  ) {
    return undefined
  }
  return {
    subject: raw.subject,
    version: raw.version,
    id: raw.id as number,
    schemaType,
    references,
    schema: raw.schema,
    deleted: raw.deleted === true,
  }
}

export function encodeConfigValue(subject: string | null, value: ConfigValue): Buffer {
  return Buffer.from(JSON.stringify(subject === null ? value : { ...value, subject }))
}

export function decodeConfigValue(bytes: Buffer): ConfigValue | undefined {
  const raw = parseObject(bytes)
  if (!raw || typeof raw.compatibilityLevel !== 'string') return undefined
  const out: ConfigValue = { compatibilityLevel: raw.compatibilityLevel }
  if (typeof raw.normalize === 'boolean') out.normalize = raw.normalize
  if (typeof raw.compatibilityPolicy === 'string') out.compatibilityPolicy = raw.compatibilityPolicy
  return out
}

export function encodeModeValue(subject: string | null, mode: string): Buffer {
  return Buffer.from(JSON.stringify({ subject, mode }))
}

export function decodeModeValue(bytes: Buffer): ModeValue | undefined {
  const raw = parseObject(bytes)
  return raw && typeof raw.mode === 'string' ? { mode: raw.mode } : undefined
}

export function encodeDeleteSubjectValue(value: DeleteSubjectValue): Buffer {
  return Buffer.from(JSON.stringify({ subject: value.subject, version: value.version }))
}

export function decodeDeleteSubjectValue(bytes: Buffer): DeleteSubjectValue | undefined {
  const raw = parseObject(bytes)
  return raw && typeof raw.subject === 'string' && Number.isInteger(raw.version)
    ? { subject: raw.subject, version: raw.version as number }
    : undefined
}
