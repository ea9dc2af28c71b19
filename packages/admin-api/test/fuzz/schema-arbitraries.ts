/**
 * fast-check arbitraries from the JSON Schemas of the Admin API's OpenAPI document: values a schema accepts
 * (`validValue`) and values it must refuse (`invalidValue`). Only the keywords the API's schemas use are read.
 */
import fc from 'fast-check'

export interface Schema {
  type?: string | string[]
  nullable?: boolean
  enum?: unknown[]
  const?: unknown
  properties?: Record<string, Schema>
  required?: string[]
  additionalProperties?: boolean | Schema
  minProperties?: number
  items?: Schema
  minItems?: number
  uniqueItems?: boolean
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  pattern?: string
}

/** Property name → the values to use instead of the schema's (keeps writes small and inside the fuzz's names). */
export type Overrides = Record<string, fc.Arbitrary<unknown>>

function typesOf(schema: Schema): string[] {
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type]
  return schema.nullable && !types.includes('null') ? [...types, 'null'] : types
}

function validString(schema: Schema): fc.Arbitrary<string> {
  const minLength = schema.minLength ?? 0
  const maxLength = Math.min(schema.maxLength ?? 40, 40)
  if (schema.pattern) {
    return fc
      .stringMatching(new RegExp(schema.pattern), { size: 'xsmall' })
      .filter((s) => s.length >= minLength && s.length <= maxLength)
  }
  return fc.string({ minLength, maxLength, unit: 'grapheme' })
}

function validNumber(schema: Schema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? -1_000_000
  const max = schema.maximum ?? 1_000_000
  const inRange = integer
    ? fc.integer({ min: Math.max(min, -1_000_000), max: Math.min(max, Math.max(min, -1_000_000) + 1_000_000) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true })
  return fc.oneof(inRange, fc.constantFrom(min, max))
}

export function validValue(schema: Schema, overrides: Overrides = {}): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum)
  if ('const' in schema) return fc.constant(schema.const)
  const types = typesOf(schema)
  if (types.length === 0) return fc.jsonValue({ maxDepth: 3 })
  return fc.oneof(...types.map((type) => validOfType(type, schema, overrides)))
}

function validOfType(type: string, schema: Schema, overrides: Overrides): fc.Arbitrary<unknown> {
  switch (type) {
    case 'null':
      return fc.constant(null)
    case 'boolean':
      return fc.boolean()
    case 'integer':
      return validNumber(schema, true)
    case 'number':
      return validNumber(schema, false)
    case 'string':
      return validString(schema)
    case 'array':
      return fc.array(validValue(schema.items ?? {}, overrides), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, 3),
      })
    default:
      return validObject(schema, overrides)
  }
}

function validObject(schema: Schema, overrides: Overrides): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {}
  const model: Record<string, fc.Arbitrary<unknown>> = {}
  for (const [name, property] of Object.entries(properties)) model[name] = overrides[name] ?? validValue(property)
  const record = fc.record(model, { requiredKeys: schema.required ?? [] })
  const extra = schema.additionalProperties
  const withExtra =
    typeof extra === 'object'
      ? fc
          .tuple(record, fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), validValue(extra), { maxKeys: 3 }))
          .map(([r, d]) => ({ ...d, ...r }))
      : record
  const min = schema.minProperties ?? 0
  return withExtra.filter((value) => Object.keys(value as object).length >= min)
}

/** A JSON value of another type than the schema allows. */
function otherType(schema: Schema): fc.Arbitrary<unknown> {
  const types = new Set(typesOf(schema))
  if (types.has('integer')) types.add('number')
  const candidates: Array<[string, fc.Arbitrary<unknown>]> = [
    ['null', fc.constant(null)],
    ['boolean', fc.boolean()],
    ['number', fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }))],
    ['string', fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('1', 'true', 'null', '', '0x10'))],
    ['array', fc.array(fc.integer(), { maxLength: 2 })],
    ['object', fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 })],
  ]
  const wrong = candidates.filter(([type]) => !types.has(type)).map(([, arbitrary]) => arbitrary)
  return fc.oneof(...wrong)
}

/** A value the schema must refuse: another type, out of range, too long, not matching, not in the enum. */
export function invalidValue(schema: Schema): fc.Arbitrary<unknown> {
  const types = typesOf(schema)
  if (types.length === 0 && !schema.enum) return fc.constant(undefined).filter(() => false)
  const options: Array<fc.Arbitrary<unknown>> = [otherType(schema)]
  if (schema.enum) options.push(fc.string({ maxLength: 8 }).filter((s) => !schema.enum?.includes(s)))
  if (types.includes('integer') || types.includes('number')) {
    const bad: number[] = []
    if (schema.minimum !== undefined) bad.push(schema.minimum - 1, -1e300)
    if (schema.maximum !== undefined) bad.push(schema.maximum + 1, 1e300)
    if (types.includes('integer') && !types.includes('number')) bad.push(0.5, 2.000001)
    if (bad.length > 0) options.push(fc.constantFrom(...bad))
  }
  if (types.includes('string')) {
    if (schema.maxLength !== undefined) options.push(fc.constant('a'.repeat(schema.maxLength + 1)))
    if (schema.minLength) options.push(fc.constant(''))
    if (schema.pattern) {
      const pattern = new RegExp(schema.pattern)
      options.push(fc.constantFrom('bad name!', 'ü', 'a/b', '..%2f', '<x>').filter((s) => !pattern.test(s)))
    }
  }
  return fc.oneof(...options)
}

/** An object body the schema must refuse: one property made invalid, a required one dropped, or an unknown added. */
export function invalidBody(schema: Schema, overrides: Overrides): fc.Arbitrary<unknown> {
  const valid = validObject(schema, overrides) as fc.Arbitrary<Record<string, unknown>>
  const properties = Object.entries(schema.properties ?? {}).filter(([, s]) => typesOf(s).length > 0 || s.enum)
  const options: Array<fc.Arbitrary<unknown>> = [
    otherType({ type: 'object' }),
    valid.map((body) => ({ ...body, ['unknownField' + String(Object.keys(body).length)]: 1 })),
  ]
  if (properties.length > 0) {
    options.push(
      fc
        .tuple(valid, fc.constantFrom(...properties))
        .chain(([body, [name, property]]) => invalidValue(property).map((bad) => ({ ...body, [name]: bad }))),
    )
  }
  if ((schema.required ?? []).length > 0) {
    options.push(
      fc.tuple(valid, fc.constantFrom(...(schema.required ?? []))).map(([body, name]) => {
        const copy = { ...body }
        delete copy[name]
        return copy
      }),
    )
  }
  return fc.oneof(...options)
}
