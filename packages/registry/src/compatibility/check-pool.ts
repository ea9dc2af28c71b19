/**
 * Runs compatibility checks off the event loop: a bounded pool of worker threads with a bounded queue. A full
 * queue is refused at once (429/42901, retriable) instead of piling up work; a check that overruns its work
 * budget is a 422/42201 naming the limit. As a last line of defence (e.g. a pathological regular expression),
 * a worker busy longer than `taskTimeoutMs` is terminated and replaced, and its request answered 422.
 */
import { Worker } from 'node:worker_threads'
import { RegistryError, RegistryErrorCodes, errors } from '../errors.ts'
import { runCheckTask, type CheckOutcome, type CheckTask } from './check-task.ts'
import type { CompatibilityResult } from './levels.ts'

export interface CompatibilityChecker {
  check(task: CheckTask): Promise<CompatibilityResult>
  close(): Promise<void>
}

export interface CheckPoolOptions {
  /** Worker threads. Default 1. */
  size?: number
  /** Checks waiting for a worker before new ones are refused with 429. Default 16. */
  maxQueue?: number
  /** A worker busy longer than this is terminated; the check answers 422. Default 30 s. */
  taskTimeoutMs?: number
}

/** Turns a task outcome into the answer or the catalogue error. */
export function settle(outcome: CheckOutcome): CompatibilityResult {
  if ('ok' in outcome) return outcome.ok
  const { kind, message, schemaType } = outcome.error
  if (kind === 'limit') return throwing(errors.invalidSchema(message))
  if (kind === 'unsupported') {
    return throwing(
      errors.notPermitted(
        `Compatibility checking of ${schemaType ?? 'these'} schemas is not implemented by this registry; ` +
          'set the compatibility level of the subject to NONE to register new versions',
      ),
    )
  }
  return throwing(new RegistryError(RegistryErrorCodes.INTERNAL, `Compatibility check failed: ${message}`))
}

function throwing(error: Error): never {
  throw error
}

/** Runs checks on the calling thread (tests, tools). Bounded by the same work budget. */
export class InlineChecker implements CompatibilityChecker {
  check(task: CheckTask): Promise<CompatibilityResult> {
    try {
      return Promise.resolve(settle(runCheckTask(task)))
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)))
    }
  }

  close(): Promise<void> {
    return Promise.resolve()
  }
}

interface Job {
  id: number
  task: CheckTask
  resolve: (result: CompatibilityResult) => void
  reject: (error: Error) => void
}

interface Slot {
  worker: Worker
  job?: Job
  timer?: NodeJS.Timeout
}

const WORKER_URL = new URL('./check-worker.ts', import.meta.url)

export class CheckPool implements CompatibilityChecker {
  readonly size: number
  readonly maxQueue: number
  readonly taskTimeoutMs: number
  readonly #slots: Slot[] = []
  readonly #queue: Job[] = []
  #nextId = 1
  #closed = false
  /** Checks refused because the queue was full, completed, and workers replaced (for /metrics and tests). */
  readonly counters = { refused: 0, completed: 0, replaced: 0 }

  constructor(options: CheckPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? 1)
    this.maxQueue = Math.max(0, options.maxQueue ?? 16)
    this.taskTimeoutMs = options.taskTimeoutMs ?? 30_000
  }

  /** Checks running now. */
  get running(): number {
    return this.#slots.filter((s) => s.job !== undefined).length
  }

  /** Checks waiting for a worker. */
  get queued(): number {
    return this.#queue.length
  }

  check(task: CheckTask): Promise<CompatibilityResult> {
    if (this.#closed) return Promise.reject(new RegistryError(RegistryErrorCodes.INTERNAL, 'Registry is closing'))
    return new Promise<CompatibilityResult>((resolve, reject) => {
      const job: Job = { id: this.#nextId++, task, resolve, reject }
      const slot = this.#idleSlot()
      if (slot) {
        this.#start(slot, job)
        return
      }
      if (this.#queue.length >= this.maxQueue) {
        this.counters.refused++
        reject(
          new RegistryError(
            RegistryErrorCodes.TOO_MANY_CHECKS,
            `Too many compatibility checks in progress (${this.running} running, ${this.#queue.length} queued); retry shortly`,
          ),
        )
        return
      }
      this.#queue.push(job)
    })
  }

  async close(): Promise<void> {
    this.#closed = true
    for (const job of this.#queue.splice(0)) {
      job.reject(new RegistryError(RegistryErrorCodes.INTERNAL, 'Registry is closing'))
    }
    await Promise.all(this.#slots.splice(0).map((slot) => this.#retire(slot, 'Registry is closing')))
  }

  #idleSlot(): Slot | undefined {
    const idle = this.#slots.find((s) => s.job === undefined)
    if (idle) return idle
    if (this.#slots.length >= this.size) return undefined
    const slot = this.#spawn()
    this.#slots.push(slot)
    return slot
  }

  #spawn(): Slot {
    const worker = new Worker(WORKER_URL)
    worker.unref()
    const slot: Slot = { worker }
    worker.on('message', (message: { id: number; outcome: CheckOutcome }) => {
      const job = slot.job
      if (!job || job.id !== message.id) return
      this.#finish(slot)
      this.counters.completed++
      try {
        job.resolve(settle(message.outcome))
      } catch (error) {
        job.reject(error as Error)
      }
    })
    worker.on('error', (error: Error) => {
      const job = slot.job
      this.#replace(slot)
      job?.reject(new RegistryError(RegistryErrorCodes.INTERNAL, `Compatibility check failed: ${error.message}`))
    })
    return slot
  }

  #start(slot: Slot, job: Job): void {
    slot.job = job
    slot.timer = setTimeout(() => {
      this.#replace(slot)
      job.reject(
        errors.invalidSchema(
          `Schema too complex to check: the compatibility check ran longer than ${this.taskTimeoutMs} ms`,
        ),
      )
    }, this.taskTimeoutMs)
    slot.timer.unref()
    // Keep the process alive while a check is in flight; an idle pool never holds it open.
    slot.worker.ref()
    slot.worker.postMessage({ id: job.id, task: job.task })
  }

  #finish(slot: Slot): void {
    clearTimeout(slot.timer)
    slot.job = undefined
    slot.timer = undefined
    slot.worker.unref()
    const next = this.#queue.shift()
    if (next) this.#start(slot, next)
  }

  /** Terminates a stuck or failed worker and hands its queue position to a fresh one. */
  #replace(slot: Slot): void {
    const index = this.#slots.indexOf(slot)
    if (index !== -1) this.#slots.splice(index, 1)
    this.counters.replaced++
    void this.#retire(slot)
    const next = this.#queue.shift()
    if (next && !this.#closed) {
      const fresh = this.#idleSlot()
      if (fresh) this.#start(fresh, next)
      else this.#queue.unshift(next)
    }
  }

  async #retire(slot: Slot, reason?: string): Promise<void> {
    clearTimeout(slot.timer)
    const job = slot.job
    slot.job = undefined
    slot.worker.removeAllListeners('message')
    if (reason && job) job.reject(new RegistryError(RegistryErrorCodes.INTERNAL, reason))
    await slot.worker.terminate().catch(() => undefined)
  }
}
