/**
 * JSON Schema diff in the spirit of Confluent's `SchemaDiff`: compares an *original* (writer) schema with an
 * *update* (reader) and lists typed differences with their paths. Whether the update can read everything the
 * original allowed follows from the difference types (see differences.ts).
 */
import { diffArrays } from './array-diff.ts'
import { dereference, isObject, type ReferencedDocuments, type SchemaNode } from './deref.ts'
import { incompatibleDifferences, type CompatibilityPolicy, type Difference } from './differences.ts'
import { canonicalNode, childPath, deepEqual, expandTypeArray, isEmptySchema, withMeter } from './json-util.ts'
import { DEFAULT_SCHEMA_LIMITS, SchemaLimitError, WorkBudget } from './limits.ts'
import { diffObjects } from './object-diff.ts'
import { diffEnums, diffNumbers, diffStrings } from './scalar-diff.ts'

export interface DiffOptions {
  policy?: CompatibilityPolicy
  /** Schemas the original's `$ref`s may name (registry references), by reference name. */
  originalReferences?: ReferencedDocuments
  /** Schemas the update's `$ref`s may name. */
  updateReferences?: ReferencedDocuments
  /**
   * Work units this diff may spend; shared by the diffs of one compatibility check. Beyond it the diff throws
   * SchemaLimitError. Default: a fresh budget of DEFAULT_SCHEMA_LIMITS.maxWork.
   */
  budget?: WorkBudget
  /** Deepest recursion of the diff (schema levels, `$ref`s followed). Default 2 × DEFAULT_SCHEMA_LIMITS.maxDepth. */
  maxDepth?: number
}

/** What the keyword-family diffs need from the recursive differ. */
export interface Differ {
  diff(original: SchemaNode, update: SchemaNode, path: string): Difference[]
  /** True when the update accepts everything the original accepts (under the current policy). */
  compatible(original: SchemaNode, update: SchemaNode, path: string): boolean
  /** Counts work done outside `diff` (e.g. matching) against the check's budget. */
  spend(units: number): void
}

export function diffSchemas(original: unknown, update: unknown, options: DiffOptions = {}): Difference[] {
  const budget = options.budget ?? new WorkBudget(DEFAULT_SCHEMA_LIMITS.maxWork)
  const maxDepth = options.maxDepth ?? 2 * DEFAULT_SCHEMA_LIMITS.maxDepth
  return withMeter(budget, () => {
    const differ = createDiffer(options.policy ?? 'STRICT', budget, maxDepth)
    return differ.diff(
      dereference(original, options.originalReferences, maxDepth),
      dereference(update, options.updateReferences, maxDepth),
      '#',
    )
  })
}

function createDiffer(policy: CompatibilityPolicy, budget: WorkBudget, maxDepth: number): Differ {
  const inProgress = new Map<object | boolean, Set<object | boolean>>()
  // Verdicts of pairs already compared: the same (original, update) pair reached again through shared `$ref`
  // targets or repeated branches costs nothing, so nested unions stay polynomial instead of exponential.
  const verdicts = new Map<object | boolean, Map<object | boolean, boolean>>()
  const results = new Map<object | boolean, Map<object | boolean, { path: string; differences: Difference[] }>>()
  let depth = 0
  /** A cached result found under another path: the same differences, re-rooted at `path`. */
  const rebase = (cached: { path: string; differences: Difference[] }, path: string): Difference[] => {
    budget.spend(cached.differences.length)
    if (cached.path === path) return [...cached.differences]
    return cached.differences.map((d) => ({ ...d, path: path + d.path.slice(cached.path.length) }))
  }

  const differ: Differ = {
    diff(original, update, path) {
      budget.spend()
      const seen = inProgress.get(original)
      // A pair already being compared further up (recursive schema): assume compatible, as a fixpoint would.
      if (seen?.has(update)) return []
      if (depth >= maxDepth) {
        throw new SchemaLimitError('maxDepth', `Schema nests deeper than ${maxDepth} levels once $refs are followed`)
      }
      const cached = results.get(original)?.get(update)
      if (cached !== undefined) return rebase(cached, path)
      if (seen) seen.add(update)
      else inProgress.set(original, new Set([update]))
      depth++
      try {
        const differences = diffNodes(differ, canonicalNode(original), canonicalNode(update), path)
        const row = results.get(original) ?? new Map<object | boolean, { path: string; differences: Difference[] }>()
        row.set(update, { path, differences })
        results.set(original, row)
        return differences
      } finally {
        depth--
        inProgress.get(original)?.delete(update)
      }
    },
    compatible(original, update, path) {
      const known = verdicts.get(original)?.get(update)
      if (known !== undefined) return known
      const verdict = incompatibleDifferences(differ.diff(original, update, path), policy).length === 0
      const row = verdicts.get(original) ?? new Map<object | boolean, boolean>()
      row.set(update, verdict)
      verdicts.set(original, row)
      return verdict
    },
    spend(units) {
      budget.spend(units)
    },
  }
  return differ
}

