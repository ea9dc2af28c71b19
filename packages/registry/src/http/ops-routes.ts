/**
 * `/health` (the process answers) and `/ready` (the state has caught up with `_schemas` and a leader is known,
 * so writes can be served). Outside the Confluent API; public even when basic auth is on.
 */
/* eslint-disable @typescript-eslint/require-await -- route handlers stay async so throws become rejections for the error handler */
import type { FastifyInstance } from 'fastify'
import type { Registry } from '../registry/registry.ts'
import type { Leadership } from './forward.ts'
import { sendError } from './protocol.ts'

/** How long /ready waits for the log's end offset before answering not ready. */
const READY_PROBE_TIMEOUT_MS = 2000

export function opsRoutes(app: FastifyInstance, registry: Registry, leadership: Leadership | undefined): void {
  app.get('/health', async () => ({ status: 'UP' }))

  app.get('/ready', async (_request, reply) => {
    const problems: string[] = []
    const lag = await withTimeout(registry.replica.lag(), READY_PROBE_TIMEOUT_MS).catch(() => undefined)
    if (!registry.replica.ready) problems.push('the schemas log has not been read yet')
    else if (lag === undefined) problems.push('the end of the schemas log cannot be read')
    else if (lag > 0n) problems.push(`${lag} schemas log records not applied yet`)
    if (leadership && !leadership.isLeader() && leadership.leaderUrl() === undefined) {
      problems.push('no registry leader known')
    }
    if (problems.length > 0) return sendError(reply, 503, 50301, `Not ready: ${problems.join('; ')}`)
    return { status: 'READY', offset: String(registry.state.lastOffset) }
  })
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
