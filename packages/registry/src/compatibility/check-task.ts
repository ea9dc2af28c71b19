/**
 * One compatibility check as a self-contained task (plain data in, plain data out), so it can run in a worker
 * thread or inline. Pure: loaded by the worker, so it imports nothing that talks to Kafka or HTTP.
 */
import type { CompatibilityPolicy } from './differences.ts'
import { checkJsonSchemas, type JsonCheckedSchema } from './json-check.ts'
import { checkAgainst, type CompatibilityLevel, type CompatibilityResult } from './levels.ts'
import { isSchemaLimitError, SchemaLimitError, WorkBudget, type SchemaLimits } from './limits.ts'

export interface CheckTask {
  level: CompatibilityLevel
  candidate: JsonCheckedSchema
  /** Versions to compare with, newest first. */
  previous: JsonCheckedSchema[]
  policy: CompatibilityPolicy
  limits: Pick<SchemaLimits, 'maxWork' | 'maxDepth'>
}

export type CheckOutcome =
  | { ok: CompatibilityResult; work: number }
  | { error: { kind: 'limit' | 'unsupported' | 'failed'; message: string; schemaType?: string }; work: number }

class UnsupportedTypeError extends Error {
  readonly schemaType: string
  constructor(schemaType: string) {
    super(`Compatibility checking of ${schemaType} schemas is not implemented`)
    this.schemaType = schemaType
  }
}

/** Runs the check under one work budget shared by every version compared. Never throws. */
export function runCheckTask(task: CheckTask): CheckOutcome {
  const budget = new WorkBudget(task.limits.maxWork)
  const maxDepth = 2 * task.limits.maxDepth
  try {
    const result = checkAgainst(
      task.level,
      task.candidate,
      task.previous,
      (reader, writer, policy) => {
        if (reader.schemaType !== 'JSON') throw new UnsupportedTypeError(reader.schemaType)
        return checkJsonSchemas(reader, writer, policy, { budget, maxDepth })
      },
      task.policy,
    )
    return { ok: result, work: budget.used }
  } catch (error) {
    if (error instanceof UnsupportedTypeError) {
      return { error: { kind: 'unsupported', message: error.message, schemaType: error.schemaType }, work: budget.used }
    }
    if (isSchemaLimitError(error)) return { error: { kind: 'limit', message: error.message }, work: budget.used }
    if (error instanceof RangeError) {
      // A shape the limits did not foresee exhausted the stack: still a schema too complex, never a crash.
      const limit = new SchemaLimitError('maxDepth', 'Schema too deeply nested to check')
      return { error: { kind: 'limit', message: limit.message }, work: budget.used }
    }
    return { error: { kind: 'failed', message: (error as Error).message ?? String(error) }, work: budget.used }
  }
}