function diffNodes(differ: Differ, original: SchemaNode, update: SchemaNode, path: string): Difference[] {
  if (deepEqual(original, update)) return []
  if (original === false) return []
  if (update === false) return [{ type: 'TYPE_CHANGED', path }]
  const differences = diffAnnotations(original, update, path)
  const emptyOriginal = isEmptySchema(original)
  if (isEmptySchema(update)) {
    if (!emptyOriginal) differences.push({ type: 'SCHEMA_REMOVED', path })
    return differences
  }
  if (emptyOriginal) return [...differences, { type: 'SCHEMA_ADDED', path }]

  const oc = asCombined(original)
  const uc = asCombined(update)
  if (oc && uc) return [...differences, ...diffCombined(differ, oc, uc, path)]
  if (uc) return [...differences, ...diffToCombined(differ, original, uc, path)]
  if (oc) return [...differences, ...diffFromCombined(differ, oc, update, path)]
  return [
    ...differences,
    ...diffPlain(differ, original as Record<string, unknown>, update as Record<string, unknown>, path),
  ]
}

function diffAnnotations(o: SchemaNode, u: SchemaNode, path: string): Difference[] {
  const out: Difference[] = []
  if (!isObject(o) || !isObject(u)) return out
  if (!deepEqual(o.$id ?? o.id, u.$id ?? u.id)) out.push({ type: 'ID_CHANGED', path })
  if (o.title !== u.title) out.push({ type: 'TITLE_CHANGED', path })
  if (o.description !== u.description) out.push({ type: 'DESCRIPTION_CHANGED', path })
  if (!deepEqual(o.default, u.default)) out.push({ type: 'DEFAULT_CHANGED', path })
  return out
}

type CombinedKind = 'allOf' | 'anyOf' | 'oneOf'
interface Combined {
  kind: CombinedKind
  branches: SchemaNode[]
}

const COMBINATORS: CombinedKind[] = ['allOf', 'anyOf', 'oneOf']

/** Views a schema as a combination (type arrays and mixed keyword families included), or undefined if plain. */
function asCombined(node: SchemaNode): Combined | undefined {
  if (!isObject(node)) return undefined
  const expanded = expandTypeArray(node)
  const present = COMBINATORS.filter((k) => Array.isArray(expanded[k]))
  if (present.length === 0) return undefined
  const rest: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(expanded)) if (!present.includes(k as CombinedKind)) rest[k] = v
  let combined: Combined
  if (present.length === 1 && isEmptySchema(rest)) {
    const kind = present[0]!
    combined = { kind, branches: expanded[kind] as SchemaNode[] }
  } else {
    const branches: SchemaNode[] = isEmptySchema(rest) ? [] : [rest]
    for (const kind of present) {
      const list = expanded[kind] as SchemaNode[]
      if (kind === 'allOf') branches.push(...list)
      else branches.push({ [kind]: list })
    }
    combined = { kind: 'allOf', branches }
  }
  const unique: SchemaNode[] = []
  for (const b of combined.branches) if (!unique.some((u) => deepEqual(u, b))) unique.push(b)
  return { kind: combined.kind, branches: unique }
}

