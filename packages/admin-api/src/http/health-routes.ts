import type { Registry } from '@isobar/core'
import type { FastifyInstance } from 'fastify'
import { NotReadyError } from '../errors.ts'
import type { RouteContext } from './context.ts'

export interface ReadinessChecks {
  /** Resolves when the schema registry answers; absent when none is configured. */
  registry?: () => Promise<void>
  /** Bound of each check. Default 5 s. */
  timeoutMs?: number
}

function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${timeoutMs} ms`)), timeoutMs)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** /health (process alive), /ready (Kafka and, when configured, the registry answer) and /metrics: no auth. */
export function healthRoutes(
  app: FastifyInstance,
  ctx: RouteContext,
  metrics: Registry,
  checks: ReadinessChecks,
): void {
  const hidden = { config: { access: 'public' as const }, schema: { hide: true } }
  app.get('/health', hidden, () => ({ status: 'ok' }))

  app.get('/ready', hidden, async () => {
    const timeoutMs = checks.timeoutMs ?? 5000
    try {
      await within(ctx.admin.describeCluster(), timeoutMs, 'Kafka')
    } catch (error) {
      throw new NotReadyError(`Kafka is not reachable: ${(error as Error).message}`, error)
    }
    if (checks.registry) {
      try {
        await within(checks.registry(), timeoutMs, 'The schema registry')
      } catch (error) {
        throw new NotReadyError(`Schema registry is not reachable: ${(error as Error).message}`, error)
      }
    }
    return { status: 'ready', kafka: 'ok', registry: checks.registry ? 'ok' : 'not configured' }
  })

  app.get('/metrics', hidden, async (_request, reply) =>
    reply.header('content-type', metrics.contentType).send(await metrics.metrics()),
  )
}
