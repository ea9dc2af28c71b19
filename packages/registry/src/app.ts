/**
 * Builds the registry's HTTP app (Fastify) without listening, so tests drive it with `app.inject()`.
 * Confluent Schema Registry REST API; writes are forwarded to the leader when `leadership` says so.
 */
import { createHttpMetrics, createMetricsRegistry, Gauge, type Registry as MetricsRegistry } from '@isobar/core'
import { CheckPool } from './compatibility/check-pool.ts'
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { createForwarder, type Leadership } from './http/forward.ts'
import { miscRoutes, schemaRoutes, settingsRoutes } from './http/other-routes.ts'
import { installBasicAuth, type BasicAuthOptions } from './http/auth.ts'
import { opsRoutes } from './http/ops-routes.ts'
import { clientErrorHandler, frameworkErrors, installProtocol } from './http/protocol.ts'
import { subjectRoutes } from './http/subject-routes.ts'
import type { Registry } from './registry/registry.ts'

export interface RegistryAppDeps {
  registry: Registry
  /** Election view; without it this instance handles every write itself. */
  leadership?: Leadership
  /** A pino-compatible logger; silent when absent. */
  logger?: FastifyBaseLogger
  /** Largest accepted request body in bytes. Default 1 MiB. */
  bodyLimit?: number
  /** HTTP client used to forward writes (tests stub it). Default global fetch. */
  fetch?: typeof fetch
  /** Timeout of a forwarded request. Default 30 s. */
  forwardTimeoutMs?: number
  /** Prometheus registry served on /metrics; a fresh one with runtime metrics when absent. */
  metrics?: MetricsRegistry
  /** HTTP basic auth; off when absent. */
  basicAuth?: BasicAuthOptions
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024

export function buildRegistryApp(deps: RegistryAppDeps): FastifyInstance {
  const app = Fastify({
    bodyLimit: deps.bodyLimit ?? DEFAULT_BODY_LIMIT,
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    // Subjects may contain '/', sent as %2F; keep long names routable.
    routerOptions: { maxParamLength: 10_000, ignoreTrailingSlash: true },
    frameworkErrors,
    clientErrorHandler,
  }) as unknown as FastifyInstance
  const metrics = deps.metrics ?? createMetricsRegistry('registry')
  const http = createHttpMetrics(metrics, 'isobar_registry')
  app.addHook('onResponse', async (request, reply) => {
    http.observe(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000)
  })
  if (deps.basicAuth) installBasicAuth(app, deps.basicAuth)
  installProtocol(app)
  const checker = deps.registry.checker
  if (checker instanceof CheckPool) {
    new Gauge({
      name: 'isobar_registry_compatibility_checks',
      help: 'Compatibility checks by state: running, queued, and (cumulative) completed, refused with 429, workers replaced',
      labelNames: ['state'],
      registers: [metrics],
      collect() {
        this.set({ state: 'running' }, checker.running)
        this.set({ state: 'queued' }, checker.queued)
        this.set({ state: 'completed' }, checker.counters.completed)
        this.set({ state: 'refused' }, checker.counters.refused)
        this.set({ state: 'replaced' }, checker.counters.replaced)
      },
    })
  }
  const leadership = deps.leadership
  new Gauge({
    name: 'isobar_registry_ready',
    help: '1 when the schemas log has been read and a leader is known (what /ready checks, without the lag probe)',
    registers: [metrics],
    collect() {
      const leaderKnown = !leadership || leadership.isLeader() || leadership.leaderUrl() !== undefined
      this.set(deps.registry.replica.ready && leaderKnown ? 1 : 0)
    },
  })
  // Prometheus text format, outside the Confluent API (clients never call it).
  app.get('/metrics', async (_request, reply) => {
    return reply.type(metrics.contentType).send(await metrics.metrics())
  })
  opsRoutes(app, deps.registry, deps.leadership)
  const forwarder = createForwarder(deps.leadership, deps.fetch ?? fetch, deps.forwardTimeoutMs ?? 30_000)
  subjectRoutes(app, deps.registry, forwarder)
  schemaRoutes(app, deps.registry)
  settingsRoutes(app, deps.registry, forwarder)
  miscRoutes(app)
  return app
}
