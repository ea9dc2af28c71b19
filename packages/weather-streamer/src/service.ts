/**
 * Runs the streamer as a process would (used by main.ts and `isobar weather run`): encoder (registry or plain
 * JSON), sources, monitoring server, stop on SIGTERM/SIGINT or after the configured duration, then flush and
 * return the per-source summary.
 */
import type { Readable } from 'node:stream'
import {
  SchemaRegistryClient,
  startMonitoringServer,
  type KafkaClient,
  type KafkaConfig,
  type Logger,
  type Registry,
} from '@isobar/core'
import type { AlertEvent } from '@isobar/alerts'
import { latestSchema, TopicNames, valueSubject } from '@isobar/schemas'
import { buildWeatherStreamer, type SourceSummary } from './app.ts'
import type { WeatherStreamerConfig } from './config.ts'
import { plainJsonEncoder, registryEncoder } from './encoder.ts'
import { createSources } from './sources/index.ts'

export interface RunServiceOptions {
  config: WeatherStreamerConfig
  kafka: KafkaClient
  kafkaConfig: KafkaConfig
  metrics: Registry
  logger: Logger
  stdin?: Readable
  /** Called with the monitoring port once listening. */
  onListening?: (port: number) => void
  /** Signals that stop the service (default SIGTERM and SIGINT). */
  signals?: NodeJS.Signals[]
}

export async function runWeatherService(options: RunServiceOptions): Promise<SourceSummary[]> {
  const { config, logger } = options
  const registry = config.registryUrl
    ? await registryEncoder(new SchemaRegistryClient({ url: config.registryUrl }), {
        onRetry: (error, attempt, delayMs) =>
          logger.warn({ attempt, delayMs, err: error.message }, 'schema registry not ready; retrying'),
      })
    : undefined
  const encoder = registry ?? plainJsonEncoder()
  // Alerts go out like observations: in the registry wire format when there is a registry.
  let alertEncoder: ((event: AlertEvent) => Buffer) | undefined
  if (registry && config.alerts.enabled) {
    const serde = registry.serde
    const subject = valueSubject(config.alerts.topic)
    await serde.prepare(subject, latestSchema(TopicNames.WEATHER_ALERTS))
    alertEncoder = (event) => serde.serialize(subject, event)
  }
  const streamer = buildWeatherStreamer({
    kafka: options.kafka,
    encoder,
    ...(alertEncoder ? { alertEncoder } : {}),
    metrics: options.metrics,
    logger,
    config,
    sources: await createSources(config, options.stdin ? { stdin: options.stdin } : {}),
    batching: { ...options.kafkaConfig.batch, maxInFlight: options.kafkaConfig.maxInFlight },
  })
  const monitoring =
    config.metricsPort === undefined
      ? undefined
      : await startMonitoringServer({
          port: config.metricsPort,
          host: config.metricsHost,
          metrics: options.metrics,
          isReady: () => streamer.isReady(),
        })
  if (monitoring) options.onListening?.(monitoring.port)

  let stopRequested: () => void = () => undefined
  const stopSignal = new Promise<string>((resolve) => (stopRequested = () => resolve('signal')))
  const signals = options.signals ?? ['SIGTERM', 'SIGINT']
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'stopping: flushing every accepted record')
    stopRequested()
  }
  for (const s of signals) process.once(s, onSignal)
  let timer: NodeJS.Timeout | undefined
  try {
    await streamer.start()
    const waits: Array<Promise<unknown>> = [streamer.finished(), stopSignal]
    if (config.durationS > 0)
      waits.push(new Promise((resolve) => (timer = setTimeout(resolve, config.durationS * 1000))))
    await Promise.race(waits)
    return await streamer.stop()
  } finally {
    clearTimeout(timer)
    for (const s of signals) process.off(s, onSignal)
    await monitoring?.close()
  }
}
