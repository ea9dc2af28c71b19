/**
 * Builds the console's HTTP app (Fastify) without listening, so tests drive it with `app.inject()`.
 * REST admin API over Kafka under /api (per-route access: bearer token or session cookie), OpenAPI + docs,
 * and /health, /ready, /metrics.
 */
import { fileURLToPath } from 'node:url'
import {
  createMetricsRegistry,
  jsonMessageDecoder,
  registryMessageDecoder,
  type Admin,
  type KafkaClient,
  type Logger,
  type MessageDecoder,
  type Producer,
  type Registry,
  type SchemaRegistryClient,
} from '@isobar/core'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { installAccessControl, Tokens, type AccessControl } from './http/access.ts'
import { alertRoutes, type AlertRouteOptions } from './http/alert-routes.ts'
import { clusterRoutes } from './http/cluster-routes.ts'
import type { RouteContext } from './http/context.ts'
import { dlqRoutes } from './http/dlq-routes.ts'
import { clientErrorHandler, frameworkErrors, installErrorHandling } from './http/error-handler.ts'
import { groupRoutes } from './http/group-routes.ts'
import { healthRoutes, type ReadinessChecks } from './http/health-routes.ts'
import { installJsonBodyParser } from './http/json-body.ts'
import { messageRoutes } from './http/message-routes.ts'
import { registerOpenApi } from './http/openapi.ts'
import { RouteTable } from './http/route-table.ts'
import { schemaRoutes, valueSchemaRoutes } from './http/schema-routes.ts'
import { sessionRoutes } from './http/session-routes.ts'
import { SessionStore, type SessionStoreOptions } from './http/sessions.ts'
import { staticRoutes } from './http/static-routes.ts'
import { installStrictQuery } from './http/strict-query.ts'
import { topicConfigRoutes } from './http/topic-config-routes.ts'
import { topicRoutes } from './http/topic-routes.ts'
import { RegistryValueEncoder } from './http/value-schema.ts'
import { LiveFeeds, type LiveFeedOptions } from './live/feeds.ts'
import { LiveHub, type LiveHubOptions } from './live/hub.ts'
import { liveRoutes } from './live/routes.ts'
import { registryDecoderWarmup } from './live/schema-warmup.ts'
import { createConsoleMetrics, instrumentAdmin } from './metrics.ts'

/** The Vite build of packages/web. */
export const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url))

export interface LiveSettings {
  /** Start the Kafka feeds with the app (history fills from the start) instead of at the first client. */
  eager?: boolean
  hub?: LiveHubOptions
  feeds?: Pick<LiveFeedOptions, 'topics' | 'backfillMs' | 'backfillMaxRecords' | 'lagIntervalMs'>
  maxClients?: number
}

export interface ConsoleAppDeps {
  kafka: KafkaClient
  /** The admin token: every route (reads and writes). */
  token: string
  /** An optional read-only token: the GET routes under /api only. Must differ from `token`. */
  readToken?: string
  /** Browser sessions (POST /api/session): size bound and lifetime. */
  sessions?: SessionStoreOptions
  /** A pino-compatible logger; silent when absent. Credentials headers are redacted from it. */
  logger?: FastifyBaseLogger
  /** Where the metrics go; a fresh per-app registry when absent. */
  metrics?: Registry
  /** Shows message keys and values; JSON / text / base64 when absent (a registry decoder plugs in here). */
  decoder?: MessageDecoder
  readiness?: ReadinessChecks
  /** Largest accepted request body in bytes. Default 1 MiB. */
  bodyLimit?: number
  /** Schema Registry behind /api/schemas and (when no decoder is given) message decoding. */
  registry?: SchemaRegistryClient
  /** The live feed at /api/live (always mounted; feeds start at the first client unless `eager`). */
  live?: LiveSettings
  alerts?: AlertRouteOptions
  /** Where the browser console's built files are. Default packages/web/dist. */
  webDist?: string
}

/** Header paths never written to logs, whatever a log line includes. */
const REDACTED = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
]

export function buildConsoleApp(deps: ConsoleAppDeps): FastifyInstance {
  if (deps.token.length === 0) throw new Error('buildConsoleApp: token must not be empty')
  const control: AccessControl = {
    tokens: new Tokens(deps.token, deps.readToken),
    sessions: new SessionStore(deps.sessions),
  }
  const logger = deps.logger?.child({}, { redact: { paths: REDACTED, censor: '[redacted]' } })
  const app = Fastify({
    bodyLimit: deps.bodyLimit ?? 1024 * 1024,
    ...(logger ? { loggerInstance: logger } : { logger: false }),
    routerOptions: { maxParamLength: 1000, ignoreTrailingSlash: true },
    // Never coerce types ({"name": false} is not the topic "false"), reject unknown body fields (a typo like
    // "partition" for "partitions") instead of dropping them; query strings are converted by installStrictQuery.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    frameworkErrors,
    clientErrorHandler,
  }) as unknown as FastifyInstance
  const registry = deps.metrics ?? createMetricsRegistry('console')
  const metrics = createConsoleMetrics(registry)

  const admin: Admin = instrumentAdmin(deps.kafka.admin(), metrics)
  let producer: Producer | undefined
  const ctx: RouteContext = {
    admin,
    producer: () => (producer ??= deps.kafka.producer()),
    decoder: deps.decoder ?? (deps.registry ? registryMessageDecoder(deps.registry) : jsonMessageDecoder),
    ...(deps.registry ? { valueEncoder: new RegistryValueEncoder(deps.registry) } : {}),
  }
  const hub = new LiveHub(deps.live?.hub)
  const feeds = new LiveFeeds({
    kafka: deps.kafka,
    admin,
    decoder: ctx.decoder,
    hub,
    ...(deps.registry ? { warmup: registryDecoderWarmup(deps.registry, ctx.decoder) } : {}),
    ...(deps.logger ? { logger: deps.logger as unknown as Logger } : {}),
    ...deps.live?.feeds,
  })
  if (deps.live?.eager) feeds.start()

  const routes = new RouteTable()
  routes.collect(app)
  installErrorHandling(app, routes)
  installAccessControl(app, control)
  installStrictQuery(app)
  installJsonBodyParser(app)
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched'
    metrics.http.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000)
  })
  app.register(async (api) => {
    await registerOpenApi(api)
    sessionRoutes(api, control)
    clusterRoutes(api, ctx)
    topicRoutes(api, ctx)
    topicConfigRoutes(api, ctx)
    groupRoutes(api, ctx)
    messageRoutes(api, ctx)
    dlqRoutes(api, ctx)
    alertRoutes(api, ctx, deps.alerts)
    if (deps.registry) schemaRoutes(api, deps.registry)
    valueSchemaRoutes(api, deps.registry)
    liveRoutes(api, {
      hub,
      ensureFeeds: () => feeds.start(),
      ...(deps.live?.maxClients ? { maxClients: deps.live.maxClients } : {}),
    })
    healthRoutes(api, ctx, registry, deps.readiness ?? {})
    staticRoutes(api, deps.webDist ?? DEFAULT_WEB_DIST)
  })
  app.decorate('live', { hub, feeds })
  // Live streams never end by themselves: end them before the server waits for open requests.
  app.addHook('preClose', (done) => {
    hub.closeAll()
    done()
  })
  app.addHook('onClose', async () => {
    await feeds.stop()
    await Promise.allSettled([admin.close(), producer?.close()])
  })
  return app
}
