/**
 * The Sensor Analytics service process. Environment (read only here, through env.ts's ANALYTICS_ENV schema):
 *   KAFKA_BOOTSTRAP_SERVERS, KAFKA_* (see @isobar/core), SCHEMA_REGISTRY_URL (unset = plain JSON aggregates),
 *   ANALYTICS_CONFIG (JSON, the whole config; see config.ts), or the shortcuts ANALYTICS_APP_ID,
 *   ANALYTICS_INSTANCE_ID (stable per instance: static membership, transactional ids), ANALYTICS_GUARANTEE
 *   (exactly-once | at-least-once), ANALYTICS_STAGES (comma list of panes, zone-1m, hopping; default all),
 *   ANALYTICS_FROM (earliest | latest), ANALYTICS_RULES_FILE,
 *   METRICS_PORT (default 9465; 0 = any free port), METRICS_HOST (default 127.0.0.1; 0.0.0.0 in a container), LOG_LEVEL.
 * Serves /metrics, /health and /ready (503 until every stage has its partitions and has restored their state; the
 * body says per stage why not, e.g. `consecutiveFailures` and `lastError` of a stage that keeps restarting).
 * SIGTERM/SIGINT → commit what is pending, flush alerts, leave the groups, exit 0.
 */
import {
  assertKafkaReachable,
  createKafkaClient,
  createLogger,
  createMetricsRegistry,
  exitOnShutdownSignals,
  isIsobarError,
  kafkaConfigFromEnv,
  startMonitoringServer,
} from '@isobar/core'
import { createSensorAnalytics } from './app.ts'
import { parseSensorAnalyticsConfig } from './config.ts'
import { analyticsConfigFromEnv } from './env.ts'

const logger = createLogger({ service: 'sensor-analytics', level: process.env.LOG_LEVEL ?? 'info' })
try {
  const config = parseSensorAnalyticsConfig(analyticsConfigFromEnv(process.env))
  const kafkaConfig = kafkaConfigFromEnv(process.env, { clientId: `isobar-sensor-analytics-${config.instanceId}` })
  await assertKafkaReachable(kafkaConfig.bootstrapServers)
  const kafka = createKafkaClient(kafkaConfig)
  const metrics = createMetricsRegistry('sensor-analytics')
  const analytics = await createSensorAnalytics({ config, kafka, metrics, logger })
  const server = await startMonitoringServer({
    port: config.metricsPort,
    host: config.metricsHost,
    metrics,
    isReady: () => analytics.isReady(),
    // Per stage: ready, and when one keeps restarting, how often, the last error and the positions it failed at.
    readyDetails: () => ({ stages: analytics.health() }),
  })
  logger.info({ port: server.port, groups: analytics.groups }, 'metrics on /metrics, /health, /ready')
  exitOnShutdownSignals(async () => {
    await analytics.stop()
    await server.close()
  }, logger)
  await analytics.start()
  logger.info({ guarantee: config.guarantee, instance: config.instanceId }, 'sensor analytics running')
} catch (error) {
  logger.fatal({ err: error, code: isIsobarError(error) ? error.code : undefined }, 'sensor analytics failed to start')
  process.exit(1)
}
