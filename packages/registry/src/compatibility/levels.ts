/**
 * Compatibility levels: which previous versions a new schema is checked against, and in which direction.
 * BACKWARD: the new schema reads data written with the old (new = reader). FORWARD: the old reads the new.
 * FULL: both. `_TRANSITIVE`: against every live version (newest first, stopping at the first failure),
 * otherwise only against the latest. NONE: nothing is checked.
 */
import type { CompatibilityPolicy } from './differences.ts'

export const COMPATIBILITY_LEVELS = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const

export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number]

export function parseCompatibilityLevel(value: unknown): CompatibilityLevel | undefined {
  if (typeof value !== 'string') return undefined
  const upper = value.toUpperCase()
  return (COMPATIBILITY_LEVELS as readonly string[]).includes(upper) ? (upper as CompatibilityLevel) : undefined
}

export function isTransitive(level: CompatibilityLevel): boolean {
  return level.endsWith('_TRANSITIVE')
}

/** The previous versions to check, given the live versions ordered oldest first. Result is newest first. */
export function versionsToCheck<T>(level: CompatibilityLevel, liveOldestFirst: readonly T[]): T[] {
  if (level === 'NONE' || liveOldestFirst.length === 0) return []
  const newestFirst = [...liveOldestFirst].reverse()
  return isTransitive(level) ? newestFirst : newestFirst.slice(0, 1)
}

/** Directions to check for a level: `backward` = new reads old; `forward` = old reads new. */
export function directionsOf(level: CompatibilityLevel): Array<'backward' | 'forward'> {
  if (level.startsWith('BACKWARD')) return ['backward']
  if (level.startsWith('FORWARD')) return ['forward']
  if (level.startsWith('FULL')) return ['backward', 'forward']
  return []
}

export interface CheckedSchema {
  version?: number
  schemaType: string
  /** The schema text as stored (used in messages). */
  text: string
}

/**
 * Compares a reader with a writer of the same schema type and returns the incompatibilities, as
 * `{errorType:"X", description:"..."}` strings; empty when compatible.
 */
export type ReaderWriterCheck<S extends CheckedSchema> = (reader: S, writer: S, policy: CompatibilityPolicy) => string[]

export interface CompatibilityResult {
  compatible: boolean
  /** Confluent-style messages (the `verbose=true` list and the 409 details). */
  messages: string[]
}

/**
 * Checks `candidate` against `previous` (newest first, as from `versionsToCheck`) in the level's directions.
 * Stops at the first incompatible version, like Confluent.
 */
export function checkAgainst<S extends CheckedSchema>(
  level: CompatibilityLevel,
  candidate: S,
  previous: readonly S[],
  check: ReaderWriterCheck<S>,
  policy: CompatibilityPolicy = 'STRICT',
): CompatibilityResult {
  for (const old of previous) {
    const problems: string[] = []
    if (old.schemaType !== candidate.schemaType) {
      problems.push(`{errorType:"SCHEMA_TYPE_CHANGED", description:"Incompatible because of different schema type"}`)
    } else {
      for (const direction of directionsOf(level)) {
        problems.push(...(direction === 'backward' ? check(candidate, old, policy) : check(old, candidate, policy)))
      }
    }
    if (problems.length > 0) {
      const messages = [...new Set(problems)]
      if (old.version !== undefined) messages.push(`{oldSchemaVersion: ${old.version}}`)
      messages.push(`{oldSchema: '${old.text}'}`)
      messages.push(`{validateFields: 'false', compatibility: '${level}'}`)
      return { compatible: false, messages }
    }
  }
  return { compatible: true, messages: [] }
}
