/**
 * The ingest service process. Environment (read only here):
 *   KAFKA_BOOTSTRAP_SERVERS, KAFKA_* (see @isobar/core), SCHEMA_REGISTRY_URL (default http://127.0.0.1:8081),
 *   INGEST_CONFIG (JSON, the whole config; see config.ts), or the shortcuts
 *   MQTT_URL, MQTT_USERNAME, MQTT_PASSWORD, MQTT_CLIENT_ID, MQTT_MAX_IN_FLIGHT (bridge on when MQTT_URL is set),
 *   INGEST_HTTP_PORT (HTTP on when set), INGEST_HTTP_TOKENS_FILE (JSON {device: token}),
 *   INGEST_READINGS_TOPIC, INGEST_DLQ_TOPIC, METRICS_PORT (default 9466), LOG_LEVEL.
 * SIGTERM/SIGINT → stop reading, flush, acknowledge, exit 0.
 */
import { readFileSync } from 'node:fs'
import {
  createKafkaClient,
  createLogger,
  createMetricsRegistry,
  exitOnShutdownSignals,
  isIsobarError,
  kafkaConfigFromEnv,
  SchemaRegistryClient,
  startMonitoringServer,
} from '@isobar/core'
import { buildIngest } from './app.ts'
import { parseIngestConfig } from './config.ts'

function configFromEnv(env: NodeJS.ProcessEnv): unknown {
  const base = env.INGEST_CONFIG ? (JSON.parse(env.INGEST_CONFIG) as Record<string, unknown>) : {}
  const num = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v))
  const defined = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
  const section = (name: string) => base[name] as Record<string, unknown> | undefined
  const mqtt = env.MQTT_URL
    ? {
        ...section('mqtt'),
        ...defined({
          url: env.MQTT_URL,
          username: env.MQTT_USERNAME,
          password: env.MQTT_PASSWORD,
          clientId: env.MQTT_CLIENT_ID,
          maxInFlight: num(env.MQTT_MAX_IN_FLIGHT),
        }),
      }
    : section('mqtt')
  const http =
    env.INGEST_HTTP_PORT !== undefined
      ? {
          ...section('http'),
          ...defined({
            port: num(env.INGEST_HTTP_PORT),
            tokens: env.INGEST_HTTP_TOKENS_FILE
              ? (JSON.parse(readFileSync(env.INGEST_HTTP_TOKENS_FILE, 'utf8')) as unknown)
              : undefined,
          }),
        }
      : section('http')
  return {
    ...base,
    ...defined({
      mqtt,
      http,
      metricsPort: num(env.METRICS_PORT) ?? base.metricsPort,
      registryUrl: env.SCHEMA_REGISTRY_URL || base.registryUrl || 'http://127.0.0.1:8081',
      topics: defined({
        ...(base.topics as Record<string, unknown> | undefined),
        readings: env.INGEST_READINGS_TOPIC,
        deadLetter: env.INGEST_DLQ_TOPIC,
      }),
    }),
  }
}

const logger = createLogger({ service: 'ingest', level: process.env.LOG_LEVEL ?? 'info' })
try {
  const config = parseIngestConfig(configFromEnv(process.env))
  const kafkaConfig = kafkaConfigFromEnv(process.env, { clientId: 'isobar-ingest' })
  const metrics = createMetricsRegistry('ingest')
  const ingest = buildIngest({
    config,
    kafka: createKafkaClient(kafkaConfig),
    registry: new SchemaRegistryClient({ url: config.registryUrl, timeoutMs: 5000 }),
    batching: { ...kafkaConfig.batch, maxInFlight: kafkaConfig.maxInFlight },
    metrics,
    logger,
  })
  const monitoring = await startMonitoringServer({ port: config.metricsPort, metrics, isReady: () => ingest.isReady() })
  exitOnShutdownSignals(async () => {
    await ingest.stop()
    await monitoring.close()
  }, logger)
  const { httpPort } = await ingest.start()
  logger.info({ metricsPort: monitoring.port, httpPort }, 'metrics on /metrics, /health, /ready')
} catch (error) {
  logger.fatal({ err: error, code: isIsobarError(error) ? error.code : undefined }, 'ingest failed to start')
  process.exit(1)
}
