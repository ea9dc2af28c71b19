/**
 * Quiet dead-letter logging. A burst of poison (a misconfigured device, a skewed clock) must not turn the log into
 * one line per record: the first dead letter of each (topic, code) is logged in full at warn, later ones at debug,
 * and once per interval a single warn line sums up what was dead-lettered meanwhile. The exact counts are always on
 * /metrics (`isobar_dead_letters_total`); the DLQ itself holds every record with its reason.
 */
import type { Logger } from '../logger.ts'

export interface DeadLetterLogOptions {
  logger: Logger | undefined
  /** Interval of the summary line. Default 60 s. */
  summaryIntervalMs?: number
}

export class DeadLetterLog {
  readonly #logger: Logger | undefined
  readonly #intervalMs: number
  readonly #seen = new Set<string>()
  /** Dead letters since the last summary, by `topic code`. */
  #pending = new Map<string, number>()
  #timer: NodeJS.Timeout | undefined

  constructor(options: DeadLetterLogOptions) {
    this.#logger = options.logger
    this.#intervalMs = options.summaryIntervalMs ?? 60_000
  }

  record(fields: { topic: string; code: string; dlq: string } & Record<string, unknown>, message: string): void {
    const logger = this.#logger
    if (!logger) return
    const key = `${fields.topic} ${fields.code}`
    if (!this.#seen.has(key)) {
      this.#seen.add(key)
      logger.warn(
        fields,
        `${message} (first ${fields.code} from ${fields.topic}; more are summed up every ${this.#intervalMs / 1000} s)`,
      )
      return
    }
    logger.debug(fields, message)
    this.#pending.set(key, (this.#pending.get(key) ?? 0) + 1)
    // unref: a pending summary never keeps a process alive; close() flushes it.
    this.#timer ??= setTimeout(() => this.flush(), this.#intervalMs).unref()
  }

  /** Logs the summary of what is pending now (also called on close). */
  flush(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#pending.size === 0 || !this.#logger) return
    const byTopicAndCode: Record<string, number> = Object.fromEntries(this.#pending)
    const total = [...this.#pending.values()].reduce((a, b) => a + b, 0)
    this.#pending = new Map()
    this.#logger.warn(
      { deadLetters: total, byTopicAndCode },
      `${total} more messages dead-lettered (see the DLQ and /metrics)`,
    )
  }
}
