/**
 * Process entry: `node packages/registry/src/main.ts`. Reads the environment once (KAFKA_* via @isobar/core,
 * the rest via config.ts: ISOBAR_REGISTRY_PORT / _HOST / _ADVERTISED_URL, SCHEMA_REGISTRY_* limits, workers and basic
 * auth users), starts the registry and shuts it down gracefully on SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs'
import { createKafkaClient, createLogger, exitOnShutdownSignals, kafkaConfigFromEnv } from '@isobar/core'
import { registryConfigFromEnv } from './config.ts'
import { parseBasicAuthUsers } from './http/auth.ts'
import { startRegistry } from './server.ts'

const logger = createLogger({ service: 'registry', level: process.env.LOG_LEVEL ?? 'info' })

try {
  const config = registryConfigFromEnv(process.env)
  const kafka = createKafkaClient(kafkaConfigFromEnv(process.env))
  const usersText = config.basicAuthUsersFile ? readFileSync(config.basicAuthUsersFile, 'utf8') : config.basicAuthUsers
  const basicAuth = usersText === undefined ? undefined : { users: parseBasicAuthUsers(usersText) }
  const running = await startRegistry({
    kafka,
    logger,
    port: config.port,
    host: config.host,
    ...(config.instanceUrl ? { instanceUrl: config.instanceUrl } : {}),
    limits: config.limits,
    compatibilityWorkers: config.compatibilityWorkers,
    compatibilityQueue: config.compatibilityQueue,
    ...(basicAuth ? { basicAuth } : {}),
  })
  logger.info(
    { url: running.url, instanceUrl: running.instanceUrl, basicAuth: basicAuth ? basicAuth.users.size : 'off' },
    'schema registry listening',
  )
  exitOnShutdownSignals(() => running.close(), logger)
} catch (error) {
  logger.fatal({ err: error }, 'schema registry failed to start')
  process.exit(1)
}
