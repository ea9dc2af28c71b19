/**
 * Keeps a `RegistryState` in step with the `_schemas` log and turns writes into "append, then wait until the
 * record is applied locally" (read-your-writes). The state changes only through applied records, so memory and
 * the log cannot diverge.
 */
import { errors, isRegistryError } from '../errors.ts'
import type { SchemaLog, LogRecord } from '../store/schema-log.ts'
import { RegistryState, type ApplyOutcome } from '../store/state.ts'

interface Waiter {
  offset: bigint
  resolve: (outcome: ApplyOutcome | undefined) => void
}

const REMEMBERED_OUTCOMES = 1024

export interface ReplicaOptions {
  /** How long a write or catch-up may wait for the log. Default 30 s. */
  timeoutMs?: number
  onRecordError?: (error: unknown, record: LogRecord) => void
}

export class Replica {
  readonly state = new RegistryState()
  readonly #log: SchemaLog
  readonly #timeoutMs: number
  readonly #onRecordError: ReplicaOptions['onRecordError']
  readonly #outcomes = new Map<bigint, ApplyOutcome>()
  #waiters: Waiter[] = []
  #queue: Promise<unknown> = Promise.resolve()
  #ready = false

  constructor(log: SchemaLog, options: ReplicaOptions = {}) {
    this.#log = log
    this.#timeoutMs = options.timeoutMs ?? 30_000
    this.#onRecordError = options.onRecordError
  }

  get ready(): boolean {
    return this.#ready
  }

  /** Reads the log to its end (resolves then) and keeps applying new records. */
  async start(): Promise<void> {
    await this.#log.subscribe((record) => this.#apply(record))
    await this.catchUp()
    this.#ready = true
  }

  #apply(record: LogRecord): void {
    let outcome: ApplyOutcome
    try {
      outcome = this.state.apply(record)
    } catch (error) {
      // A record we cannot understand must never stop the reader.
      this.#onRecordError?.(error, record)
      outcome = { status: 'ignored', reason: String(error) }
    }
    this.#outcomes.set(record.offset, outcome)
    if (this.#outcomes.size > REMEMBERED_OUTCOMES) {
      const oldest = this.#outcomes.keys().next().value
      if (oldest !== undefined) this.#outcomes.delete(oldest)
    }
    if (this.#waiters.length === 0) return
    const due = this.#waiters.filter((w) => w.offset <= record.offset)
    this.#waiters = this.#waiters.filter((w) => w.offset > record.offset)
    for (const w of due) w.resolve(this.#outcomes.get(w.offset))
  }

  /** Resolves once the record at `offset` (or a later one) has been applied, with its outcome when known. */
  waitApplied(offset: bigint): Promise<ApplyOutcome | undefined> {
    if (this.state.lastOffset >= offset) return Promise.resolve(this.#outcomes.get(offset))
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter)
        reject(errors.storeTimeout(`waiting for offset ${offset} of the schemas log`))
      }, this.#timeoutMs)
      timer.unref()
      const waiter: Waiter = {
        offset,
        resolve: (outcome) => {
          clearTimeout(timer)
          resolve(outcome)
        },
      }
      this.#waiters.push(waiter)
    })
  }

  /** Waits until every record written before now has been applied. */
  async catchUp(): Promise<void> {
    const end = await this.#storeCall('reading the end of the schemas log', () => this.#log.endOffset())
    if (end > 0n) await this.waitApplied(end - 1n)
  }

  /** Records in the log not applied here yet (0n when caught up). */
  async lag(): Promise<bigint> {
    const end = await this.#storeCall('reading the end of the schemas log', () => this.#log.endOffset())
    const behind = end - 1n - this.state.lastOffset
    return behind > 0n ? behind : 0n
  }

  /** Appends one record and waits until it is applied here; returns how the state took it. */
  async write(key: Buffer, value: Buffer | null): Promise<ApplyOutcome> {
    const { offset } = await this.#storeCall('writing to the schemas log', () => this.#log.append(key, value))
    return (await this.waitApplied(offset)) ?? { status: 'ignored', reason: 'record no longer in the log' }
  }

  /** Runs write operations one at a time (ids and versions are allocated from the state inside). */
  exclusive<T>(run: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(run, run)
    this.#queue = next.catch(() => undefined)
    return next
  }

  async #storeCall<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (error) {
      if (isRegistryError(error)) throw error
      throw errors.storeError(`Error while ${what}: ${(error as Error).message}`, error)
    }
  }
}