/** Merges allOf branches into one plain schema when their keywords don't overlap (undefined otherwise). */
function mergeAllOf(branches: SchemaNode[]): SchemaNode | undefined {
  const merged: Record<string, unknown> = {}
  for (const b of branches) {
    if (!isObject(b) || COMBINATORS.some((k) => k in b) || Array.isArray(b.type)) return undefined
    for (const [k, v] of Object.entries(b)) {
      if (k in merged && !deepEqual(merged[k], v)) return undefined
      merged[k] = v
    }
  }
  return merged
}

function singleBranch(c: Combined): SchemaNode | undefined {
  if (c.branches.length === 1) return c.branches[0]
  return c.kind === 'allOf' ? mergeAllOf(c.branches) : undefined
}

function diffCombined(differ: Differ, o: Combined, u: Combined, path: string): Difference[] {
  const oneO = singleBranch(o)
  const oneU = singleBranch(u)
  if (oneO !== undefined && oneU !== undefined) return differ.diff(oneO, oneU, path)
  if (o.branches.length === 1) return diffToCombined(differ, o.branches[0]!, u, path)
  if (u.branches.length === 1) return diffFromCombined(differ, o, u.branches[0]!, path)

  const out: Difference[] = []
  if (o.kind !== u.kind)
    out.push({ type: u.kind === 'anyOf' ? 'COMBINED_TYPE_EXTENDED' : 'COMBINED_TYPE_CHANGED', path })
  const edges = o.branches.map((ob) => u.branches.map((ub, j) => differ.compatible(ob, ub, childPath(path, u.kind, j))))
  const matched = maximumMatching(edges, u.branches.length, (units) => differ.spend(units))
  if (matched < Math.min(o.branches.length, u.branches.length)) {
    out.push({ type: 'COMBINED_TYPE_SUBSCHEMAS_CHANGED', path })
  }
  const product = u.kind === 'allOf'
  if (u.branches.length > o.branches.length)
    out.push({ type: product ? 'PRODUCT_TYPE_EXTENDED' : 'SUM_TYPE_EXTENDED', path })
  if (u.branches.length < o.branches.length)
    out.push({ type: product ? 'PRODUCT_TYPE_NARROWED' : 'SUM_TYPE_NARROWED', path })
  return out
}

/** Plain original, combined update. */
function diffToCombined(differ: Differ, o: SchemaNode, u: Combined, path: string): Difference[] {
  if (u.kind === 'allOf') {
    const merged = mergeAllOf(u.branches)
    if (merged !== undefined) return differ.diff(o, merged, path)
    // The reader requires every branch, so each must accept what the writer wrote.
    return u.branches.flatMap((b, i) => differ.diff(o, b, childPath(path, 'allOf', i)))
  }
  // The writer's data must fit at least one alternative of the reader.
  if (u.branches.some((b, i) => differ.compatible(o, b, childPath(path, u.kind, i)))) {
    return [{ type: 'SUM_TYPE_EXTENDED', path }]
  }
  return closest(u.branches.map((b, i) => differ.diff(o, b, childPath(path, u.kind, i))))
}

/** Combined original, plain update. */
function diffFromCombined(differ: Differ, o: Combined, u: SchemaNode, path: string): Difference[] {
  if (o.kind === 'allOf') {
    const merged = mergeAllOf(o.branches)
    if (merged !== undefined) return differ.diff(merged, u, path)
    if (o.branches.some((b, i) => differ.compatible(b, u, childPath(path, 'allOf', i)))) {
      return [{ type: 'PRODUCT_TYPE_NARROWED', path }]
    }
    return closest(o.branches.map((b, i) => differ.diff(b, u, childPath(path, 'allOf', i))))
  }
  // The writer may have produced any branch: the reader must accept each.
  return o.branches.flatMap((b, i) => differ.diff(b, u, childPath(path, o.kind, i)))
}

