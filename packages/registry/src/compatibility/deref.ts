/**
 * Replaces every `$ref` of a JSON Schema by the schema it points to, producing an object graph (cyclic for
 * recursive schemas) that the diff walks without knowing about references. Local pointers (`#/definitions/x`,
 * `#/$defs/x`, `#`) and references to other registered schemas (by reference name or `$id`, optionally with a
 * `#/pointer` fragment) are resolved; an unresolvable reference becomes the empty schema.
 */
import { SchemaLimitError } from './limits.ts'

export type SchemaNode = boolean | { [key: string]: unknown }

/** Keywords whose value is one subschema. */
const SINGLE = [
  'additionalProperties',
  'unevaluatedProperties',
  'additionalItems',
  'unevaluatedItems',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'propertyNames',
] as const
/** Keywords whose value is an array of subschemas. */
const LIST = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const
/** Keywords whose value maps names to subschemas. */
const MAP = ['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas'] as const

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Documents other than the root that `$ref` may name, keyed by reference name and by their `$id`. */
export type ReferencedDocuments = ReadonlyMap<string, unknown>

export function dereference(
  root: unknown,
  documents: ReferencedDocuments = new Map(),
  maxDepth = 128,
  /** Called with each `$ref` that resolves to nothing (anchors excepted). */
  onUnresolved?: (ref: string) => void,
): SchemaNode {
  const memo = new Map<object, SchemaNode>()
  const resolving = new Set<object>()
  let depth = 0

  const walk = (node: unknown, docRoot: unknown): SchemaNode => {
    if (typeof node === 'boolean') return node
    if (!isObject(node)) return {}
    const cached = memo.get(node)
    if (cached !== undefined) return cached
    if (depth >= maxDepth) {
      throw new SchemaLimitError('maxDepth', `Schema nests deeper than ${maxDepth} levels once $refs are followed`)
    }
    depth++
    try {
      if (typeof node.$ref === 'string') return walkRef(node, docRoot)
      const out: Record<string, unknown> = {}
      memo.set(node, out)
      for (const [key, value] of Object.entries(node)) out[key] = walkKeyword(key, value, docRoot)
      return out
    } finally {
      depth--
    }
  }

  const walkRef = (node: Record<string, unknown>, docRoot: unknown): SchemaNode => {
    if (resolving.has(node)) return {}
    resolving.add(node)
    const ref = node.$ref as string
    const target = resolveRef(ref, docRoot, documents)
    // `#name` anchors are not resolved here (they diff as the empty schema), so they are never reported.
    if (!target && onUnresolved && !/#[^/]/.test(ref)) onUnresolved(ref)
    const siblings = Object.fromEntries(Object.entries(node).filter(([k]) => k !== '$ref'))
    const hasSiblings = Object.keys(siblings).some((k) => !ANNOTATIONS.has(k))
    let out: SchemaNode
    if (!hasSiblings) {
      out = target ? walk(target.node, target.root) : {}
      memo.set(node, out)
    } else {
      const merged: Record<string, unknown> = {}
      memo.set(node, merged)
      const rest: Record<string, unknown> = {}
      for (const [key, value] of Object.entries(siblings)) rest[key] = walkKeyword(key, value, docRoot)
      merged.allOf = [target ? walk(target.node, target.root) : {}, rest]
      out = merged
    }
    resolving.delete(node)
    return out
  }

  const walkKeyword = (key: string, value: unknown, docRoot: unknown): unknown => {
    if ((SINGLE as readonly string[]).includes(key)) return walk(value, docRoot)
    if ((LIST as readonly string[]).includes(key))
      return Array.isArray(value) ? value.map((v) => walk(v, docRoot)) : value
    if ((MAP as readonly string[]).includes(key) && isObject(value)) {
      const mapped: Record<string, unknown> = {}
      for (const [name, sub] of Object.entries(value)) mapped[name] = walk(sub, docRoot)
      return mapped
    }
    if (key === 'items') return Array.isArray(value) ? value.map((v) => walk(v, docRoot)) : walk(value, docRoot)
    if (key === 'dependencies' && isObject(value)) {
      const mapped: Record<string, unknown> = {}
      for (const [name, sub] of Object.entries(value)) mapped[name] = Array.isArray(sub) ? sub : walk(sub, docRoot)
      return mapped
    }
    return value
  }

  return walk(root, root)
}

/** Keywords that never constrain data. */
export const ANNOTATIONS: ReadonlySet<string> = new Set([
  '$schema',
  '$id',
  'id',
  '$anchor',
  '$comment',
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'definitions',
  '$defs',
  'contentEncoding',
  'contentMediaType',
])

function resolveRef(
  ref: string,
  docRoot: unknown,
  documents: ReferencedDocuments,
): { node: unknown; root: unknown } | undefined {
  const hash = ref.indexOf('#')
  const base = hash === -1 ? ref : ref.slice(0, hash)
  const fragment = hash === -1 ? '' : ref.slice(hash + 1)
  let root = docRoot
  if (base !== '') {
    const found = findDocument(base, docRoot, documents)
    if (found === undefined) return undefined
    root = found
  }
  const node = pointer(root, fragment)
  return node === undefined ? undefined : { node, root }
}

function findDocument(base: string, docRoot: unknown, documents: ReferencedDocuments): unknown {
  const direct = documents.get(base)
  if (direct !== undefined) return direct
  const rootId = isObject(docRoot) && typeof docRoot.$id === 'string' ? docRoot.$id : undefined
  if (rootId !== undefined && sameUrl(rootId, base, rootId)) return docRoot
  for (const [name, doc] of documents) {
    const id = isObject(doc) && typeof doc.$id === 'string' ? doc.$id : undefined
    if (sameUrl(name, base, rootId) || (id !== undefined && sameUrl(id, base, rootId))) return doc
  }
  return undefined
}

function sameUrl(candidate: string, ref: string, baseId: string | undefined): boolean {
  if (candidate === ref) return true
  try {
    const resolved = baseId ? new URL(ref, baseId).href : new URL(ref).href
    return new URL(candidate, baseId).href === resolved
  } catch {
    return false
  }
}

function pointer(root: unknown, fragment: string): unknown {
  if (fragment === '' || fragment === '/') return root
  if (!fragment.startsWith('/')) return undefined // $anchor references are not supported
  let node: unknown = root
  for (const raw of fragment.slice(1).split('/')) {
    const token = decodeURIComponent(raw).replaceAll('~1', '/').replaceAll('~0', '~')
    if (Array.isArray(node)) node = node[Number(token)]
    else if (isObject(node)) node = node[token]
    else return undefined
    if (node === undefined) return undefined
  }
  return node
}
