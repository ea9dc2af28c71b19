import { InvalidTopologyError } from './errors.ts'
import { WindowStore, type WindowState } from './store.ts'
import { windowStartRange, type SessionWindows, type TimeWindows, type WindowSpec } from './windows.ts'

/** How records fold into a window's aggregate. `merge` is required for session windows (sessions can join). */
export interface Aggregation<V, A> {
  init(): A
  add(aggregate: A, value: V, timestamp: number): A
  merge?(a: A, b: A): A
}

/** One emitted window result. `value: null` retracts a session that merged into another (emit 'updates'). */
export interface WindowResult<A> {
  key: string
  start: number
  /** Exclusive end for time windows; the last record's timestamp for sessions. */
  end: number
  value: A | null
  final: boolean
}

export interface IdleClose {
  /** Wall-clock milliseconds without records after which windows close even though stream time stands still. */
  afterMs: number
  /** 'key': a silent key's windows close; 'partition': every window of a silent partition closes. */
  scope: 'key' | 'partition'
}

export interface WindowedAggregatorOptions<V, A> {
  windows: WindowSpec
  aggregation: Aggregation<V, A>
  /** 'final': one result per window when it closes; 'updates': a result on every change, none at close. */
  emit: 'final' | 'updates'
  idle?: IdleClose
  /** Bound on open windows; when full, the window that would close first is closed early (counted). */
  maxWindows?: number
  /**
   * What advances stream time: 'records' (default), the largest record timestamp seen; 'watermarks', only
   * `advanceTo` (an upstream stage's progress, see task.ts), for inputs whose partitions mix several upstream
   * partitions that progress unevenly.
   */
  eventTime?: 'records' | 'watermarks'
  store?: WindowStore<A>
}

export interface AggregatorStats {
  processed: number
  /** Records that arrived after at least one of their windows closed (those windows ignored them). */
  late: number
  closed: number
  /** Windows closed before their time because the store was full. */
  forcedCloses: number
  idleCloses: number
}

export interface ProcessResult<A> {
  results: WindowResult<A>[]
  late: boolean
}

/**
 * Event-time windowed aggregation of one task (partition). Stream time is the largest timestamp seen; a window
 * closes when stream time reaches its end + grace, or on wall clock after an idle period (`tick(now)`).
 * Pure: no I/O, the caller passes the wall clock.
 */
export class WindowedAggregator<V, A> {
  readonly store: WindowStore<A>
  readonly stats: AggregatorStats = { processed: 0, late: 0, closed: 0, forcedCloses: 0, idleCloses: 0 }
  readonly #options: WindowedAggregatorOptions<V, A>
  readonly #lastArrival = new Map<string, number>()
  #lastArrivalAny = Number.NEGATIVE_INFINITY
  #nextCloseAt = Number.NEGATIVE_INFINITY

  constructor(options: WindowedAggregatorOptions<V, A>) {
    if (options.windows.kind === 'session' && !options.aggregation.merge) {
      throw new InvalidTopologyError('Session windows need aggregation.merge')
    }
    this.#options = options
    this.store = options.store ?? new WindowStore<A>()
  }

  get streamTime(): number {
    return this.store.streamTime
  }