/** The alternative with the fewest differences, to explain why none matched. */
function closest(candidates: Difference[][]): Difference[] {
  let best: Difference[] | undefined
  for (const c of candidates) if (best === undefined || c.length < best.length) best = c
  return best ?? []
}

/** Size of a maximum bipartite matching (Kuhn's augmenting paths); edges[i][j] links left i to right j. */
export function maximumMatching(
  edges: boolean[][],
  rightCount: number,
  spend: (units: number) => void = () => {},
): number {
  const matchOfRight = new Array<number>(rightCount).fill(-1)
  const tryAssign = (left: number, visited: boolean[]): boolean => {
    spend(rightCount)
    for (let right = 0; right < rightCount; right++) {
      if (!edges[left]?.[right] || visited[right]) continue
      visited[right] = true
      const current = matchOfRight[right]!
      if (current === -1 || tryAssign(current, visited)) {
        matchOfRight[right] = left
        return true
      }
    }
    return false
  }
  let size = 0
  for (let left = 0; left < edges.length; left++)
    if (tryAssign(left, new Array<boolean>(rightCount).fill(false))) size++
  return size
}

function typeOf(node: Record<string, unknown>): string | undefined {
  return typeof node.type === 'string' ? node.type : undefined
}

/** Two non-combined schemas. */
function diffPlain(differ: Differ, o: Record<string, unknown>, u: Record<string, unknown>, path: string): Difference[] {
  const out: Difference[] = []
  const to = typeOf(o)
  const tu = typeOf(u)
  if (to !== undefined && tu !== undefined && to !== tu) {
    if (to === 'integer' && tu === 'number') out.push({ type: 'TYPE_EXTENDED', path })
    else if (to === 'number' && tu === 'integer') out.push({ type: 'TYPE_NARROWED', path })
    else return [{ type: 'TYPE_CHANGED', path }]
  } else if (to !== undefined && tu === undefined) {
    out.push({ type: 'TYPE_EXTENDED', path })
  } else if (to === undefined && tu !== undefined) {
    out.push({ type: 'TYPE_NARROWED', path })
  }
  out.push(...diffEnums(o, u, path))
  out.push(...diffStrings(o, u, path))
  out.push(...diffNumbers(o, u, path))
  out.push(...diffObjects(differ, o, u, path))
  out.push(...diffArrays(differ, o, u, path))
  out.push(...diffNot(differ, o, u, path))
  out.push(...diffConditional(o, u, path))
  return out
}

function diffNot(differ: Differ, o: Record<string, unknown>, u: Record<string, unknown>, path: string): Difference[] {
  const on = o.not as SchemaNode | undefined
  const un = u.not as SchemaNode | undefined
  if (on === undefined && un === undefined) return []
  if (on === undefined) return [{ type: 'NOT_TYPE_EXTENDED', path: childPath(path, 'not') }]
  if (un === undefined) return [{ type: 'NOT_TYPE_NARROWED', path: childPath(path, 'not') }]
  if (deepEqual(on, un)) return []
  // `not` inverts the roles: the reader rejects what its `not` accepts.
  const ok = differ.compatible(un, on, childPath(path, 'not'))
  return [{ type: ok ? 'NOT_TYPE_NARROWED' : 'NOT_TYPE_EXTENDED', path: childPath(path, 'not') }]
}

function diffConditional(o: Record<string, unknown>, u: Record<string, unknown>, path: string): Difference[] {
  const pick = (n: Record<string, unknown>): unknown[] => [n.if, n.then, n.else]
  const [oi, ui] = [o.if, u.if]
  if (oi === undefined && ui === undefined) return []
  if (oi === undefined) return [{ type: 'CONDITIONAL_ADDED', path }]
  if (ui === undefined) return [{ type: 'CONDITIONAL_REMOVED', path }]
  return deepEqual(pick(o), pick(u)) ? [] : [{ type: 'CONDITIONAL_CHANGED', path }]
}
