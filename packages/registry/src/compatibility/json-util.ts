import { ANNOTATIONS, isObject, type SchemaNode } from './deref.ts'
import type { WorkBudget } from './limits.ts'

/** The budget of the diff running now (diffs are synchronous, so one at a time per thread). */
let meter: WorkBudget | undefined

/** Runs `fn` with equality tests counted against `budget`. */
export function withMeter<T>(budget: WorkBudget, fn: () => T): T {
  const previous = meter
  meter = budget
  try {
    return fn()
  } finally {
    meter = previous
  }
}

/** Structural equality that terminates on the cyclic graphs `dereference` builds. */
export function deepEqual(a: unknown, b: unknown, seen = new Map<object, Set<object>>()): boolean {
  if (a === b) return true
  meter?.spend()
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return typeof a === 'number' && typeof b === 'number' ? a === b : false
  }
  const pairs = seen.get(a)
  if (pairs?.has(b)) return true
  if (pairs) pairs.add(b)
  else seen.set(a, new Set([b]))
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((value, i) => deepEqual(value, b[i], seen))
  }
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  if (ka.length !== kb.length) return false
  const bo = b as Record<string, unknown>
  const ao = a as Record<string, unknown>
  return ka.every((k) => Object.hasOwn(bo, k) && deepEqual(ao[k], bo[k], seen))
}

/** Compact JSON with object keys sorted recursively (stable identity for enum values). */
export function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`
  if (isObject(value)) {
    const keys = Object.keys(value).sort()
    return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedJson(value[k])}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/** True for schemas that accept every instance: `true`, `{}`, or only annotations. */
export function isEmptySchema(node: unknown): boolean {
  if (node === true) return true
  if (!isObject(node)) return false
  return Object.keys(node).every((k) => ANNOTATIONS.has(k))
}

/** `true` becomes `{}`; a one-element `type` array becomes a plain `type`. */
export function canonicalNode(node: SchemaNode): SchemaNode {
  if (node === true) return {}
  if (node === false) return false
  if (Array.isArray(node.type) && node.type.length === 1) return { ...node, type: node.type[0] }
  return node
}

export function childPath(path: string, ...segments: Array<string | number>): string {
  return [path, ...segments.map((s) => String(s).replaceAll('~', '~0').replaceAll('/', '~1'))].join('/')
}

export const STRING_KEYWORDS = ['minLength', 'maxLength', 'pattern', 'format', 'contentEncoding', 'contentMediaType']
export const NUMBER_KEYWORDS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf']
export const OBJECT_KEYWORDS = [
  'properties',
  'required',
  'additionalProperties',
  'patternProperties',
  'minProperties',
  'maxProperties',
  'dependencies',
  'dependentRequired',
  'dependentSchemas',
  'propertyNames',
  'unevaluatedProperties',
]
export const ARRAY_KEYWORDS = [
  'items',
  'prefixItems',
  'additionalItems',
  'minItems',
  'maxItems',
  'uniqueItems',
  'contains',
  'minContains',
  'maxContains',
  'unevaluatedItems',
]

/** Keywords of the given JSON type (`integer` shares the number keywords). */
export function keywordsOfType(type: string): string[] {
  switch (type) {
    case 'string':
      return STRING_KEYWORDS
    case 'number':
    case 'integer':
      return NUMBER_KEYWORDS
    case 'object':
      return OBJECT_KEYWORDS
    case 'array':
      return ARRAY_KEYWORDS
    default:
      return []
  }
}

const TYPE_SPECIFIC = new Set([...STRING_KEYWORDS, ...NUMBER_KEYWORDS, ...OBJECT_KEYWORDS, ...ARRAY_KEYWORDS])

/**
 * `{"type": ["string", "null"], "maxLength": 3}` becomes `{"anyOf": [{"type": "string", "maxLength": 3},
 * {"type": "null"}]}` (each branch keeps its own keywords), like everit's model that Confluent diffs.
 */
export function expandTypeArray(node: Record<string, unknown>): Record<string, unknown> {
  const types = node.type
  if (!Array.isArray(types) || types.length < 2) return node
  const generic: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(node)) if (k !== 'type' && !TYPE_SPECIFIC.has(k)) generic[k] = v
  const branches = types.map((t) => {
    const branch: Record<string, unknown> = { type: t }
    for (const k of keywordsOfType(String(t))) if (node[k] !== undefined) branch[k] = node[k]
    return branch
  })
  const union = { anyOf: branches }
  const hasGeneric = Object.keys(generic).some((k) => !ANNOTATIONS.has(k))
  return hasGeneric ? { allOf: [union, generic] } : union
}
