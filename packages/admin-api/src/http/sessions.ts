import { createHash, randomBytes } from 'node:crypto'
import type { Role } from './access.ts'

export const SESSION_COOKIE = 'isobar_session'
const TWELVE_HOURS_MS = 12 * 60 * 60 * 1000

export interface SessionStoreOptions {
  /** Sessions kept at most; the oldest is dropped to make room. Default 1000. */
  maxSessions?: number
  /** Lifetime of a session from login. Default 12 h. */
  ttlMs?: number
  now?: () => number
}

interface Session {
  role: Role
  expiresAt: number
}

/**
 * Server-side browser sessions: the cookie carries only a random 32-byte id. The store is keyed by the id's
 * SHA-256, so the id itself is never kept in memory longer than a request, and a lookup's timing says nothing.
 */
export class SessionStore {
  readonly #sessions = new Map<string, Session>()
  readonly #max: number
  readonly #ttlMs: number
  readonly #now: () => number

  constructor(options: SessionStoreOptions = {}) {
    this.#max = options.maxSessions ?? 1000
    this.#ttlMs = options.ttlMs ?? TWELVE_HOURS_MS
    this.#now = options.now ?? Date.now
  }

  get size(): number {
    return this.#sessions.size
  }

  /** A new session for `role`; returns the id to put in the cookie. */
  create(role: Role): string {
    this.#dropExpired()
    // Maps iterate in insertion order, so the first key is the oldest session.
    while (this.#sessions.size >= this.#max) {
      const oldest = this.#sessions.keys().next().value
      if (oldest === undefined) break
      this.#sessions.delete(oldest)
    }
    const id = randomBytes(32).toString('base64url')
    this.#sessions.set(key(id), { role, expiresAt: this.#now() + this.#ttlMs })
    return id
  }

  /** The role of a live session, or undefined (unknown or expired). */
  roleOf(id: string): Role | undefined {
    const k = key(id)
    const session = this.#sessions.get(k)
    if (!session) return undefined
    if (session.expiresAt <= this.#now()) {
      this.#sessions.delete(k)
      return undefined
    }
    return session.role
  }

  delete(id: string): void {
    this.#sessions.delete(key(id))
  }

  #dropExpired(): void {
    const now = this.#now()
    for (const [k, session] of this.#sessions) if (session.expiresAt <= now) this.#sessions.delete(k)
  }
}

function key(id: string): string {
  return createHash('sha256').update(id).digest('base64url')
}

/** The session id from a Cookie header (first `isobar_session` pair), if any. */
export function sessionIdFrom(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined
  for (const pair of cookieHeader.split(';')) {
    const eq = pair.indexOf('=')
    if (eq > 0 && pair.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = pair.slice(eq + 1).trim()
      return /^[A-Za-z0-9_-]{43}$/.test(value) ? value : undefined
    }
  }
  return undefined
}

export function sessionCookie(id: string): string {
  return `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/`
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`
}
