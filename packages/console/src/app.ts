/**
 * Builds the console's HTTP app (Fastify) without listening, so tests drive it with `app.inject()`.
 * REST admin API over Kafka under /api (bearer token), OpenAPI + docs, and /health, /ready, /metrics.
 */
import { createMetricsRegistry, type Admin, type KafkaClient, type Producer, type Registry } from '@isobar/core'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { jsonMessageDecoder, type MessageDecoder } from './decode.ts'
import { installBearerAuth } from './http/auth.ts'
import { clusterRoutes } from './http/cluster-routes.ts'
import type { RouteContext } from './http/context.ts'
import { installErrorHandling } from './http/error-handler.ts'
import { groupRoutes } from './http/group-routes.ts'
import { healthRoutes, type ReadinessChecks } from './http/health-routes.ts'
import { messageRoutes } from './http/message-routes.ts'
import { registerOpenApi } from './http/openapi.ts'
import { topicRoutes } from './http/topic-routes.ts'
import { createConsoleMetrics, instrumentAdmin } from './metrics.ts'

export interface ConsoleAppDeps {
  kafka: KafkaClient
  /** The bearer token every /api route requires. */
  token: string
  /** A pino-compatible logger; silent when absent. */
  logger?: FastifyBaseLogger
  /** Where the metrics go; a fresh per-app registry when absent. */
  metrics?: Registry
  /** Shows message keys and values; JSON / text / base64 when absent (a registry decoder plugs in here). */
  decoder?: MessageDecoder
  readiness?: ReadinessChecks
  /** Largest accepted request body in bytes. Default 1 MiB. */
  bodyLimit?: number
}

export function buildConsoleApp(deps: ConsoleAppDeps): FastifyInstance {
  if (deps.token.length === 0) throw new Error('buildConsoleApp: token must not be empty')
  const app = Fastify({
    bodyLimit: deps.bodyLimit ?? 1024 * 1024,
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    routerOptions: { maxParamLength: 1000, ignoreTrailingSlash: true },
    // Reject unknown body fields (a typo like "partition" for "partitions") instead of silently dropping them.
    ajv: { customOptions: { removeAdditional: false } },
  }) as unknown as FastifyInstance
  const registry = deps.metrics ?? createMetricsRegistry('console')
  const metrics = createConsoleMetrics(registry)

  const admin: Admin = instrumentAdmin(deps.kafka.admin(), metrics.kafkaAdminErrors)
  let producer: Producer | undefined
  const ctx: RouteContext = {
    admin,
    producer: () => (producer ??= deps.kafka.producer()),
    decoder: deps.decoder ?? jsonMessageDecoder,
  }

  installErrorHandling(app)
  installBearerAuth(app, deps.token)
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched'
    metrics.http.observe(request.method, route, reply.statusCode, reply.elapsedTime / 1000)
  })
  app.register(async (api) => {
    await registerOpenApi(api)
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
