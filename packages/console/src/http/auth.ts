import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { UnauthorizedError } from '../errors.ts'

/** Public parts of /api: the docs page and the OpenAPI document (a browser cannot attach a bearer token to them). */
const PUBLIC_API_PATHS = [/^\/api\/docs(\/|$)/, /^\/api\/openapi\.json$/]

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

/** Every /api route requires `Authorization: Bearer <token>`; /health, /ready and /metrics do not. */
export function installBearerAuth(app: FastifyInstance, token: string): void {
  const expected = digest(token)
  app.addHook('onRequest', (request, _reply, done) => {
    const path = request.url.split('?', 1)[0] ?? ''
    const isPublic = (!path.startsWith('/api/') && path !== '/api') || PUBLIC_API_PATHS.some((p) => p.test(path))
    const match = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '')
    // Compare digests so the comparison time says nothing about the token.
    const authorized = isPublic || (match?.[1] !== undefined && timingSafeEqual(digest(match[1].trim()), expected))
    done(authorized ? undefined : new UnauthorizedError())
  })
}
