/**
 * Process entry: `node packages/registry/src/main.ts`. Reads the environment (KAFKA_* via @isobar/core,
 * ISOBAR_REGISTRY_PORT / _HOST / _URL), starts the registry and shuts it down gracefully on SIGINT/SIGTERM.
 */
import { createKafkaClient, createLogger, exitOnShutdownSignals, kafkaConfigFromEnv } from '@isobar/core'
import { startRegistry } from './server.ts'

const logger = createLogger({ service: 'registry', level: process.env.LOG_LEVEL ?? 'info' })
const kafka = createKafkaClient(kafkaConfigFromEnv(process.env))
const port = Number(process.env.ISOBAR_REGISTRY_PORT ?? 8081)

try {
  const running = await startRegistry({
    kafka,
    logger,
    port,
    host: process.env.ISOBAR_REGISTRY_HOST ?? '0.0.0.0',
    ...(process.env.ISOBAR_REGISTRY_URL ? { instanceUrl: process.env.ISOBAR_REGISTRY_URL } : {}),
  })
  logger.info({ url: running.url, instanceUrl: running.instanceUrl }, 'schema registry listening')
  exitOnShutdownSignals(() => running.close(), logger)
} catch (error) {
  logger.fatal({ err: error }, 'schema registry failed to start')
  process.exit(1)
}
