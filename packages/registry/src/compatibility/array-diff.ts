/**
 * Array keywords. Both tuple spellings are understood: draft-07 `items: [..]` + `additionalItems` and 2020-12
 * `prefixItems` + `items`. Tuple items added or removed are judged against the other side's content model
 * (the schema for items past the tuple), like object properties.
 */
import { isObject, type SchemaNode } from './deref.ts'
import type { Difference, DifferenceType } from './differences.ts'
import type { Differ } from './json-diff.ts'
import { ARRAY_KEYWORDS, childPath, isEmptySchema } from './json-util.ts'
import { diffExtra } from './object-diff.ts'
import { diffLimit } from './scalar-diff.ts'

type Node = Record<string, unknown>

interface ArrayShape {
  /** Schema every item must match (`items` as one schema), undefined when absent or a tuple is used. */
  all: SchemaNode | undefined
  tuple: SchemaNode[]
  tupleKeyword: string
  /** Schema for items after the tuple (`additionalItems`, or `items` after `prefixItems`); undefined = anything. */
  rest: unknown
  restKeyword: string
}

function shapeOf(node: Node): ArrayShape {
  if (Array.isArray(node.prefixItems)) {
    return {
      all: undefined,
      tuple: node.prefixItems as SchemaNode[],
      tupleKeyword: 'prefixItems',
      rest: node.items,
      restKeyword: 'items',
    }
  }
  if (Array.isArray(node.items)) {
    return {
      all: undefined,
      tuple: node.items as SchemaNode[],
      tupleKeyword: 'items',
      rest: node.additionalItems,
      restKeyword: 'additionalItems',
    }
  }
  return {
    all: node.items as SchemaNode | undefined,
    tuple: [],
    tupleKeyword: 'items',
    rest: node.additionalItems,
    restKeyword: 'additionalItems',
  }
}

/**
 * As Confluent's ArraySchemaDiff: the all-items schema is compared on its own (added = SCHEMA_ADDED, removed =
 * SCHEMA_REMOVED), and tuple positions added or removed are judged only against the other side's content model
 * for items past the tuple — so turning `items: {..}` into a tuple on an open array adds items to an open content
 * model (incompatible), whatever the old all-items schema said.
 */
export function diffArrays(differ: Differ, o: Node, u: Node, path: string): Difference[] {
  if (!ARRAY_KEYWORDS.some((k) => o[k] !== undefined || u[k] !== undefined)) return []
  const out: Difference[] = []
  const os = shapeOf(o)
  const us = shapeOf(u)
  const allPath = childPath(path, 'items')
  if (os.all !== undefined && us.all !== undefined) out.push(...differ.diff(os.all, us.all, allPath))
  else if (os.all !== undefined) out.push({ type: 'SCHEMA_REMOVED', path: allPath })
  else if (us.all !== undefined) out.push({ type: 'SCHEMA_ADDED', path: allPath })
  const common = Math.min(os.tuple.length, us.tuple.length)
  for (let i = 0; i < common; i++) {
    out.push(...differ.diff(os.tuple[i]!, us.tuple[i]!, childPath(path, us.tupleKeyword, i)))
  }
  for (let i = common; i < us.tuple.length; i++) {
    out.push(itemAdded(differ, os.rest, us.tuple[i]!, childPath(path, us.tupleKeyword, i)))
  }
  for (let i = common; i < os.tuple.length; i++) {
    out.push(itemRemoved(differ, us.rest, os.tuple[i]!, childPath(path, os.tupleKeyword, i)))
  }
  out.push(...diffExtra(differ, os.rest, us.rest, 'ADDITIONAL_ITEMS', path, us.restKeyword))
  out.push(...diffExtra(differ, o.unevaluatedItems, u.unevaluatedItems, 'UNEVALUATED_ITEMS', path, 'unevaluatedItems'))
  out.push(...diffLimit(o.maxItems, u.maxItems, 'max', 'MAX_ITEMS', childPath(path, 'maxItems')))
  out.push(...diffLimit(o.minItems, u.minItems, 'min', 'MIN_ITEMS', childPath(path, 'minItems')))
  out.push(...diffLimit(o.maxContains, u.maxContains, 'max', 'MAX_CONTAINS', childPath(path, 'maxContains')))
  out.push(...diffLimit(o.minContains, u.minContains, 'min', 'MIN_CONTAINS', childPath(path, 'minContains')))
  const ou = o.uniqueItems === true
  const uu = u.uniqueItems === true
  if (ou !== uu)
    out.push({ type: uu ? 'UNIQUE_ITEMS_ADDED' : 'UNIQUE_ITEMS_REMOVED', path: childPath(path, 'uniqueItems') })
  const oc = o.contains as SchemaNode | undefined
  const uc = u.contains as SchemaNode | undefined
  if (oc !== undefined && uc === undefined) out.push({ type: 'CONTAINS_REMOVED', path: childPath(path, 'contains') })
  else if (oc === undefined && uc !== undefined) out.push({ type: 'CONTAINS_ADDED', path: childPath(path, 'contains') })
  else if (oc !== undefined && uc !== undefined) out.push(...differ.diff(oc, uc, childPath(path, 'contains')))
  return out
}

function restKind(rest: unknown): 'any' | 'none' | { schema: SchemaNode } {
  if (rest === undefined || isEmptySchema(rest)) return 'any'
  if (rest === false) return 'none'
  return { schema: isObject(rest) ? rest : {} }
}

function itemAdded(differ: Differ, originalRest: unknown, item: SchemaNode, path: string): Difference {
  const rest = restKind(originalRest)
  let type: DifferenceType
  if (rest === 'any') {
    type = isEmptySchema(item)
      ? 'ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL'
      : 'ITEM_ADDED_TO_OPEN_CONTENT_MODEL'
  } else if (rest === 'none') {
    type = 'ITEM_ADDED_TO_CLOSED_CONTENT_MODEL'
  } else {
    type = differ.compatible(rest.schema, item, path)
      ? 'ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
      : 'ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
  }
  return { type, path }
}

function itemRemoved(differ: Differ, updateRest: unknown, item: SchemaNode, path: string): Difference {
  const rest = restKind(updateRest)
  let type: DifferenceType
  if (rest === 'any') type = 'ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL'
  else if (rest === 'none') {
    type =
      item === false ? 'ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL' : 'ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL'
  } else {
    type = differ.compatible(item, rest.schema, path)
      ? 'ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
      : 'ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL'
  }
  return { type, path }
}
