/**
 * A form for a flat JSON Schema object (properties of type string, number, integer, boolean, optionally null or an
 * enum): the fields, the value built from the inputs, and the checks the browser makes before sending. Anything
 * richer (nested objects, arrays, $ref, oneOf…) is produced as raw JSON; the server validates every value again.
 */

export type FieldType = 'string' | 'number' | 'integer' | 'boolean'

export interface FieldSpec {
  name: string
  type: FieldType
  required: boolean
  nullable: boolean
  enum?: Array<string | number | boolean>
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  minLength?: number
  maxLength?: number
  pattern?: string
  description?: string
}

const TYPES = new Set<string>(['string', 'number', 'integer', 'boolean'])
const COMBINERS = ['$ref', 'oneOf', 'anyOf', 'allOf', 'not', 'if', 'patternProperties', 'dependentSchemas']

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

function field(name: string, schema: unknown, required: boolean): FieldSpec | undefined {
  if (!isObject(schema) || COMBINERS.some((k) => k in schema)) return undefined
  const declared: unknown[] = Array.isArray(schema.type) ? (schema.type as unknown[]) : [schema.type]
  const nullable = declared.includes('null')
  const types = declared.filter((t) => t !== 'null')
  const enumValues = Array.isArray(schema.enum) ? schema.enum : undefined
  let type = types[0]
  if (type === undefined && enumValues && enumValues.length > 0) type = typeof enumValues[0]
  if (types.length > 1 || typeof type !== 'string' || !TYPES.has(type)) return undefined
  if (enumValues && !enumValues.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) return undefined
  const spec: FieldSpec = { name, type: type as FieldType, required, nullable }
  if (enumValues) spec.enum = enumValues as Array<string | number | boolean>
  for (const key of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength'] as const) {
    const n = numberOf(schema[key])
    if (n !== undefined) spec[key] = n
  }
  if (typeof schema.pattern === 'string') spec.pattern = schema.pattern
  if (typeof schema.description === 'string') spec.description = schema.description
  return spec
}

/** The fields of a flat object schema, in declaration order; undefined when the schema is not flat. */
export function flatFields(schema: unknown): FieldSpec[] | undefined {
  if (!isObject(schema) || schema.type !== 'object' || !isObject(schema.properties)) return undefined
  if (COMBINERS.some((k) => k in schema)) return undefined
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r) => typeof r === 'string') : [])
  const fields: FieldSpec[] = []
  for (const [name, property] of Object.entries(schema.properties)) {
    const spec = field(name, property, required.has(name))
    if (!spec) return undefined
    fields.push(spec)
  }
  return fields.length > 0 ? fields : undefined
}

/** One sentence per problem of one field's value (already converted), none when it passes. */
function fieldProblems(spec: FieldSpec, value: unknown): string[] {
  if (value === null) return spec.nullable ? [] : [`${spec.name} must not be null`]
  if (spec.enum && !spec.enum.includes(value as string)) return [`${spec.name} must be one of ${spec.enum.join(', ')}`]
  const problems: string[] = []
  if (spec.type === 'string') {
    if (typeof value !== 'string') return [`${spec.name} must be text`]
    if (spec.minLength !== undefined && value.length < spec.minLength) {
      problems.push(`${spec.name} must be at least ${spec.minLength} characters`)
    }
    if (spec.maxLength !== undefined && value.length > spec.maxLength) {
      problems.push(`${spec.name} must be at most ${spec.maxLength} characters`)
    }
    if (spec.pattern !== undefined) {
      try {
        if (!new RegExp(spec.pattern, 'u').test(value)) problems.push(`${spec.name} must match ${spec.pattern}`)
      } catch {
        // A pattern the browser cannot compile is left to the server.
      }
    }
    return problems
  }
  if (spec.type === 'boolean') return typeof value === 'boolean' ? [] : [`${spec.name} must be true or false`]
  if (typeof value !== 'number' || !Number.isFinite(value)) return [`${spec.name} must be a number`]
  if (spec.type === 'integer' && !Number.isInteger(value)) return [`${spec.name} must be a whole number`]
  if (spec.minimum !== undefined && value < spec.minimum) problems.push(`${spec.name} must be ≥ ${spec.minimum}`)
  if (spec.maximum !== undefined && value > spec.maximum) problems.push(`${spec.name} must be ≤ ${spec.maximum}`)
  if (spec.exclusiveMinimum !== undefined && value <= spec.exclusiveMinimum) {
    problems.push(`${spec.name} must be > ${spec.exclusiveMinimum}`)
  }
  if (spec.exclusiveMaximum !== undefined && value >= spec.exclusiveMaximum) {
    problems.push(`${spec.name} must be < ${spec.exclusiveMaximum}`)
  }
  return problems
}

/** Checks a value against the flat fields (required, types, bounds; unknown properties when not allowed). */
export function checkFlatValue(fields: FieldSpec[], value: unknown, allowUnknown: boolean): string[] {
  if (!isObject(value)) return ['the value must be a JSON object']
  const problems: string[] = []
  const known = new Set(fields.map((f) => f.name))
  for (const spec of fields) {
    if (!(spec.name in value)) {
      if (spec.required) problems.push(`${spec.name} is required`)
      continue
    }
    problems.push(...fieldProblems(spec, value[spec.name]))
  }
  if (!allowUnknown) {
    for (const name of Object.keys(value)) if (!known.has(name)) problems.push(`${name} is not in the schema`)
  }
  return problems
}

/** Converts the form's text inputs into a value (empty = left out, or null for a nullable field set to "null"). */
export function valueFromInputs(fields: FieldSpec[], inputs: Record<string, string>): Record<string, unknown> {
  const value: Record<string, unknown> = {}
  for (const spec of fields) {
    const text = inputs[spec.name] ?? ''
    if (text === '') continue
    if (spec.nullable && text === 'null') value[spec.name] = null
    else if (spec.type === 'string') value[spec.name] = text
    else if (spec.type === 'boolean') value[spec.name] = text === 'true' ? true : text === 'false' ? false : text
    else value[spec.name] = text.trim() === '' || Number.isNaN(Number(text)) ? text : Number(text)
  }
  return value
}

/** Whether the schema allows properties it does not list (JSON Schema's default is yes). */
export function allowsUnknown(schema: unknown): boolean {
  return !(isObject(schema) && schema.additionalProperties === false)
}
