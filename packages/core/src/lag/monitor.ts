/**
 * LagMonitor: polls `admin.groupLag` and `admin.describeGroup` for a fixed list of consumer groups, keeps a sliding
 * window of samples per partition and judges each partition with the Burrow-style rules of ./status.ts.
 *
 *   const monitor = new LagMonitor({ admin, groups: ['sensor-analytics'], logger })
 *   registerLagMetrics(registry, monitor) // once per registry
 *   monitor.start()                       // samples now, then every intervalMs
 *   ...
 *   await monitor.stop()                  // clears the timer, waits for a sample under way
 *
 * `snapshot()` returns the latest judgement of every group. A failing sample (broker down, unknown group) is logged
 * and counted (`failures`) and leaves the previous window in place; it never throws out of the timer.
 * The admin stays the caller's: the monitor never closes it.
 */
import type { Logger } from 'pino'
import type { Admin, PartitionLag } from '../kafka/types.ts'
import { GroupNotFoundError } from '../errors.ts'
import { evaluatePartition, lagSampleOf, worstStatus, type LagSample, type LagStatus } from './status.ts'

export interface LagMonitorTimers {
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface LagMonitorOptions {
  admin: Pick<Admin, 'groupLag' | 'describeGroup'>
  groups: readonly string[]
  /** Samples kept per partition. Default 10. */
  windowSize?: number
  /** Time between the end of one sampling round and the start of the next. Default 5000 ms. */
  intervalMs?: number
  /** Default Date.now. */
  now?: () => number
  /** Default the global setTimeout/clearTimeout. */
  timers?: LagMonitorTimers
  logger?: Logger
}

export interface PartitionLagStatus {
  topic: string
  partition: number
  committedOffset: bigint | null
  latestOffset: bigint
  lag: bigint | null
  lagSeconds: number | null
  status: LagStatus
  reason: string
}

export interface GroupLagStatus {
  group: string
  /** Worst partition status. */
  status: LagStatus
  /** Members at the latest successful sample. */
  activeMembers: number
  /** Time of the latest successful sample, null before the first. */
  sampledAtMs: number | null
  /** Failed samples of this group since the monitor was created. */
  failures: number
  /** Message of the latest failure when the latest sample failed, else null. */
  lastError: string | null
  partitions: PartitionLagStatus[]
}

interface PartitionState {
  latest: PartitionLag
  window: LagSample[]
}

interface GroupState {
  partitions: Map<string, PartitionState>
  activeMembers: number
  sampledAtMs: number | null
  failures: number
  lastError: string | null
}

const defaultTimers: LagMonitorTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

export class LagMonitor {
  readonly groups: readonly string[]
  readonly windowSize: number
  readonly intervalMs: number
  readonly #admin: LagMonitorOptions['admin']
  readonly #now: () => number
  readonly #timers: LagMonitorTimers
  readonly #logger: Logger | undefined
  readonly #state = new Map<string, GroupState>()
  #timer: unknown = undefined
  #running = false
  #round: Promise<void> | undefined

  constructor(options: LagMonitorOptions) {
    this.groups = [...new Set(options.groups)]
    this.windowSize = options.windowSize ?? 10
    this.intervalMs = options.intervalMs ?? 5000
    if (!Number.isInteger(this.windowSize) || this.windowSize < 1) throw new RangeError('windowSize must be >= 1')
    if (!Number.isFinite(this.intervalMs) || this.intervalMs < 0) throw new RangeError('intervalMs must be >= 0')
    this.#admin = options.admin
    this.#now = options.now ?? Date.now
    this.#timers = options.timers ?? defaultTimers
    this.#logger = options.logger
    for (const group of this.groups) {
      this.#state.set(group, {
        partitions: new Map(),
        activeMembers: 0,
        sampledAtMs: null,
        failures: 0,
        lastError: null,
      })
    }
  }

  /** Failed group samples since creation, all groups together. */
  get failures(): number {
    let total = 0
    for (const state of this.#state.values()) total += state.failures
    return total
  }

  /** Samples every group now, then again `intervalMs` after each round ends. Idempotent. */
  start(): void {
    if (this.#running) return
    this.#running = true
    this.#tick()
  }

  /** Clears the timer and waits for a round under way; no handle stays open. */
  async stop(): Promise<void> {
    this.#running = false
    if (this.#timer !== undefined) this.#timers.clearTimeout(this.#timer)
    this.#timer = undefined
    await this.#round
  }

  /** One sampling round over every group (what the timer runs); never rejects. */
  async sampleOnce(): Promise<void> {
    await Promise.all(this.groups.map((group) => this.#sampleGroup(group)))
  }

  snapshot(): GroupLagStatus[] {
    return this.groups.map((group) => {
      const state = this.#state.get(group) as GroupState
      const context = { activeMembers: state.activeMembers }
      const partitions = [...state.partitions.values()].map(({ latest, window }) => ({
        topic: latest.topic,
        partition: latest.partition,
        committedOffset: latest.committedOffset,
        latestOffset: latest.latestOffset,
        lag: latest.lag,
        lagSeconds: latest.lagSeconds,
        ...evaluatePartition(window, context),
      }))
      return {
        group,
        status: worstStatus(partitions.map((p) => p.status)),
        activeMembers: state.activeMembers,
        sampledAtMs: state.sampledAtMs,
        failures: state.failures,
        lastError: state.lastError,
        partitions,
      }
    })
  }

  #tick(): void {
    this.#timer = undefined
    this.#round = this.sampleOnce().then(() => {
      if (this.#running) this.#timer = this.#timers.setTimeout(() => this.#tick(), this.intervalMs)
    })
  }

  async #sampleGroup(group: string): Promise<void> {
    const state = this.#state.get(group) as GroupState
    try {
      const [rows, description] = await Promise.all([this.#admin.groupLag(group), this.#admin.describeGroup(group)])
      const timeMs = this.#now()
      const seen = new Map<string, PartitionState>()
      const ordered = [...rows].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
      for (const row of ordered) {
        const key = `${row.topic}\u0000${row.partition}`
        const window = state.partitions.get(key)?.window ?? []
        window.push(lagSampleOf(row, timeMs))
        if (window.length > this.windowSize) window.splice(0, window.length - this.windowSize)
        seen.set(key, { latest: row, window })
      }
      // Partitions the group no longer commits on or owns drop out (and so do their metric series), except when
      // every member left: a group that never committed then has no rows at all, and dropping its partitions would
      // turn a stuck group (e.g. one restarting on a poison record) into "OK, no partitions". They are kept, so
      // they are judged without members (STOP) until members or commits come back.
      if (seen.size > 0 || description.members.length > 0) state.partitions = seen
      state.activeMembers = description.members.length
      state.sampledAtMs = timeMs
      state.lastError = null
    } catch (error) {
      state.failures++
      state.lastError = error instanceof Error ? error.message : String(error)
      // A group that does not exist yet (its consumers are still joining) is normal at start-up, not a problem.
      if (error instanceof GroupNotFoundError) this.#logger?.debug({ group }, 'consumer group not created yet')
      else this.#logger?.warn({ group, err: error }, 'consumer lag sample failed')
    }
  }
}
