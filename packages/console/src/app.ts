/**
 * Builds the console's HTTP app (Fastify) without listening, so tests drive it with `app.inject()`.
 * REST admin API over Kafka under /api (per-route access: bearer token or session cookie), OpenAPI + docs,
 * and /health, /ready, /metrics.
 */
import { createMetricsRegistry, type Admin, type KafkaClient, type Producer, type Registry } from '@isobar/core'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { jsonMessageDecoder, type MessageDecoder } from './decode.ts'
import { installAccessControl, Tokens, type AccessControl } from './http/access.ts'
import { clusterRoutes } from './http/cluster-routes.ts'
import type { RouteContext } from './http/context.ts'
import { clientErrorHandler, frameworkErrors, installErrorHandling } from './http/error-handler.ts'
import { groupRoutes } from './http/group-routes.ts'
import { healthRoutes, type ReadinessChecks } from './http/health-routes.ts'
import { installJsonBodyParser } from './http/json-body.ts'
import { messageRoutes } from './http/message-routes.ts'
import { registerOpenApi } from './http/openapi.ts'
import { RouteTable } from './http/route-table.ts'
import { sessionRoutes } from './http/session-routes.ts'
import { installStrictQuery } from './http/strict-query.ts'
import { SessionStore, type SessionStoreOptions } from './http/sessions.ts'
import { topicRoutes } from './http/topic-routes.ts'
import { createConsoleMetrics, instrumentAdmin } from './metrics.ts'

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
    decoder: deps.decoder ?? jsonMessageDecoder,
  }

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
    groupRoutes(api, ctx)
    messageRoutes(api, ctx)
    healthRoutes(api, ctx, registry, deps.readiness ?? {})
  })
  app.addHook('onClose', async () => {
    await Promise.allSettled([admin.close(), producer?.close()])
  })
  return app
}
