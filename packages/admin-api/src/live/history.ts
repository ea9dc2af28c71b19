/**
 * The bounded in-memory view a new client starts from: per conflation key, the recent events (a sensor's last
 * hour of windows, a station's recent observations) or only the latest one (alerts, lag). Caps: points per key,
 * age, and keys in all (the least recently updated key goes first), so memory is bounded whatever the traffic.
 */
import { isNarrow, matches } from './filter.ts'
import type { LiveEvent, LiveEventType, LiveFilter } from './types.ts'

export interface HistoryOptions {
  /** Events kept per key for series types (aggregates, observations). Default 60. */
  pointsPerKey?: number
  /** Oldest event kept (by the time the hub received it). Default 1 hour. */
  maxAgeMs?: number
  /** Keys kept in all. Default 10,000. */
  maxKeys?: number
  now?: () => number
}

interface Entry {
  type: LiveEventType
  /** Series position: events with the same position replace each other (an updated window). */
  points: Array<{ event: LiveEvent; position: number; atMs: number }>
}

const SERIES: ReadonlySet<LiveEventType> = new Set(['aggregate', 'observation'])

export class HistoryView {
  readonly #pointsPerKey: number
  readonly #maxAgeMs: number
  readonly #maxKeys: number
  readonly #now: () => number
  /** Map order = least recently updated first. */
  readonly #entries = new Map<string, Entry>()

  constructor(options: HistoryOptions = {}) {
    this.#pointsPerKey = options.pointsPerKey ?? 60
    this.#maxAgeMs = options.maxAgeMs ?? 3_600_000
    this.#maxKeys = options.maxKeys ?? 10_000
    this.#now = options.now ?? Date.now
  }

  get keys(): number {
    return this.#entries.size
  }

  get points(): number {
    let n = 0
    for (const entry of this.#entries.values()) n += entry.points.length
    return n
  }

  /** Records an event; `position` orders a series (window start, observation time), default the sequence. */
  add(event: LiveEvent, position: number = event.seq): void {
    const atMs = this.#now()
    let entry = this.#entries.get(event.key)
    if (entry) this.#entries.delete(event.key)
    else entry = { type: event.type, points: [] }
    this.#entries.set(event.key, entry)
    const points = entry.points
    if (!SERIES.has(event.type)) {
      points.length = 0
      points.push({ event, position, atMs })
    } else {
      const last = points.at(-1)
      if (last && last.position === position) points[points.length - 1] = { event, position, atMs }
      else if (last && last.position > position) this.#insertOlder(points, { event, position, atMs })
      else points.push({ event, position, atMs })
      if (points.length > this.#pointsPerKey) points.splice(0, points.length - this.#pointsPerKey)
    }
    const cutoff = atMs - this.#maxAgeMs
    while (points.length > 1 && points[0]!.atMs < cutoff) points.shift()
    while (this.#entries.size > this.#maxKeys) {
      const oldest = this.#entries.keys().next().value
      if (oldest === undefined) break
      this.#entries.delete(oldest)
    }
  }

  /**
   * What a new client with this filter gets: for a narrow filter (a few sensors, one zone) every kept point of
   * the matching keys, else only the latest event per key; observations always as series (sparklines). Oldest first.
   */
  snapshot(filter: LiveFilter): LiveEvent[] {
    const narrow = isNarrow(filter)
    const cutoff = this.#now() - this.#maxAgeMs
    const out: LiveEvent[] = []
    for (const entry of this.#entries.values()) {
      const latest = entry.points.at(-1)
      if (!latest || !matches(filter, latest.event)) continue
      if (narrow || entry.type === 'observation') {
        for (const p of entry.points) if (p.atMs >= cutoff || p === latest) out.push(p.event)
      } else {
        out.push(latest.event)
      }
    }
    return out.sort((a, b) => a.seq - b.seq)
  }

  #insertOlder(points: Entry['points'], point: Entry['points'][number]): void {
    const index = points.findIndex((p) => p.position >= point.position)
    if (index >= 0 && points[index]!.position === point.position) points[index] = point
    else points.splice(index < 0 ? points.length : index, 0, point)
  }
}
