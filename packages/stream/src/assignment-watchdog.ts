import type { GroupJoin } from '@isobar/core'
import { AssignmentNotActiveError } from './errors.ts'

/** What the runner has active, compared with what the group gave the member. */
export interface ActiveAssignment {
  /** The generation the active tasks were built under (exactly-once, classic protocol); undefined otherwise. */
  generationId: number | undefined
  /** Whether the generation must match the last join (exactly-once: offsets commit against it). */
  checkGeneration: boolean
  /** The runner's current assignment (undefined before the first one was applied). */
  assignment: ReadonlySet<number> | undefined
  tasks: ReadonlySet<number>
}

/**
 * The runner's watchdog. A member whose assignment (as the client last joined) has partitions without an active
 * task, or whose last join the runner never applied, processes nothing and logs nothing: its partitions stall
 * while it stays in the group. A difference is normal for a moment (the join's callback waits for the runner's
 * lock); one that lasts longer than `graceMs` is reported, once per consumer, for the runner to rejoin.
 */
export class AssignmentWatchdog {
  readonly #graceMs: number
  #since: number | undefined

  constructor(graceMs: number) {
    this.#graceMs = graceMs
  }

  /** A fresh consumer: start over. */
  reset(): void {
    this.#since = undefined
  }

  /**
   * `join`: the client's last completed classic join; `assigned`: the client's assignment (used without a join,
   * KIP-848). Returns the error to fail the generation with, once the difference outlasted the grace period.
   */
  check(
    now: number,
    join: GroupJoin | undefined,
    assigned: ReadonlyArray<{ partition: number }>,
    active: ActiveAssignment,
  ): AssignmentNotActiveError | undefined {
    // Not joined yet: the join itself is bounded by the client's rebalance timeout.
    if (join === undefined && active.assignment === undefined) return undefined
    const partitions = [...new Set((join?.assigned ?? assigned).map((a) => a.partition))].sort(byNumber)
    const generationDiffers = join !== undefined && active.checkGeneration && join.generationId !== active.generationId
    const missing = partitions.filter((p) => !active.tasks.has(p) || active.assignment?.has(p) !== true)
    if (!generationDiffers && missing.length === 0) {
      this.#since = undefined
      return undefined
    }
    this.#since ??= now
    const forMs = now - this.#since
    if (forMs < this.#graceMs) return undefined
    return new AssignmentNotActiveError({
      ...(join ? { generationId: join.generationId } : {}),
      assigned: partitions,
      active: [...active.tasks].sort(byNumber),
      forMs,
    })
  }
}

function byNumber(a: number, b: number): number {
  return a - b
}
