/**
 * `startConsole(options)`: the console as a running service. Generates a token when none is given (and reports it
 * through `onToken`), listens, and closes the HTTP server and Kafka clients on `close()`.
 */
import { randomBytes } from 'node:crypto'
import { SchemaRegistryClient, type KafkaClient, type Logger, type MessageDecoder, type Registry } from '@isobar/core'
import type { FastifyInstance } from 'fastify'
import { buildConsoleApp, type LiveSettings } from './app.ts'
import type { AlertRouteOptions } from './http/alert-routes.ts'

export const DEFAULT_CONSOLE_PORT = 8080

export interface StartConsoleOptions {
  kafka: KafkaClient
  /** Default 8080; 0 picks a free port. */
  port?: number
  /** Default 127.0.0.1 (set 0.0.0.0 to serve other hosts). */
  host?: string
  /** Admin token of /api; generated (and passed to `onToken`) when absent. */
  token?: string
  /** Optional read-only token (GET routes of /api only). */
  readToken?: string
  /** Told the generated token, so the operator can use it. */
  onToken?: (token: string) => void
  logger?: Logger
  metrics?: Registry
  decoder?: MessageDecoder
  /** Base URL of the schema registry: /ready checks it, /api/schemas proxies it, messages decode through it. */
  registryUrl?: string
  /** Live feed settings; the feeds start with the server (eager) unless told otherwise. */
  live?: LiveSettings
  /** Topics of the alert routes (default sensors.alerts and sensors.alert-commands). */
  alerts?: AlertRouteOptions
  webDist?: string
}

export interface RunningConsole {
  url: string
  token: string
  app: FastifyInstance
  /** Stops listening (in-flight requests finish) and closes the Kafka clients. */
  close(): Promise<void>
}

export function generateToken(): string {
  return randomBytes(24).toString('base64url')
}

/** Resolves when the registry answers any HTTP status below 500 on its root. */
function registryProbe(url: string): () => Promise<void> {
  return async () => {
    const response = await fetch(new URL('/subjects', url), { signal: AbortSignal.timeout(5000) })
    await response.body?.cancel()
    if (response.status >= 500) throw new Error(`HTTP ${response.status}`)
  }
}

export async function startConsole(options: StartConsoleOptions): Promise<RunningConsole> {
  const token = options.token ?? generateToken()
  if (!options.token) options.onToken?.(token)
  const app = buildConsoleApp({
    kafka: options.kafka,
    token,
    ...(options.readToken ? { readToken: options.readToken } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.decoder ? { decoder: options.decoder } : {}),
    readiness: options.registryUrl ? { registry: registryProbe(options.registryUrl) } : {},
    ...(options.registryUrl
      ? { registry: new SchemaRegistryClient({ url: options.registryUrl, timeoutMs: 5000 }) }
      : {}),
    live: { eager: true, ...options.live },
    ...(options.webDist ? { webDist: options.webDist } : {}),
    ...(options.alerts ? { alerts: options.alerts } : {}),
  })
  try {
    const url = await app.listen({ port: options.port ?? DEFAULT_CONSOLE_PORT, host: options.host ?? '127.0.0.1' })
    return { url, token, app, close: () => app.close() }
  } catch (error) {
    await app.close()
    throw error
  }
}
