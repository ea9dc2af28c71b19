/**
 * Bounds on the cost of one schema: its size, nesting depth, combinator branches and `$ref`s (checked when a
 * schema is parsed) and a work budget for one compatibility check, counted in work units (one per schema pair
 * compared, one per node visited by an equality test), never in wall-clock time, so verdicts are deterministic.
 * Pure and dependency-free: the compatibility worker thread loads it too.
 */

export interface SchemaLimits {
  /** Largest schema text in UTF-8 bytes. Default 256 KiB. */
  maxSchemaBytes: number
  /** Deepest nesting of JSON objects/arrays inside a schema document. Default 64. */
  maxDepth: number
  /** Most subschemas in one allOf / anyOf / oneOf / prefixItems / tuple `items`. Default 256. */
  maxBranches: number
  /** Most `$ref`s in a schema with its referenced documents. Default 1,000. */
  maxRefs: number
  /** Work units one compatibility check may spend (all versions it compares against). Default 2,000,000. */
  maxWork: number
}

export const DEFAULT_SCHEMA_LIMITS: SchemaLimits = {
  maxSchemaBytes: 256 * 1024,
  maxDepth: 64,
  maxBranches: 256,
  maxRefs: 1000,
  maxWork: 2_000_000,
}

/** The name of each limit as configured in main.ts, so a refusal says which knob to turn. */
export const LIMIT_SETTINGS: Record<keyof SchemaLimits, string> = {
  maxSchemaBytes: 'SCHEMA_REGISTRY_MAX_SCHEMA_BYTES',
  maxDepth: 'SCHEMA_REGISTRY_MAX_SCHEMA_DEPTH',
  maxBranches: 'SCHEMA_REGISTRY_MAX_SCHEMA_BRANCHES',
  maxRefs: 'SCHEMA_REGISTRY_MAX_SCHEMA_REFS',
  maxWork: 'SCHEMA_REGISTRY_MAX_COMPATIBILITY_WORK',
}

/** A schema (or a check) beyond a limit. The registry answers 422/42201 with this message. */
export class SchemaLimitError extends Error {
  readonly limit: keyof SchemaLimits

  constructor(limit: keyof SchemaLimits, message: string) {
    super(`${message} (limit ${LIMIT_SETTINGS[limit]})`)
    this.name = 'SchemaLimitError'
    this.limit = limit
  }
}

export function isSchemaLimitError(error: unknown): error is SchemaLimitError {
  return error instanceof Error && error.name === 'SchemaLimitError' && 'limit' in error
}

/** Counts work units; throws SchemaLimitError once more than `limit` are spent. */
export class WorkBudget {
  readonly limit: number
  #used = 0

  constructor(limit: number) {
    this.limit = limit
  }

  get used(): number {
    return this.#used
  }

  spend(units = 1): void {
    this.#used += units
    if (this.#used > this.limit) {
      throw new SchemaLimitError(
        'maxWork',
        `Schema too complex to check: the compatibility check needs more than ${this.limit} work units`,
      )
    }
  }
}

const COMBINATOR_KEYS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'])

/**
 * Walks a parsed schema document iteratively (no recursion, so any shape is safe) and throws SchemaLimitError
 * when it nests deeper than `maxDepth`, has a list of subschemas longer than `maxBranches`, or more `$ref`s than
 * `refsLeft` allows. Returns the number of `$ref`s found.
 */
export function checkDocumentShape(
  document: unknown,
  limits: Pick<SchemaLimits, 'maxDepth' | 'maxBranches' | 'maxRefs'>,
  refsLeft: number = limits.maxRefs,
): number {
  let refs = 0
  const stack: Array<{ value: unknown; depth: number }> = [{ value: document, depth: 0 }]
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!
    if (typeof value !== 'object' || value === null) continue
    if (depth >= limits.maxDepth) {
      throw new SchemaLimitError('maxDepth', `Schema nests deeper than ${limits.maxDepth} levels`)
    }
    if (Array.isArray(value)) {
      for (const item of value) stack.push({ value: item, depth: depth + 1 })
      continue
    }
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      if (key === '$ref' && typeof child === 'string' && ++refs > refsLeft) {
        throw new SchemaLimitError('maxRefs', `Schema has more than ${limits.maxRefs} $ref`)
      }
      if (COMBINATOR_KEYS.has(key) && Array.isArray(child) && child.length > limits.maxBranches) {
        throw new SchemaLimitError(
          'maxBranches',
          `Schema has ${child.length} subschemas in one "${key}", more than ${limits.maxBranches}`,
        )
      }
      stack.push({ value: child, depth: depth + 1 })
    }
  }
  return refs
}

/** Limits from partial settings (undefined fields keep their defaults). */
export function schemaLimits(overrides: Partial<SchemaLimits> = {}): SchemaLimits {
  const out = { ...DEFAULT_SCHEMA_LIMITS }
  for (const key of Object.keys(out) as Array<keyof SchemaLimits>) {
    const value = overrides[key]
    if (value !== undefined) out[key] = value
  }
  return out
}
