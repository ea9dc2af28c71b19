/**
 * The notifier service process. Environment (read only here):
 *   KAFKA_BOOTSTRAP_SERVERS, KAFKA_* (see @isobar/core);
 *   NOTIFIER_ALERTMANAGER_URL (e.g. http://127.0.0.1:9093) and/or NOTIFIER_WEBHOOK_URL + NOTIFIER_WEBHOOK_SECRET
 *   (≥ 16 characters; at least one channel is required); NOTIFIER_GROUP_ID (isobar-notifier),
 *   NOTIFIER_SENSOR_ALERTS_TOPIC (sensors.alerts), NOTIFIER_WEATHER_ALERTS_TOPIC (weather.alerts),
 *   NOTIFIER_START_FROM (latest|earliest, for a new group), NOTIFIER_RETRY_INITIAL_MS (500), NOTIFIER_RETRY_MAX_MS
 *   (60000), METRICS_PORT (9467), METRICS_HOST (127.0.0.1), LOG_LEVEL.
 * Serves /metrics, /health, /ready. SIGTERM/SIGINT: stops; undelivered transitions stay uncommitted.
 */
import {
  createKafkaClient,
  createLogger,
  createMetricsRegistry,
  exitOnShutdownSignals,
  isIsobarError,
  kafkaConfigFromEnv,
  startMonitoringServer,
} from '@isobar/core'
import { buildNotifier } from './app.ts'
import { parseNotifierConfig } from './config.ts'

function configFromEnv(env: NodeJS.ProcessEnv): unknown {
  // Numbers are converted only when they are plain integers, so anything else fails validation by name.
  const int = (v: string | undefined): unknown =>
    v === undefined || v === '' ? undefined : /^\d+$/.test(v) ? Number(v) : v
  const defined = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
  return defined({
    topics: defined({ sensors: env.NOTIFIER_SENSOR_ALERTS_TOPIC, weather: env.NOTIFIER_WEATHER_ALERTS_TOPIC }),
    groupId: env.NOTIFIER_GROUP_ID,
    startFrom: env.NOTIFIER_START_FROM,
    alertmanager: env.NOTIFIER_ALERTMANAGER_URL ? { url: env.NOTIFIER_ALERTMANAGER_URL } : undefined,
    webhook: env.NOTIFIER_WEBHOOK_URL
      ? defined({ url: env.NOTIFIER_WEBHOOK_URL, secret: env.NOTIFIER_WEBHOOK_SECRET })
      : undefined,
    retry: defined({ initialMs: int(env.NOTIFIER_RETRY_INITIAL_MS), maxMs: int(env.NOTIFIER_RETRY_MAX_MS) }),
    metricsPort: int(env.METRICS_PORT),
    metricsHost: env.METRICS_HOST,
  })
}

const logger = createLogger({ service: 'notifier', level: process.env.LOG_LEVEL ?? 'info' })
try {
  const config = parseNotifierConfig(configFromEnv(process.env))
  const kafka = createKafkaClient(kafkaConfigFromEnv(process.env, { clientId: 'isobar-notifier' }))
  const metrics = createMetricsRegistry('notifier')
  const notifier = buildNotifier({ config, kafka, metrics, logger })
  const server = await startMonitoringServer({
    port: config.metricsPort,
    host: config.metricsHost,
    metrics,
    isReady: () => notifier.ready,
  })
  notifier.start()
  logger.info(
    { port: server.port, alertmanager: config.alertmanager?.url, webhook: config.webhook?.url, group: config.groupId },
    'notifier running; metrics on /metrics, /health, /ready',
  )
  exitOnShutdownSignals(async () => {
    await notifier.stop()
    await server.close()
  }, logger)
} catch (error) {
  logger.fatal({ err: error, code: isIsobarError(error) ? error.code : undefined }, 'notifier failed to start')
  process.exitCode = 1
}
