/**
 * Process entry: `node packages/registry/src/main.ts`. Reads the environment once (KAFKA_* via @isobar/core,
 * the rest via config.ts: ISOBAR_REGISTRY_PORT / _HOST / _ADVERTISED_URL, SCHEMA_REGISTRY_* limits, workers and basic
 * auth users, ISOBAR_REGISTRY_STORE=memory for a throwaway registry without Kafka), starts the registry and shuts
 * it down gracefully on SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs'
import { createKafkaClient, createLogger, exitOnShutdownSignals, kafkaConfigFromEnv } from '@isobar/core'
import { registryConfigFromEnv } from './config.ts'
import { parseBasicAuthUsers } from './http/auth.ts'
import { startMemoryRegistry } from './memory-server.ts'
import { startRegistry } from './server.ts'

const logger = createLogger({ service: 'registry', level: process.env.LOG_LEVEL ?? 'info' })

try {
  const config = registryConfigFromEnv(process.env)
  const usersText = config.basicAuthUsersFile ? readFileSync(config.basicAuthUsersFile, 'utf8') : config.basicAuthUsers
  const basicAuth = usersText === undefined ? undefined : { users: parseBasicAuthUsers(usersText) }
  if (config.store === 'memory') {
    const running = await startMemoryRegistry({
      port: config.port,
      host: config.host,
      logger,
      limits: config.limits,
      ...(basicAuth ? { basicAuth } : {}),
    })
    logger.info({ url: running.url, store: 'memory' }, 'schema registry listening')
    exitOnShutdownSignals(() => running.close(), logger)
  } else {
    await startOnKafka(config, basicAuth)
  }
} catch (error) {
  logger.fatal({ err: error }, 'schema registry failed to start')
  process.exit(1)
}

async function startOnKafka(
  config: ReturnType<typeof registryConfigFromEnv>,
  basicAuth: { users: ReturnType<typeof parseBasicAuthUsers> } | undefined,
): Promise<void> {
  const kafka = createKafkaClient(kafkaConfigFromEnv(process.env))
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
}
