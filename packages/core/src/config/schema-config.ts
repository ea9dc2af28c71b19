import { Ajv } from 'ajv'

export type ConfigCheck<T> = { ok: true; value: T } | { ok: false; problems: string[] }

/**
 * Compiles a service's config schema once. The returned check applies the schema's defaults to a copy of the
 * input and validates it, giving the value or every problem as `<path> <message>`; each service turns problems
 * into its own catalogued error.
 */
export function compileConfigSchema<T>(schema: object): (input: unknown) => ConfigCheck<T> {
  const validate = new Ajv({ useDefaults: true, allErrors: true }).compile(schema)
  return (input) => {
    const copy: unknown = structuredClone(input ?? {})
    if (validate(copy)) return { ok: true, value: copy as T }
    return {
      ok: false,
      problems: (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`),
    }
  }
}
