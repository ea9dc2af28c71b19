/**
 * Weather alerts on the shared engine (@isobar/alerts, the same one Sensor Analytics runs): every accepted
 * observation is evaluated per station in event time, a periodic tick catches silent stations, and each alert
 * event becomes a record keyed `<rule>+<stationId>` handed to `produce` (the streamer's publisher, so a
 * shutdown flushes alerts with the observations).
 */
import {
  AlertEngine,
  alertEventRecord,
  fieldAccessor,
  loadRulesFile,
  type AlertEvent,
  type AlertRule,
} from '@isobar/alerts'
import type { Logger, ProducerRecord } from '@isobar/core'
import type { WeatherMetrics } from './metrics.ts'
import type { WeatherObservation } from './observation.ts'

/** Runs `tick` every `intervalMs`; returns the function that stops it. Injectable so tests drive time. */
export type TickTimer = (tick: () => void, intervalMs: number) => () => void

export const intervalTimer: TickTimer = (tick, intervalMs) => {
  const handle = setInterval(tick, intervalMs)
  handle.unref()
  return () => clearInterval(handle)
}

export const DEFAULT_ALERT_TICK_MS = 1000

export interface WeatherAlertingOptions {
  rules: readonly AlertRule[]
  topic: string
  produce: (record: ProducerRecord) => void
  /** Alert event value bytes; default plain JSON. */
  encode?: (event: AlertEvent) => Buffer
  metrics: WeatherMetrics
  /** Clock of the engine (stale detection, raisedAtMs). Default Date.now. */
  clock?: () => number
  tickIntervalMs?: number
  timer?: TickTimer
  logger?: Logger
}

/** Reads and validates a rules file; a bad rule throws RuleConfigError naming the rule and field. */
export function loadWeatherAlertRules(path: string): Promise<AlertRule[]> {
  return loadRulesFile(path)
}

export class WeatherAlerting {
  readonly engine: AlertEngine<WeatherObservation>
  readonly #o: WeatherAlertingOptions
  #stopTimer: (() => void) | undefined

  constructor(options: WeatherAlertingOptions) {
    this.#o = options
    this.engine = new AlertEngine<WeatherObservation>({
      rules: options.rules,
      accessor: fieldAccessor<WeatherObservation>({ entity: 'stationId', time: 'eventTimeMs' }),
      clock: options.clock ?? Date.now,
    })
  }

  /** Evaluates one accepted observation and produces the events it caused. */
  observe(observation: WeatherObservation): AlertEvent[] {
    return this.#emit(this.engine.ingest(observation))
  }

  /** Clock-driven checks (silent stations); the timer calls it, tests may too. */
  tick(): AlertEvent[] {
    return this.#emit(this.engine.tick())
  }

  start(): void {
    this.#stopTimer ??= (this.#o.timer ?? intervalTimer)(() => {
      this.tick()
    }, this.#o.tickIntervalMs ?? DEFAULT_ALERT_TICK_MS)
  }

  /** Stops the tick; idempotent. */
  stop(): void {
    this.#stopTimer?.()
    this.#stopTimer = undefined
  }

  #emit(events: AlertEvent[]): AlertEvent[] {
    for (const event of events) {
      this.#o.metrics.alerts.inc({ rule: event.ruleId, status: event.change })
      this.#o.logger?.debug(
        { rule: event.ruleId, station: event.entityId, change: event.change, value: event.value },
        event.message,
      )
      let record: ProducerRecord
      try {
        record = alertEventRecord(this.#o.topic, event, this.#o.encode)
      } catch (error) {
        // A value its schema refuses is logged and skipped; the engine's state stays right.
        this.#o.logger?.error({ err: error, rule: event.ruleId, station: event.entityId }, 'alert event not encodable')
        continue
      }
      this.#o.produce(record)
    }
    return events
  }
}
