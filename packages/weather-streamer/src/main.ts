/**
 * The Weather Streamer service process. Environment (read only here, through env.ts's WEATHER_ENV schema):
 *   KAFKA_BOOTSTRAP_SERVERS, KAFKA_* (see @isobar/core), SCHEMA_REGISTRY_URL (unset = plain JSON values),
 *   WEATHER_CONFIG (JSON, the whole config), or the shortcuts WEATHER_SOURCES (sim,metar,…), WEATHER_STATIONS,
 *   WEATHER_RATE, WEATHER_SPEEDUP, WEATHER_DURATION_S, WEATHER_METAR_INPUT, WEATHER_METAR_STATIONS,
 *   WEATHER_REPLAY_FILE, WEATHER_OPENMETEO_URL, METRICS_PORT (default 9464), METRICS_HOST (default 127.0.0.1;
 *   0.0.0.0 in a container), LOG_LEVEL.
 * Alerts (on by default, rules/weather-alerts.yaml → weather.alerts) are set through WEATHER_CONFIG's `alerts`:
 *   { enabled, rulesFile, topic }; a bad rule stops the start, naming the rule.
 * SIGTERM/SIGINT → flush everything, print the per-source summary, exit 0. A refused configuration exits 2.
 */
import {
  ConfigError,
  createKafkaClient,
  createLogger,
  createMetricsRegistry,
  isIsobarError,
  kafkaConfigFromEnv,
} from '@isobar/core'
import { parseWeatherConfig } from './config.ts'
import { weatherConfigFromEnv } from './env.ts'
import { runWeatherService } from './service.ts'

const logger = createLogger({ service: 'weather-streamer', level: process.env.LOG_LEVEL ?? 'info' })
try {
  const config = parseWeatherConfig(weatherConfigFromEnv(process.env))
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
  // 2: the configuration was refused (what `isobar weather run` reports as a usage error); 1: it failed running.
  process.exitCode = error instanceof ConfigError ? 2 : 1
}
