import type { DeadLetter, RecordPosition } from './task.ts'

/** Why a stage is not making progress: it restarted `consecutiveFailures` times in a row without committing. */
export interface StreamRunnerHealth {
  ready: boolean
  consecutiveFailures: number
  /** The last failure's message and the input positions its commit would have moved past. */
  lastError?: string
  failingAt?: Array<{ topic: string; partition: number; offset: string }>
  failingSinceMs?: number
}

/**
 * A runner's failures across its restarts: how many in a row without a commit that moved the input (for /ready
 * and /metrics), and which dead letters were in failed commits (they are rebuilt smaller on the next attempt).
 */
export class FailureTracker {
  readonly #clock: () => number
  readonly #deadLetterFailures = new Map<string, number>()
  #consecutive = 0
  #lastError: string | undefined
  #failingAt: StreamRunnerHealth['failingAt']
  #since: number | undefined

  constructor(clock: () => number) {
    this.#clock = clock
  }

  get consecutive(): number {
    return this.#consecutive
  }

  /** Earlier failed commits that carried this record's dead letter. */
  deadLetterAttempts(position: RecordPosition): number {
    return this.#deadLetterFailures.get(positionKey(position)) ?? 0
  }

  /** A generation ended with `error`; the runner restarts from committed state. */
  restarted(error: Error): void {
    this.#consecutive++
    this.#since ??= this.#clock()
    this.#lastError = error.message
  }

  commitFailed(offsets: RecordPosition[], deadLetters: DeadLetter[]): void {
    const positions = deadLetters.length > 0 ? deadLetters.map((d) => d.source) : offsets
    this.#failingAt = positions
      .slice(0, 5)
      .map(({ topic, partition, offset }) => ({ topic, partition, offset: String(offset) }))
    for (const { source } of deadLetters) {
      const key = positionKey(source)
      this.#deadLetterFailures.set(key, (this.#deadLetterFailures.get(key) ?? 0) + 1)
    }
  }

  committed(offsets: RecordPosition[], deadLetters: DeadLetter[]): void {
    for (const { source } of deadLetters) this.#deadLetterFailures.delete(positionKey(source))
    if (offsets.length === 0) return
    this.#consecutive = 0
    this.#since = this.#lastError = this.#failingAt = undefined
  }

  health(ready: boolean): StreamRunnerHealth {
    const failing = this.#consecutive > 0
    return {
      ready,
      consecutiveFailures: this.#consecutive,
      ...(failing && this.#lastError !== undefined ? { lastError: this.#lastError } : {}),
      ...(failing && this.#failingAt ? { failingAt: this.#failingAt } : {}),
      ...(failing && this.#since !== undefined ? { failingSinceMs: this.#since } : {}),
    }
  }
}

function positionKey(position: RecordPosition): string {
  return `${position.topic}/${position.partition}/${position.offset}`
}