  process(key: string, timestamp: number, value: V, now: number): ProcessResult<A> {
    this.stats.processed++
    this.#lastArrival.set(key, now)
    this.#lastArrivalAny = now
    if (timestamp > this.store.streamTime && this.#options.eventTime !== 'watermarks') this.store.streamTime = timestamp
    const results: WindowResult<A>[] = []
    const spec = this.#options.windows
    const late =
      spec.kind === 'time'
        ? this.#addToTimeWindows(spec, key, timestamp, value, results)
        : this.#addToSession(spec, key, timestamp, value, results)
    if (late) this.stats.late++
    this.#closeDue(results)
    return { results, late }
  }

  /** Closes windows of keys (or the partition) silent for `idle.afterMs` of wall clock. */
  tick(now: number): WindowResult<A>[] {
    const idle = this.#options.idle
    const results: WindowResult<A>[] = []
    if (!idle) return results
    if (idle.scope === 'partition') {
      if (now - this.#lastArrivalAny >= idle.afterMs && this.store.size > 0) {
        for (const key of this.store.keys()) this.#closeKey(key, results)
      }
      return results
    }
    for (const [key, at] of this.#lastArrival) {
      if (now - at < idle.afterMs) continue
      this.#lastArrival.delete(key)
      this.#closeKey(key, results)
    }
    return results
  }

  /** Watermark mode: stream time moves to `time` (never back) and the windows it passes close. */
  advanceTo(time: number): WindowResult<A>[] {
    const results: WindowResult<A>[] = []
    if (time > this.store.streamTime) this.store.streamTime = time
    this.#closeDue(results)
    return results
  }

  /** Closes every open window now (an idle upstream: nothing more will arrive for a while). */
  flush(): WindowResult<A>[] {
    const results: WindowResult<A>[] = []
    for (const key of this.store.keys()) this.#closeKey(key, results)
    return results
  }

  /**
   * This task's progress for a downstream stage: no window result it emits from now on starts before `time`
   * (the earliest open window, or the earliest window a record that is not late could still open). `idle` when
   * nothing is open and no record arrived for the idle timeout: downstream should not wait for this partition.
   */
  progress(now: number): { time: number; idle: boolean } {
    const spec = this.#options.windows
    if (spec.kind !== 'time') throw new InvalidTopologyError('Progress is defined for time windows only')
    let time =
      this.store.streamTime === Number.NEGATIVE_INFINITY
        ? Number.NEGATIVE_INFINITY
        : this.store.streamTime - spec.sizeMs - spec.graceMs + 1
    for (const w of this.store.all()) if (w.start < time) time = w.start
    const idle = this.#options.idle
    return {
      time,
      idle: idle !== undefined && this.store.size === 0 && now - this.#lastArrivalAny >= idle.afterMs,
    }
  }

  #closeKey(key: string, results: WindowResult<A>[]): void {
    for (const w of this.store.windowsOf(key)) {
      this.stats.idleCloses++
      this.#close(w, results)
    }
  }

  #addToTimeWindows(spec: TimeWindows, key: string, ts: number, value: V, results: WindowResult<A>[]): boolean {
    let late = false
    const closedUntil = this.store.closedUntil(key)
    const aggregation = this.#options.aggregation
    // Oldest window first, without an array per record.
    const { first, last } = windowStartRange(spec, ts)
    for (let start = first; start <= last; start += spec.advanceMs) {
      const end = start + spec.sizeMs
      let state = this.store.get(key, start)
      if (!state) {
        if (end + spec.graceMs <= this.store.streamTime || end <= closedUntil) {
          late = true
          continue
        }
        this.#makeRoom(results)
        state = { key, start, end, value: aggregation.init() }
        this.store.put(state)
        this.#scheduleClose(end + spec.graceMs)
      } else {
        this.store.touch(state)
      }
      // In place: results already emitted hold the previous value object, not the window.
      state.value = aggregation.add(state.value, value, ts)
      if (this.#options.emit === 'updates') results.push({ key, start, end, value: state.value, final: false })
    }
    return late
  }

