/**
 * The browser side of /api/live: one EventSource, the newest state per sensor, zone, alert, station and
 * group, and per-sensor window series when the stream is narrowed to sensors. The browser reconnects by itself
 * and sends Last-Event-ID, so the server resumes where it stopped. Views re-render at most once per frame.
 */
import type { Aggregate, AlertEvent, LagRow, Observation } from './types.ts'

export interface SensorState {
  sensorId: string
  zone: string | undefined
  site: string | undefined
  field: string
  last1m?: Aggregate
  last5m?: Aggregate
  lastSeenMs: number
}

function parse<T>(event: Event): T {
  return JSON.parse((event as MessageEvent<string>).data) as T
}

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'closed'

const SERIES_CAP = 10_000
const OBS_CAP = 120
const LATENCY_CAP = 2000

export class LiveStore {
  readonly sensors = new Map<string, SensorState>()
  readonly zones = new Map<string, Map<string, Aggregate>>()
  /** `${sensorId}|${field}|${windowKind}` → windows by start, oldest first. */
  readonly series = new Map<string, Aggregate[]>()
  readonly alerts = new Map<string, AlertEvent>()
  readonly weatherAlerts = new Map<string, AlertEvent>()
  readonly stations = new Map<string, Observation[]>()
  readonly lag = new Map<string, LagRow>()
  /** ms from an aggregate's record timestamp to its arrival here (for the status bar and the benchmark). */
  readonly latencies: number[] = []
  status: StreamStatus = 'connecting'
  version = 0
  readonly #url: string
  readonly #keepSeries: boolean
  #source: EventSource | undefined
  #listeners = new Set<() => void>()
  #scheduled = false

  constructor(query: Record<string, string> = {}, keepSeries = false) {
    const params = new URLSearchParams(query).toString()
    this.#url = `/api/live${params ? `?${params}` : ''}`
    this.#keepSeries = keepSeries
  }

  start(): void {
    if (this.#source) return
    const source = new EventSource(this.#url, { withCredentials: true })
    this.#source = source
    source.addEventListener('open', () => this.#setStatus('live'))
    source.addEventListener('error', () => this.#setStatus(source.readyState === 2 ? 'closed' : 'reconnecting'))
    source.addEventListener('ready', () => this.#setStatus('live'))
    source.addEventListener('aggregate', (e) => this.#aggregate(parse<Aggregate>(e)))
    source.addEventListener('alert', (e) => this.#alert(this.alerts, parse<AlertEvent>(e)))
    source.addEventListener('weather-alert', (e) => this.#alert(this.weatherAlerts, parse<AlertEvent>(e)))
    source.addEventListener('observation', (e) => this.#observation(parse<Observation>(e)))
    source.addEventListener('lag', (e) => {
      const row = parse<LagRow>(e)
      this.lag.set(row.groupId, row)
      this.#changed()
    })
  }

  stop(): void {
    this.#source?.close()
    this.#source = undefined
    this.#listeners.clear()
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  sensorAlerts(sensorId: string): AlertEvent[] {
    return [...this.alerts.values()].filter((a) => a.entityId === sensorId)
  }

  #setStatus(status: StreamStatus): void {
    this.status = status
    this.#changed()
  }

  #changed(): void {
    this.version++
    if (this.#scheduled) return
    this.#scheduled = true
    requestAnimationFrame(() => {
      this.#scheduled = false
      for (const l of this.#listeners) l()
    })
  }

  #aggregate(a: Aggregate): void {
    const size = a.windowSizeMs ?? a.windowEndMs - a.windowStartMs
    if (a.ts) {
      this.latencies.push(Date.now() - a.ts)
      if (this.latencies.length > LATENCY_CAP) this.latencies.splice(0, this.latencies.length - LATENCY_CAP)
    }
    if (a.scope === 'zone' || a.sensorId.startsWith('zone:')) {
      const zone = a.zoneId ?? a.sensorId.slice(5)
      let fields = this.zones.get(zone)
      if (!fields) this.zones.set(zone, (fields = new Map<string, Aggregate>()))
      const current = fields.get(`${a.field}|${size}`)
      if (!current || current.windowStartMs <= a.windowStartMs) fields.set(`${a.field}|${size}`, a)
    } else {
      let s = this.sensors.get(a.sensorId)
      if (!s) {
        s = {
          sensorId: a.sensorId,
          zone: a.zoneId,
          site: a.zoneId?.split('.')[0],
          field: a.field,
          lastSeenMs: 0,
        }
        this.sensors.set(a.sensorId, s)
      }
      // The sensor's main quantity is the first one seen; tumbling = the 1-minute panes, hopping = 5 minutes.
      if (a.field === s.field) {
        const slot = a.windowKind === 'hopping' ? 'last5m' : 'last1m'
        const current = s[slot]
        if (!current || current.windowStartMs <= a.windowStartMs) s[slot] = a
      }
      s.lastSeenMs = Math.max(s.lastSeenMs, a.windowEndMs)
    }
    if (this.#keepSeries) {
      const key = `${a.sensorId}|${a.field}|${a.windowKind}`
      let list = this.series.get(key)
      if (!list) this.series.set(key, (list = []))
      const last = list.at(-1)
      if (!last || last.windowStartMs < a.windowStartMs) list.push(a)
      else {
        const i = list.findIndex((x) => x.windowStartMs >= a.windowStartMs)
        if (list[i]?.windowStartMs === a.windowStartMs) list[i] = a
        else list.splice(i, 0, a)
      }
      if (list.length > SERIES_CAP) list.splice(0, list.length - SERIES_CAP)
    }
    this.#changed()
  }

  #alert(map: Map<string, AlertEvent>, a: AlertEvent): void {
    const key = `${a.ruleId}+${a.entityId}`
    const current = map.get(key)
    if (!current || current.raisedAtMs <= a.raisedAtMs) map.set(key, a)
    this.#changed()
  }

  #observation(o: Observation): void {
    let list = this.stations.get(o.stationId)
    if (!list) this.stations.set(o.stationId, (list = []))
    const last = list.at(-1)
    if (last && last.eventTimeMs === o.eventTimeMs) list[list.length - 1] = o
    else if (!last || last.eventTimeMs < o.eventTimeMs) list.push(o)
    else {
      list.push(o)
      list.sort((x, y) => x.eventTimeMs - y.eventTimeMs)
    }
    if (list.length > OBS_CAP) list.splice(0, list.length - OBS_CAP)
    this.#changed()
  }
}

export type Health = 'ok' | 'stale' | 'alerting'

export function firingEntities(store: LiveStore): Set<string> {
  const out = new Set<string>()
  for (const a of store.alerts.values()) if (a.state === 'firing') out.add(a.entityId)
  return out
}

/** Alerting = a firing alert on the sensor; stale = no window ended within `staleMs`; else OK. */
export function healthOf(s: SensorState, firing: ReadonlySet<string>, now: number, staleMs = 180_000): Health {
  if (firing.has(s.sensorId)) return 'alerting'
  return now - s.lastSeenMs > staleMs ? 'stale' : 'ok'
}

export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}
