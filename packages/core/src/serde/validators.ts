/**
 * Ajv validators compiled once per schema id (a registered schema never changes, so neither does its
 * validator). 2020-12 and 2019-09 schemas use Ajv2020; schemas declaring an older draft (Confluent's default is
 * draft-07) use the classic Ajv. Formats (date-time, uri, …) are checked.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormatsModule from 'ajv-formats'
import { UnsupportedSchemaError, type Violation } from './errors.ts'
import { ajvLinearRegExp } from './linear-regexp.ts'

// ajv-formats is CommonJS with `exports.default`; under Node's ESM interop the callable may sit one level down.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv | Ajv2020,
) => void

export type Validator = (value: unknown) => Violation[] | undefined

function toViolations(errors: ErrorObject[] | null | undefined): Violation[] {
  return (errors ?? []).map((e) => ({
    path: e.instancePath,
    message:
      e.keyword === 'additionalProperties'
        ? `has unknown property "${String((e.params as { additionalProperty?: unknown }).additionalProperty)}"`
        : (e.message ?? e.keyword),
  }))
}

function isModernDraft(schema: unknown): boolean {
  const declared = (schema as { $schema?: unknown } | null)?.$schema
  return typeof declared !== 'string' || declared.includes('2020-12') || declared.includes('2019-09')
}

function withoutId(schema: object): Record<string, unknown> {
  const copy = { ...schema } as Record<string, unknown>
  delete copy.$id
  return copy
}

export class ValidatorCache {
  readonly #modern: Ajv2020
  readonly #legacy: Ajv
  readonly #byId = new Map<number, Validator>()

  constructor() {
    // strict: false so schemas written by other tools (extra keywords such as "x-unit") still compile.
    // Patterns run in linear time: a hostile schema cannot stall a consumer (see linear-regexp.ts).
    const options = { strict: false, allErrors: true, validateSchema: true, code: { regExp: ajvLinearRegExp } } as const
    this.#modern = new Ajv2020(options)
    this.#legacy = new Ajv(options)
    addFormats(this.#modern)
    addFormats(this.#legacy)
  }

  get(schemaId: number): Validator | undefined {
    return this.#byId.get(schemaId)
  }

  /** The validator of this schema id, compiling the schema text once. */
  compile(schemaId: number, schemaText: string, schemaType = 'JSON'): Validator {
    const cached = this.#byId.get(schemaId)
    if (cached) return cached
    if (schemaType !== 'JSON') {
      throw new UnsupportedSchemaError(schemaId, `schema id ${schemaId} is ${schemaType}, not a JSON Schema`)
    }
    let fn: ValidateFunction
    try {
      const schema: unknown = JSON.parse(schemaText)
      // Compile without $id so two versions sharing an $id don't collide in one Ajv instance.
      const target = typeof schema === 'object' && schema !== null ? withoutId(schema) : (schema as boolean)
      fn = isModernDraft(schema) ? this.#modern.compile(target) : this.#legacy.compile(target)
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      throw new UnsupportedSchemaError(schemaId, `schema id ${schemaId} does not compile: ${reason}`, error)
    }
    const validator: Validator = (value) => (fn(value) ? undefined : toViolations(fn.errors))
    this.#byId.set(schemaId, validator)
    return validator
  }
}
