/**
 * Process entry: `node packages/admin-api/src/main.ts`. Reads the environment once (KAFKA_* via @isobar/core, the
 * rest via config.ts: ISOBAR_CONSOLE_PORT / _HOST / _TOKEN / _READ_TOKEN, SCHEMA_REGISTRY_URL), starts the console,
 * and shuts it down gracefully on SIGINT/SIGTERM. Without a token it generates one and prints it on stderr.
 */
import { createKafkaClient, createLogger, exitOnShutdownSignals, kafkaConfigFromEnv } from '@isobar/core'
import { consoleConfigFromEnv } from './config.ts'
import { startConsole } from './server.ts'

const logger = createLogger({ service: 'console', level: process.env.LOG_LEVEL ?? 'info' })

try {
  const config = consoleConfigFromEnv(process.env)
  const running = await startConsole({
    kafka: createKafkaClient(kafkaConfigFromEnv(process.env)),
    port: config.port,
    host: config.host,
    logger,
    ...(config.token ? { token: config.token } : {}),
    ...(config.readToken ? { readToken: config.readToken } : {}),
    ...(config.registryUrl ? { registryUrl: config.registryUrl } : {}),
    onToken: (generated) => process.stderr.write(`Console API token (generated): ${generated}\n`),
  })
  logger.info({ url: running.url, docs: `${running.url}/api/docs` }, 'console listening')
  exitOnShutdownSignals(() => running.close(), logger)
} catch (error) {
  logger.fatal({ err: error }, 'console failed to start')
  process.exit(1)
}