  #addToSession(spec: SessionWindows, key: string, ts: number, value: V, results: WindowResult<A>[]): boolean {
    const { gapMs, graceMs } = spec
    if (ts <= this.store.closedUntil(key)) return true
    const touching = this.store.windowsOf(key).filter((w) => ts >= w.start - gapMs && ts <= w.end + gapMs)
    if (touching.length === 0 && ts + gapMs + graceMs <= this.store.streamTime) return true
    const aggregation = this.#options.aggregation
    let start = ts
    let end = ts
    let merged: A | undefined
    touching.sort((a, b) => a.start - b.start)
    for (const w of touching) {
      start = Math.min(start, w.start)
      end = Math.max(end, w.end)
      merged = merged === undefined ? w.value : aggregation.merge!(merged, w.value)
      this.store.delete(w.key, w.start)
      if (this.#options.emit === 'updates') results.push({ key, start: w.start, end: w.end, value: null, final: false })
    }
    if (touching.length === 0) this.#makeRoom(results)
    const state: WindowState<A> = {
      key,
      start,
      end,
      value: aggregation.add(merged ?? aggregation.init(), value, ts),
    }
    this.store.put(state)
    this.#scheduleClose(end + gapMs + graceMs)
    if (this.#options.emit === 'updates') {
      // The update replaces the window with the same (key, start): its retraction is noise.
      const kept = results.filter((r) => !(r.value === null && r.key === key && r.start === start))
      results.length = 0
      results.push(...kept, { key, start, end, value: state.value, final: false })
    }
    return false
  }

  #closeTime(w: WindowState<A>): number {
    const spec = this.#options.windows
    return spec.kind === 'time' ? w.end + spec.graceMs : w.end + spec.gapMs + spec.graceMs
  }

  #scheduleClose(at: number): void {
    if (at < this.#nextCloseAt || this.#nextCloseAt === Number.NEGATIVE_INFINITY) this.#nextCloseAt = at
  }

  #closeDue(results: WindowResult<A>[]): void {
    const streamTime = this.store.streamTime
    if (this.#nextCloseAt === Number.NEGATIVE_INFINITY || streamTime < this.#nextCloseAt) return
    const due: WindowState<A>[] = []
    let next = Number.POSITIVE_INFINITY
    for (const w of this.store.all()) {
      const at = this.#closeTime(w)
      if (at <= streamTime) due.push(w)
      else if (at < next) next = at
    }
    due.sort((a, b) => a.end - b.end || a.start - b.start || (a.key < b.key ? -1 : 1))
    for (const w of due) this.#close(w, results)
    this.#nextCloseAt = next === Number.POSITIVE_INFINITY ? Number.NEGATIVE_INFINITY : next
    // Beyond this point the stream-time rule alone marks such records late.
    this.store.pruneClosedUntil(streamTime - this.#closedMargin())
  }

  /** How far past a key's closed-until boundary stream time must be to judge its records late on its own. */
  #closedMargin(): number {
    const spec = this.#options.windows
    return spec.kind === 'time' ? spec.graceMs : spec.gapMs + spec.graceMs
  }

  #close(w: WindowState<A>, results: WindowResult<A>[]): void {
    this.store.delete(w.key, w.start)
    this.stats.closed++
    const spec = this.#options.windows
    const boundary = spec.kind === 'time' ? w.end : w.end + spec.gapMs
    // Only what stream time does not cover yet (a window closed early, a session's gap): the entry goes to the
    // changelog, so a window closed by stream time costs no extra record.
    if (boundary + this.#closedMargin() > this.store.streamTime && boundary > this.store.closedUntil(w.key))
      this.store.setClosedUntil(w.key, boundary)
    if (this.#options.emit === 'final')
      results.push({ key: w.key, start: w.start, end: w.end, value: w.value, final: true })
    if (this.store.windowsOf(w.key).length === 0 && this.#options.idle?.scope !== 'key') this.#lastArrival.delete(w.key)
  }

  #makeRoom(results: WindowResult<A>[]): void {
    const max = this.#options.maxWindows
    if (max === undefined || this.store.size < max) return
    let first: WindowState<A> | undefined
    for (const w of this.store.all()) if (!first || this.#closeTime(w) < this.#closeTime(first)) first = w
    if (first) {
      this.stats.forcedCloses++
      this.#close(first, results)
    }
  }

  /** After a restore: recompute when the next window closes. */
  resync(now: number): void {
    this.#nextCloseAt = Number.NEGATIVE_INFINITY
    for (const w of this.store.all()) this.#scheduleClose(this.#closeTime(w))
    for (const key of this.store.keys()) this.#lastArrival.set(key, now)
    this.#lastArrivalAny = now
  }
}
