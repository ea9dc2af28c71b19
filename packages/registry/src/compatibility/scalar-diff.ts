/** Diffs of enum/const, string and number keywords. */
import type { Difference, DifferenceType } from './differences.ts'
import { childPath, sortedJson } from './json-util.ts'

type Node = Record<string, unknown>

function enumValues(node: Node): string[] | undefined {
  if (Array.isArray(node.enum)) return node.enum.map(sortedJson)
  if (node.const !== undefined) return [sortedJson(node.const)]
  return undefined
}

export function diffEnums(o: Node, u: Node, path: string): Difference[] {
  const ov = enumValues(o)
  const uv = enumValues(u)
  const at = childPath(path, o.enum !== undefined || u.enum !== undefined ? 'enum' : 'const')
  if (ov === undefined && uv === undefined) return []
  if (uv === undefined) return [{ type: 'ENUM_ARRAY_EXTENDED', path: at }]
  if (ov === undefined) return [{ type: 'ENUM_ARRAY_NARROWED', path: at }]
  const us = new Set(uv)
  const os = new Set(ov)
  const missing = ov.some((v) => !us.has(v))
  const added = uv.some((v) => !os.has(v))
  if (!missing && !added) return []
  if (!missing) return [{ type: 'ENUM_ARRAY_EXTENDED', path: at }]
  if (!added) return [{ type: 'ENUM_ARRAY_NARROWED', path: at }]
  return [{ type: 'ENUM_ARRAY_CHANGED', path: at }]
}

/**
 * One numeric limit. `max` limits are relaxed by growing (maxLength), `min` limits by shrinking (minLength).
 * `prefix` is the difference-type prefix, e.g. `MAX_LENGTH`.
 */
export function diffLimit(o: unknown, u: unknown, kind: 'max' | 'min', prefix: string, path: string): Difference[] {
  const on = typeof o === 'number' ? o : undefined
  const un = typeof u === 'number' ? u : undefined
  if (on === undefined && un === undefined) return []
  let suffix: string
  if (un === undefined) suffix = 'REMOVED'
  else if (on === undefined) suffix = 'ADDED'
  else if (on === un) return []
  else if (kind === 'max') suffix = un > on ? 'INCREASED' : 'DECREASED'
  else suffix = un < on ? 'DECREASED' : 'INCREASED'
  return [{ type: `${prefix}_${suffix}` as DifferenceType, path }]
}

export function diffStrings(o: Node, u: Node, path: string): Difference[] {
  const out = [
    ...diffLimit(o.maxLength, u.maxLength, 'max', 'MAX_LENGTH', childPath(path, 'maxLength')),
    ...diffLimit(o.minLength, u.minLength, 'min', 'MIN_LENGTH', childPath(path, 'minLength')),
  ]
  const op = typeof o.pattern === 'string' ? o.pattern : undefined
  const up = typeof u.pattern === 'string' ? u.pattern : undefined
  const at = childPath(path, 'pattern')
  if (op !== undefined && up === undefined) out.push({ type: 'PATTERN_REMOVED', path: at })
  else if (op === undefined && up !== undefined) out.push({ type: 'PATTERN_ADDED', path: at })
  else if (op !== up) out.push({ type: 'PATTERN_CHANGED', path: at })
  return out
}

export function diffNumbers(o: Node, u: Node, path: string): Difference[] {
  return [
    ...diffLimit(o.maximum, u.maximum, 'max', 'MAXIMUM', childPath(path, 'maximum')),
    ...diffLimit(o.minimum, u.minimum, 'min', 'MINIMUM', childPath(path, 'minimum')),
    ...diffLimit(
      o.exclusiveMaximum,
      u.exclusiveMaximum,
      'max',
      'EXCLUSIVE_MAXIMUM',
      childPath(path, 'exclusiveMaximum'),
    ),
    ...diffLimit(
      o.exclusiveMinimum,
      u.exclusiveMinimum,
      'min',
      'EXCLUSIVE_MINIMUM',
      childPath(path, 'exclusiveMinimum'),
    ),
    ...diffMultipleOf(o.multipleOf, u.multipleOf, childPath(path, 'multipleOf')),
  ]
}

function diffMultipleOf(o: unknown, u: unknown, path: string): Difference[] {
  const on = typeof o === 'number' && o > 0 ? o : undefined
  const un = typeof u === 'number' && u > 0 ? u : undefined
  if (on === undefined && un === undefined) return []
  if (un === undefined) return [{ type: 'MULTIPLE_OF_REMOVED', path }]
  if (on === undefined) return [{ type: 'MULTIPLE_OF_ADDED', path }]
  if (on === un) return []
  // 10 → 5: every multiple of 10 is a multiple of 5 (reduced); 5 → 10 the opposite (expanded).
  if (isMultiple(on, un)) return [{ type: 'MULTIPLE_OF_REDUCED', path }]
  if (isMultiple(un, on)) return [{ type: 'MULTIPLE_OF_EXPANDED', path }]
  return [{ type: 'MULTIPLE_OF_CHANGED', path }]
}

function isMultiple(value: number, of: number): boolean {
  const ratio = value / of
  return Math.abs(ratio - Math.round(ratio)) < 1e-9
}
