/**
 * Object keywords, with Confluent's content models: *open* (additional properties allowed, no patterns),
 * *closed* (`additionalProperties: false`, no patterns), *partially open* (patterns or an additionalProperties
 * schema). A property added or removed is judged against the other side's content model.
 */
import { linearRegExp } from '@isobar/core'
import { isObject, type SchemaNode } from './deref.ts'
import type { Difference, DifferenceType } from './differences.ts'
import type { Differ } from './json-diff.ts'
import { OBJECT_KEYWORDS, childPath, isEmptySchema } from './json-util.ts'
import { diffLimit } from './scalar-diff.ts'

type Node = Record<string, unknown>

/** `any` (absent/true/{}), `none` (false) or a schema. */
type Extra = 'any' | 'none' | { schema: SchemaNode }

function extra(value: unknown): Extra {
  if (value === undefined || isEmptySchema(value)) return 'any'
  if (value === false) return 'none'
  return { schema: value as SchemaNode }
}

function propertiesOf(node: Node): Record<string, SchemaNode> {
  return isObject(node.properties) ? (node.properties as Record<string, SchemaNode>) : {}
}

function requiredOf(node: Node): Set<string> {
  return new Set(Array.isArray(node.required) ? node.required.filter((r): r is string => typeof r === 'string') : [])
}

function patternsOf(node: Node): Record<string, SchemaNode> {
  return isObject(node.patternProperties) ? (node.patternProperties as Record<string, SchemaNode>) : {}
}

function isOpen(node: Node): boolean {
  return (
    Object.keys(patternsOf(node)).length === 0 &&
    extra(node.additionalProperties) === 'any' &&
    extra(node.unevaluatedProperties) === 'any'
  )
}

/**
 * What a schema accepts for a property it does not declare: `any`, `none` (closed) or the covering schema
 * (the first matching pattern, else the additionalProperties schema).
 */
function coverOf(node: Node, name: string): Extra {
  for (const [pattern, schema] of Object.entries(patternsOf(node))) {
    if (safeTest(pattern, name)) return isEmptySchema(schema) ? 'any' : { schema }
  }
  const additional = extra(node.additionalProperties)
  if (additional !== 'any') return additional
  return extra(node.unevaluatedProperties)
}

// Linear-time matching: both the pattern and the property name come from the request (see core's linear-regexp).
function safeTest(pattern: string, name: string): boolean {
  try {
    return linearRegExp(pattern).test(name)
  } catch {
    return false
  }
}

function hasDefault(schema: SchemaNode | undefined): boolean {
  return isObject(schema) && schema.default !== undefined
}

const hasObjectKeywords = (n: Node): boolean => OBJECT_KEYWORDS.some((k) => n[k] !== undefined)

export function diffObjects(differ: Differ, o: Node, u: Node, path: string): Difference[] {
  if (!hasObjectKeywords(o) && !hasObjectKeywords(u)) return []
  const out: Difference[] = []
  const op = propertiesOf(o)
  const up = propertiesOf(u)
  const or = requiredOf(o)
  const ur = requiredOf(u)
  const added = new Set<string>()

  for (const [name, us] of Object.entries(up)) {
    const at = childPath(path, 'properties', name)
    const os = op[name]
    if (os !== undefined) {
      out.push(...differ.diff(os, us, at))
      continue
    }
    added.add(name)
    out.push(propertyAdded(differ, o, name, us, ur.has(name), at))
  }
  for (const [name, os] of Object.entries(op)) {
    if (up[name] !== undefined) continue
    out.push(propertyRemoved(differ, u, name, os, childPath(path, 'properties', name)))
  }
  for (const name of ur) {
    if (or.has(name) || added.has(name)) continue
    const type = hasDefault(up[name]) ? 'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED' : 'REQUIRED_ATTRIBUTE_ADDED'
    out.push({ type, path: childPath(path, 'required', name) })
  }
  for (const name of or) {
    if (!ur.has(name)) out.push({ type: 'REQUIRED_ATTRIBUTE_REMOVED', path: childPath(path, 'required', name) })
  }

  out.push(
    ...diffExtra(
      differ,
      o.additionalProperties,
      u.additionalProperties,
      'ADDITIONAL_PROPERTIES',
      path,
      'additionalProperties',
    ),
  )
  out.push(
    ...diffExtra(
      differ,
      o.unevaluatedProperties,
      u.unevaluatedProperties,
      'UNEVALUATED_PROPERTIES',
      path,
      'unevaluatedProperties',
    ),
  )
  out.push(...diffPatterns(differ, o, u, path))
  out.push(...diffLimit(o.maxProperties, u.maxProperties, 'max', 'MAX_PROPERTIES', childPath(path, 'maxProperties')))
  out.push(...diffLimit(o.minProperties, u.minProperties, 'min', 'MIN_PROPERTIES', childPath(path, 'minProperties')))
  out.push(...diffDependencies(differ, o, u, path))
  // Confluent's ObjectSchemaDiff does not compare `propertyNames`: adding, removing or changing it is no difference.
  return out
}

function propertyAdded(
  differ: Differ,
  original: Node,
  name: string,
  schema: SchemaNode,
  required: boolean,
  path: string,
): Difference {
  const withDefault = hasDefault(schema)
  if (isOpen(original)) {
    let type: DifferenceType
    if (isEmptySchema(schema) && !required) type = 'PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL'
    else if (!required) type = 'OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL'
    else if (withDefault) type = 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL'
    else type = 'REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL'
    return { type, path }
  }
  if (required && !withDefault) return { type: 'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL', path }
  const cover = coverOf(original, name)
  if (cover === 'none') {
    return {
      type: required
        ? 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL'
        : 'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
      path,
    }
  }
  // The writer may already have sent this name under its pattern/additional schema: the new schema must accept it.
  const ok = cover === 'any' ? isEmptySchema(schema) : differ.compatible(cover.schema, schema, path)
  return {
    type: ok
      ? 'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
      : 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    path,
  }
}

