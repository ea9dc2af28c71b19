import { setTimeout as sleepTimer } from 'node:timers/promises'
import type { Logger } from '@isobar/core'
import type { RejectReason, SourceName, WeatherObservation } from '../observation.ts'

/** What a running source may do: emit observations (awaiting back-pressure) or reject raw input to the DLQ. */
export interface SourceContext {
  /** Resolves once the producer can take more (bounded in-flight). */
  emit(observation: WeatherObservation): Promise<void>
  reject(raw: unknown, reasons: RejectReason[], key?: string): Promise<void>
  readonly signal: AbortSignal
  now(): number
  readonly logger: Logger
}

/** A pluggable producer of observations; `run` returns when the input is exhausted or the signal aborts. */
export interface WeatherSource {
  readonly name: SourceName
  run(ctx: SourceContext): Promise<void>
}

/** Sleeps unless aborted; returns false when the signal fired (the caller stops). */
export async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false
  if (ms <= 0) return true
  try {
    await sleepTimer(ms, undefined, { signal })
    return true
  } catch {
    return false
  }
}

/** Paces records at `ratePerSecond` of wall time (0 = unpaced), without drifting over long runs. */
export class Pacer {
  readonly #intervalMs: number
  readonly #now: () => number
  #start: number | undefined
  #count = 0

  constructor(ratePerSecond: number, now: () => number = Date.now) {
    this.#intervalMs = ratePerSecond > 0 ? 1000 / ratePerSecond : 0
    this.#now = now
  }

  async next(signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return false
    if (this.#intervalMs === 0) return true
    this.#start ??= this.#now()
    const due = this.#start + this.#count++ * this.#intervalMs
    return sleep(due - this.#now(), signal)
  }
}
