/**
 * buildWeatherStreamer: wires sources → publisher → Kafka, without ports or process state, so tests drive it
 * directly. `start()` ensures topics and runs every source; `stop()` aborts the sources, flushes everything
 * (dead letters included) and closes the producer: a SIGTERM loses nothing that was accepted. A delivery that
 * fails for good (after the client's retries) stops the sources: see publisher.ts.
 */
import type { AlertEvent, AlertRule, AlertStatus } from '@isobar/alerts'
import { BatchingProducer, type KafkaClient, type Logger, type Producer, type Registry } from '@isobar/core'
import { WeatherAlerting, loadWeatherAlertRules, type TickTimer } from './alerts.ts'
import type { WeatherStreamerConfig } from './config.ts'
import type { ObservationEncoder } from './encoder.ts'
import { WeatherMetrics } from './metrics.ts'
import type { SourceName } from './observation.ts'
import { ObservationPublisher, type SourceStats } from './publisher.ts'
import type { WeatherSource } from './sources/source.ts'
import { ensureTopics } from './topics.ts'

export interface WeatherStreamerDeps {
  kafka: KafkaClient
  encoder: ObservationEncoder
  metrics: Registry
  logger: Logger
  config: WeatherStreamerConfig
  sources: WeatherSource[]
  /** Batching of the observations producer (from the Kafka config). */
  batching: { maxRecords: number; maxBytes: number; lingerMs: number; maxInFlight: number }
  now?: () => number
  /** Alert rules to use instead of reading config.alerts.rulesFile (when alerts are enabled). */
  alertRules?: readonly AlertRule[]
  /** Alert event value bytes (the registry wire format when a registry is configured); default plain JSON. */
  alertEncoder?: (event: AlertEvent) => Buffer
  /** Alert tick interval (stale stations; default 1 s) and timer (tests inject a fake one). */
  alertTickMs?: number
  alertTimer?: TickTimer
}

export interface SourceSummary extends SourceStats {
  source: SourceName
  /** 'running', 'done' (input exhausted), 'stopped' or 'failed'. */
  state: 'running' | 'done' | 'stopped' | 'failed'
  error?: string
}

export interface WeatherStreamer {
  /** Creates missing topics and starts every source; resolves once they run. */
  start(): Promise<void>
  /** Resolves when every source has ended (input exhausted, failed, or stopped). */
  finished(): Promise<void>
  /** Stops the sources, flushes all records and closes the producer. Idempotent. */
  stop(): Promise<SourceSummary[]>
  summary(): SourceSummary[]
  /** True between a successful start() and stop(). */
  isReady(): boolean
  /** Open alerts (pending and firing) of the alert engine; empty when alerts are disabled. */
  alerts(): AlertStatus[]
  /** Delivery statistics of the alert events. */
  alertsProduced(): SourceStats
}

/** Observes the size of every produce request the batching producer makes. */
function measuredProducer(producer: Producer, metrics: WeatherMetrics): Producer {
  return {
    send(records) {
      metrics.batchSize.observe(records.length)
      return producer.send(records)
    },
    close: () => producer.close(),
  }
}

export function buildWeatherStreamer(deps: WeatherStreamerDeps): WeatherStreamer {
  const now = deps.now ?? Date.now
  const metrics = new WeatherMetrics(deps.metrics)
  const abort = new AbortController()
  const states = new Map<SourceName, { state: SourceSummary['state']; error?: string }>()
  let producer: Producer | undefined
  let publisher: ObservationPublisher | undefined
  let alerting: WeatherAlerting | undefined
  let runs: Promise<void> | undefined
  let stopping: Promise<SourceSummary[]> | undefined
  let ready = false

  function summary(): SourceSummary[] {
    return deps.sources.map((s) => ({
      source: s.name,
      ...(states.get(s.name) ?? { state: 'running' as const }),
      ...(publisher?.stats(s.name) ?? { produced: 0, delivered: 0, failed: 0, retried: 0, deadLettered: 0 }),
    }))
  }

  async function runSource(source: WeatherSource, sink: ObservationPublisher): Promise<void> {
    const logger = deps.logger.child({ source: source.name })
    states.set(source.name, { state: 'running' })
    try {
      await source.run({
        signal: abort.signal,
        now,
        logger,
        async emit(observation) {
          if (!sink.publish(source.name, observation)) await sink.ready()
        },
        async reject(raw, reasons, key) {
          logger.debug({ reasons }, 'record refused, sent to the dead-letter topic')
          if (!sink.reject(source.name, raw, reasons, key)) await sink.ready()
        },
      })
      const fatal = publisher?.fatalError
      if (fatal) states.set(source.name, { state: 'failed', error: `delivery failed: ${fatal.message}` })
      else states.set(source.name, { state: abort.signal.aborted ? 'stopped' : 'done' })
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      logger.error({ err: error }, 'source failed')
      states.set(source.name, { state: 'failed', error: message })
    }
  }

  return {
    async start() {
      const alertsConfig = deps.config.alerts
      // Rules are validated before anything runs: a bad rule refuses the start, naming the rule.
      const rules = alertsConfig.enabled
        ? (deps.alertRules ?? (await loadWeatherAlertRules(alertsConfig.rulesFile)))
        : undefined
      const admin = deps.kafka.admin()
      try {
        await ensureTopics(admin, { ...deps.config.topics, ...(rules ? { alerts: alertsConfig.topic } : {}) })
      } finally {
        await admin.close()
      }
      producer = deps.kafka.producer({ idempotent: true })
      publisher = new ObservationPublisher({
        producer: new BatchingProducer(measuredProducer(producer, metrics), deps.batching),
        encoder: deps.encoder,
        metrics,
        topic: deps.config.topics.observations,
        deadLetterTopic: deps.config.topics.deadLetter,
        now,
        logger: deps.logger,
        onAccepted: (_source, observation) => alerting?.observe(observation),
        // A final delivery failure stops every source: the service flushes, reports the failure and exits 1.
        onFatal: () => abort.abort(),
      })
      const sink = publisher
      if (rules) {
        alerting = new WeatherAlerting({
          rules,
          topic: alertsConfig.topic,
          produce: (record) => sink.publishAlert(record),
          ...(deps.alertEncoder ? { encode: deps.alertEncoder } : {}),
          metrics,
          clock: now,
          logger: deps.logger.child({ component: 'alerts' }),
          ...(deps.alertTickMs === undefined ? {} : { tickIntervalMs: deps.alertTickMs }),
          ...(deps.alertTimer ? { timer: deps.alertTimer } : {}),
        })
        alerting.start()
      }
      runs = Promise.all(deps.sources.map((s) => runSource(s, sink))).then(() => undefined)
      ready = true
      deps.logger.info(
        {
          sources: deps.sources.map((s) => s.name),
          encoding: deps.encoder.format,
          alertRules: rules?.map((r) => r.id) ?? [],
        },
        'weather streamer started',
      )
    },
    finished() {
      return runs ?? Promise.resolve()
    },
    stop() {
      stopping ??= (async () => {
        ready = false
        abort.abort()
        await runs
        alerting?.stop()
        await publisher?.flush()
        await producer?.close()
        const result = summary()
        deps.logger.info({ summary: result }, 'weather streamer stopped')
        return result
      })()
      return stopping
    },
    summary,
    isReady: () => ready,
    alerts: () => alerting?.engine.alerts() ?? [],
    alertsProduced: () =>
      publisher?.stats('alerts') ?? { produced: 0, delivered: 0, failed: 0, retried: 0, deadLettered: 0 },
  }
}