function propertyRemoved(differ: Differ, update: Node, name: string, schema: SchemaNode, path: string): Difference {
  if (isOpen(update)) return { type: 'PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL', path }
  const cover = coverOf(update, name)
  if (cover === 'none') {
    return {
      type:
        schema === false
          ? 'PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL'
          : 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL',
      path,
    }
  }
  const ok = cover === 'any' || differ.compatible(schema, cover.schema, path)
  return {
    type: ok
      ? 'PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
      : 'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
    path,
  }
}

/** additionalProperties / unevaluatedProperties / additionalItems / unevaluatedItems. */
export function diffExtra(
  differ: Differ,
  ov: unknown,
  uv: unknown,
  prefix: 'ADDITIONAL_PROPERTIES' | 'UNEVALUATED_PROPERTIES' | 'ADDITIONAL_ITEMS' | 'UNEVALUATED_ITEMS',
  path: string,
  keyword: string,
): Difference[] {
  const o = extra(ov)
  const u = extra(uv)
  const at = childPath(path, keyword)
  const t = (suffix: string): Difference[] => [{ type: `${prefix}_${suffix}` as DifferenceType, path: at }]
  if (o === 'any') return u === 'any' ? [] : t(u === 'none' ? 'REMOVED' : 'NARROWED')
  if (o === 'none') return u === 'none' ? [] : t('ADDED')
  if (u === 'any') return t('EXTENDED')
  if (u === 'none') return t('REMOVED')
  return differ.diff(o.schema, u.schema, at)
}

function diffPatterns(differ: Differ, o: Node, u: Node, path: string): Difference[] {
  const op = patternsOf(o)
  const up = patternsOf(u)
  const out: Difference[] = []
  for (const [pattern, us] of Object.entries(up)) {
    const at = childPath(path, 'patternProperties', pattern)
    const os = op[pattern]
    if (os !== undefined) out.push(...differ.diff(os, us, at))
    else if (extra(o.additionalProperties) === 'none') out.push({ type: 'ADDITIONAL_PROPERTIES_ADDED', path: at })
    else if (!isEmptySchema(us)) out.push({ type: 'ADDITIONAL_PROPERTIES_NARROWED', path: at })
  }
  for (const [pattern, os] of Object.entries(op)) {
    if (up[pattern] !== undefined) continue
    const at = childPath(path, 'patternProperties', pattern)
    const rest = extra(u.additionalProperties)
    if (rest === 'any') out.push({ type: 'ADDITIONAL_PROPERTIES_EXTENDED', path: at })
    else if (rest === 'none') out.push({ type: 'ADDITIONAL_PROPERTIES_REMOVED', path: at })
    else
      out.push({
        type: differ.compatible(os, rest.schema, at)
          ? 'ADDITIONAL_PROPERTIES_EXTENDED'
          : 'ADDITIONAL_PROPERTIES_NARROWED',
        path: at,
      })
  }
  return out
}

function dependencyArrays(node: Node): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const source of [node.dependencies, node.dependentRequired]) {
    if (!isObject(source)) continue
    for (const [k, v] of Object.entries(source)) if (Array.isArray(v)) out[k] = v.map(String)
  }
  return out
}

function dependencySchemas(node: Node): Record<string, SchemaNode> {
  const out: Record<string, SchemaNode> = {}
  for (const source of [node.dependencies, node.dependentSchemas]) {
    if (!isObject(source)) continue
    for (const [k, v] of Object.entries(source)) if (!Array.isArray(v)) out[k] = v as SchemaNode
  }
  return out
}

function diffDependencies(differ: Differ, o: Node, u: Node, path: string): Difference[] {
  const out: Difference[] = []
  const oa = dependencyArrays(o)
  const ua = dependencyArrays(u)
  for (const name of new Set([...Object.keys(oa), ...Object.keys(ua)])) {
    const at = childPath(path, 'dependencies', name)
    const ov = oa[name]
    const uv = ua[name]
    if (uv === undefined) out.push({ type: 'DEPENDENCY_ARRAY_REMOVED', path: at })
    else if (ov === undefined) out.push({ type: 'DEPENDENCY_ARRAY_ADDED', path: at })
    else {
      const missing = ov.some((v) => !uv.includes(v))
      const extraNames = uv.some((v) => !ov.includes(v))
      if (missing && extraNames) out.push({ type: 'DEPENDENCY_ARRAY_CHANGED', path: at })
      else if (missing) out.push({ type: 'DEPENDENCY_ARRAY_NARROWED', path: at })
      else if (extraNames) out.push({ type: 'DEPENDENCY_ARRAY_EXTENDED', path: at })
    }
  }
  const os = dependencySchemas(o)
  const us = dependencySchemas(u)
  for (const name of new Set([...Object.keys(os), ...Object.keys(us)])) {
    const at = childPath(path, 'dependencies', name)
    const ov = os[name]
    const uv = us[name]
    if (uv === undefined) out.push({ type: 'DEPENDENCY_SCHEMA_REMOVED', path: at })
    else if (ov === undefined) out.push({ type: 'DEPENDENCY_SCHEMA_ADDED', path: at })
    else out.push(...differ.diff(ov, uv, at))
  }
  return out
}
