/**
 * Authorization, decided per route: every route declares `config: { access }` in its definition and one
 * onRequest hook reads the *matched* route's config, so what is checked is exactly what runs (no path prefixes,
 * no raw-URL matching). A route without `access` needs the admin role (deny by default).
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ForbiddenError, InvalidRequestError, UnauthorizedError } from '../errors.ts'
import { sessionIdFrom, type SessionStore } from './sessions.ts'

/** `public`: anyone; `read`: the read-only or the admin role; `admin`: the admin role only. */
export type Access = 'public' | 'read' | 'admin'
export type Role = 'read' | 'admin'

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access
  }
}

export interface Identity {
  role: Role
  via: 'bearer' | 'cookie'
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
export const CSRF_HEADER = 'x-requested-with'
export const CSRF_VALUE = 'isobar'

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest()
}

/** The configured tokens; compared by digest in constant time, so timing says nothing about them. */
export class Tokens {
  readonly #admin: Buffer
  readonly #read: Buffer | undefined

  constructor(adminToken: string, readToken?: string) {
    if (adminToken.length === 0) throw new Error('the admin token must not be empty')
    if (readToken !== undefined && (readToken.length === 0 || readToken === adminToken)) {
      throw new Error('the read-only token must be non-empty and differ from the admin token')
    }
    this.#admin = digest(adminToken)
    this.#read = readToken === undefined ? undefined : digest(readToken)
  }

  roleOf(token: string): Role | undefined {
    const given = digest(token)
    if (timingSafeEqual(given, this.#admin)) return 'admin'
    if (this.#read && timingSafeEqual(given, this.#read)) return 'read'
    return undefined
  }
}

/**
 * Why a request target is refused, or undefined when it is a plain origin-form path. Absolute-form
 * (`http://host/api/…`), empty segments (`//`), dot segments (also `%2e`), encoded or back slashes and bad
 * percent-encoding could be read differently by a proxy, a logger and the router: none is needed, all are refused.
 */
export function targetProblem(rawUrl: string): string | undefined {
  if (!rawUrl.startsWith('/')) return 'only origin-form request targets (a path starting with "/") are accepted'
  const path = rawUrl.split('?', 1)[0] ?? ''
  if (path.includes('//')) return 'empty path segments ("//") are not accepted'
  if (path.includes('\\') || /%(2f|5c)/i.test(path)) return 'encoded slashes and backslashes are not accepted'
  for (const segment of path.split('/')) {
    let decoded: string
    try {
      decoded = decodeURIComponent(segment)
    } catch {
      return 'the path has a malformed percent-encoding'
    }
    if (decoded === '.' || decoded === '..') return 'dot segments ("." and "..") are not accepted'
  }
  return undefined
}

const identities = new WeakMap<FastifyRequest, Identity>()

/** Who made an authorized request (set by the access hook on every non-public route). */
export function identityOf(request: FastifyRequest): Identity | undefined {
  return identities.get(request)
}

export interface AccessControl {
  tokens: Tokens
  sessions: SessionStore
}

/** The credentials a request carries: an Authorization header decides alone; else the session cookie. */
export function identify(request: FastifyRequest, control: AccessControl): Identity | undefined {
  const header = request.headers.authorization
  if (header !== undefined) {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header)
    const role = match?.[1] === undefined ? undefined : control.tokens.roleOf(match[1])
    return role ? { role, via: 'bearer' } : undefined
  }
  const id = sessionIdFrom(request.headers.cookie)
  const role = id === undefined ? undefined : control.sessions.roleOf(id)
  return role ? { role, via: 'cookie' } : undefined
}

export function installAccessControl(app: FastifyInstance, control: AccessControl): void {
  app.addHook('onRequest', (request, _reply, done) => {
    try {
      const problem = targetProblem(request.raw.url ?? '')
      if (problem) throw new InvalidRequestError(`Bad request target: ${problem}`)
      // Unmatched: the not-found handler only answers 404/405, it executes nothing.
      if (request.is404) return done()
      const access: Access = request.routeOptions.config.access ?? 'admin'
      if (access === 'public') return done()
      const identity = identify(request, control)
      if (!identity) throw new UnauthorizedError()
      if (access === 'admin' && identity.role !== 'admin') {
        throw new ForbiddenError(`${request.method} ${request.routeOptions.url ?? ''} needs the admin role`)
      }
      if (identity.via === 'cookie' && !SAFE_METHODS.has(request.method)) {
        if (request.headers[CSRF_HEADER] !== CSRF_VALUE) {
          throw new ForbiddenError(
            `Changes authenticated by the session cookie need the header "X-Requested-With: ${CSRF_VALUE}"`,
          )
        }
      }
      identities.set(request, identity)
      done()
    } catch (error) {
      done(error as Error)
    }
  })
}

/**
 * Registers routes that are all public (the docs UI, a web app's static files) in their own scope, marking each
 * one `access: 'public'` as it is added: explicit in the route config, like every other route.
 */
export async function publicScope(
  app: FastifyInstance,
  register: (scope: FastifyInstance) => Promise<void>,
): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, access: 'public' }
    })
    await register(scope)
  })
}
