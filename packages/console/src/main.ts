/**
 * Process entry: `node packages/console/src/main.ts`. Reads the environment once (KAFKA_* via @isobar/core,
 * ISOBAR_CONSOLE_PORT / _HOST / _TOKEN / _READ_TOKEN, ISOBAR_REGISTRY_URL), starts the console, and shuts it down gracefully
 * on SIGINT/SIGTERM. Without a token it generates one and prints it on stderr.
 */
import { createKafkaClient, createLogger, exitOnShutdownSignals, kafkaConfigFromEnv } from '@isobar/core'
import { ConsoleConfigError } from './errors.ts'
import { DEFAULT_CONSOLE_PORT, startConsole } from './server.ts'

function portFrom(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_CONSOLE_PORT
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConsoleConfigError(`ISOBAR_CONSOLE_PORT must be a port number 0..65535, got "${raw}"`)
  }
  return port
}

const logger = createLogger({ service: 'console', level: process.env.LOG_LEVEL ?? 'info' })

try {
  const port = portFrom(process.env.ISOBAR_CONSOLE_PORT)
  const token = process.env.ISOBAR_CONSOLE_TOKEN || undefined
  const readToken = process.env.ISOBAR_CONSOLE_READ_TOKEN || undefined
  if (readToken !== undefined && readToken === token) {
    throw new ConsoleConfigError('ISOBAR_CONSOLE_READ_TOKEN must differ from ISOBAR_CONSOLE_TOKEN')
  }
  const registryUrl = process.env.ISOBAR_REGISTRY_URL || undefined
  const running = await startConsole({
    kafka: createKafkaClient(kafkaConfigFromEnv(process.env)),
    port,
    host: process.env.ISOBAR_CONSOLE_HOST ?? '127.0.0.1',
    logger,
    ...(token ? { token } : {}),
    ...(readToken ? { readToken } : {}),
    ...(registryUrl ? { registryUrl } : {}),
    onToken: (generated) => process.stderr.write(`Console API token (generated): ${generated}\n`),
  })
  logger.info({ url: running.url, docs: `${running.url}/api/docs` }, 'console listening')
  exitOnShutdownSignals(() => running.close(), logger)
} catch (error) {
  logger.fatal({ err: error }, 'console failed to start')
  process.exit(1)
}
