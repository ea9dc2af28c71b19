/**
 * The Weather Streamer service process. Environment (read only here):
 *   KAFKA_BOOTSTRAP_SERVERS, KAFKA_* (see @isobar/core), SCHEMA_REGISTRY_URL (unset = plain JSON values),
 *   WEATHER_CONFIG (JSON, the whole config), or the shortcuts WEATHER_SOURCES (sim,metar,…), WEATHER_STATIONS,
 *   WEATHER_RATE, WEATHER_SPEEDUP, WEATHER_DURATION_S, WEATHER_METAR_INPUT, WEATHER_METAR_STATIONS,
 *   WEATHER_REPLAY_FILE, WEATHER_OPENMETEO_URL, METRICS_PORT (default 9464), METRICS_HOST (default 127.0.0.1;
 *   0.0.0.0 in a container), LOG_LEVEL.
 * Alerts (on by default, rules/weather-alerts.yaml → weather.alerts) are set through WEATHER_CONFIG's `alerts`:
 *   { enabled, rulesFile, topic }; a bad rule stops the start, naming the rule.
 * SIGTERM/SIGINT → flush everything, print the per-source summary, exit 0.
 */
import { createKafkaClient, createLogger, createMetricsRegistry, isIsobarError, kafkaConfigFromEnv } from '@isobar/core'
import { parseWeatherConfig } from './config.ts'
import { runWeatherService } from './service.ts'
import { defaultReplayFile } from './sources/replay.ts'

function configFromEnv(env: NodeJS.ProcessEnv): unknown {
  const base = env.WEATHER_CONFIG ? (JSON.parse(env.WEATHER_CONFIG) as Record<string, unknown>) : {}
  const num = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v))
  const defined = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
  const section = (name: string) => (base[name] ?? {}) as Record<string, unknown>
  return {
    ...base,
    ...defined({
      sources: env.WEATHER_SOURCES?.split(',').map((s) => s.trim()),
      durationS: num(env.WEATHER_DURATION_S),
      metricsPort: num(env.METRICS_PORT) ?? base.metricsPort ?? 9464,
      metricsHost: env.METRICS_HOST || undefined,
      registryUrl: env.SCHEMA_REGISTRY_URL || undefined,
    }),
    sim: {
      ...section('sim'),
      ...defined({
        stations: num(env.WEATHER_STATIONS),
        rate: num(env.WEATHER_RATE),
        speedup: num(env.WEATHER_SPEEDUP),
      }),
    },
    metar: {
      ...section('metar'),
      ...defined({ input: env.WEATHER_METAR_INPUT, stationsFile: env.WEATHER_METAR_STATIONS }),
    },
    // The replay default is NOAA's real Seattle daily data shipped in @observablehq/sample-datasets.
    replay: { ...section('replay'), ...defined({ file: env.WEATHER_REPLAY_FILE ?? defaultReplayFile() }) },
    openmeteo: { ...section('openmeteo'), ...defined({ url: env.WEATHER_OPENMETEO_URL }) },
  }
}

const logger = createLogger({ service: 'weather-streamer', level: process.env.LOG_LEVEL ?? 'info' })
try {
  const config = parseWeatherConfig(configFromEnv(process.env))
  const kafkaConfig = kafkaConfigFromEnv(process.env, { clientId: 'isobar-weather-streamer' })
  const summary = await runWeatherService({
    config,
    kafka: createKafkaClient(kafkaConfig),
    kafkaConfig,
    metrics: createMetricsRegistry('weather-streamer'),
    logger,
    onListening: (port) => logger.info({ port }, 'metrics on /metrics, /health, /ready'),
  })
  process.stdout.write(`${JSON.stringify({ summary })}\n`)
  process.exitCode = summary.some((s) => s.state === 'failed' || s.failed > 0) ? 1 : 0
} catch (error) {
  logger.fatal({ err: error, code: isIsobarError(error) ? error.code : undefined }, 'weather streamer failed')
  process.exitCode = 1
}
