/**
 * Optional HTTP basic authentication, like Confluent's (`authentication.method=BASIC`): off unless users are
 * configured. When on, access is decided per *matched route* (the pattern the router chose, never the raw URL):
 * `/health`, `/ready` and `/metrics` are public; reads (GETs, lookups, compatibility checks) need any user;
 * every other route, and any request no route matches, needs the `admin` role. Deny by default.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { sendError } from './protocol.ts'

export type Role = 'readonly' | 'admin'

export interface BasicAuthUser {
  password: string
  role: Role
}

export interface BasicAuthOptions {
  /** Users by name. */
  users: ReadonlyMap<string, BasicAuthUser>
  /** Realm in `WWW-Authenticate`. Default `SchemaRegistry`. */
  realm?: string
}

type Access = 'public' | 'read' | 'admin'

const PUBLIC_ROUTES = new Set(['GET /health', 'GET /ready', 'GET /metrics'])
/** POST routes that only read (lookup and compatibility checks). */
const READ_POSTS = new Set([
  'POST /subjects/:subject',
  'POST /compatibility/subjects/:subject/versions/:version',
  'POST /compatibility/subjects/:subject/versions',
])

/** What a request needs, from the route the router matched (undefined = no route: deny unless admin). */
export function accessFor(method: string, routeUrl: string | undefined): Access {
  if (routeUrl === undefined) return 'admin'
  const verb = method === 'HEAD' ? 'GET' : method
  const key = `${verb} ${routeUrl}`
  if (PUBLIC_ROUTES.has(key)) return 'public'
  if (verb === 'GET' || READ_POSTS.has(key)) return 'read'
  return 'admin'
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest()

/** The user whose credentials the `Authorization: Basic` header carries, or undefined. */
export function authenticate(header: string | undefined, users: BasicAuthOptions['users']): BasicAuthUser | undefined {
  if (header === undefined) return undefined
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header)
  if (!match) return undefined
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon <= 0) return undefined
  const user = users.get(decoded.slice(0, colon))
  // Compare digests in constant time, and do the same work for unknown users.
  const given = digest(decoded.slice(colon + 1))
  const expected = digest(user?.password ?? '\u0000unknown-user')
  return user !== undefined && timingSafeEqual(given, expected) ? user : undefined
}

export function installBasicAuth(app: FastifyInstance, options: BasicAuthOptions): void {
  const challenge = `Basic realm="${options.realm ?? 'SchemaRegistry'}", charset="UTF-8"`
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const access = accessFor(request.method, request.routeOptions.url)
    if (access === 'public') return undefined
    const user = authenticate(request.headers.authorization, options.users)
    if (!user) return sendError(reply.header('www-authenticate', challenge), 401, 401, 'Unauthorized')
    if (access === 'admin' && user.role !== 'admin') {
      return sendError(reply, 403, 403, 'Forbidden: this operation needs the admin role')
    }
    return undefined
  })
}

/**
 * Parses users from `user:password:role` entries separated by commas or newlines (role `admin` or `readonly`,
 * default `readonly`), or Confluent's JAAS property-file lines `user: password,role`. Lines starting with `#`
 * are comments. Throws on a malformed entry, naming its position (never its content).
 */
export function parseBasicAuthUsers(text: string): Map<string, BasicAuthUser> {
  const users = new Map<string, BasicAuthUser>()
  const entries = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .flatMap((line) => (/^[^:\s]+:\s+/.test(line) ? [line] : line.split(',').map((e) => e.trim())))
    .filter((entry) => entry !== '')
  entries.forEach((entry, index) => {
    let name: string
    let password: string
    let role: string | undefined
    const jaas = /^([^:\s]+):\s+([^,]*)(?:,\s*(\S+))?.*$/.exec(entry)
    if (jaas) {
      ;[, name, password, role] = jaas as unknown as [string, string, string, string | undefined]
    } else {
      const parts = entry.split(':')
      if (parts.length < 2 || parts.length > 3)
        throw new Error(`basic auth user entry ${index + 1} is not user:password[:role]`)
      ;[name, password, role] = parts as [string, string, string | undefined]
    }
    const normalized = (role ?? 'readonly').toLowerCase()
    const resolved: Role | undefined =
      normalized === 'admin' ? 'admin' : normalized === 'readonly' || normalized === 'read' ? 'readonly' : undefined
    if (!name || !password || resolved === undefined) {
      throw new Error(`basic auth user entry ${index + 1} needs a name, a password and role admin or readonly`)
    }
    users.set(name, { password, role: resolved })
  })
  return users
}
