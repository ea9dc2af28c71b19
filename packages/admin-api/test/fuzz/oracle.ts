/** What the fuzz sends with (credentials, inject or a raw socket) and how it judges an answer. */
import assert from 'node:assert/strict'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { rawRequest } from '../raw-http.ts'
import type { Operation } from './requests.ts'

export interface Reply {
  status: number
  headers: Record<string, string | string[] | number | undefined>
  body: string
}

/** Credentials, with the status a request on a route they do not open must get (401 unknown, 403 too few rights). */
export type Credentials = (
  | { kind: 'none' }
  | { kind: 'header'; authorization: string }
  | { kind: 'cookie'; cookie: string; csrf: string | undefined }
) & { refused?: 401 | 403 }

export const key = (op: Operation): string => `${op.method} ${op.template}`

export function assertCatalogue(reply: Reply, what: string): void {
  let body: unknown
  try {
    body = JSON.parse(reply.body)
  } catch {
    assert.fail(`${what}: ${reply.status} with a body that is not JSON: ${reply.body.slice(0, 200)}`)
  }
  const { error, message } = body as { error?: unknown; message?: unknown }
  assert.deepEqual(Object.keys(body as object).sort(), ['error', 'message'], `${what}: ${reply.body.slice(0, 300)}`)
  assert.match(String(error), /^ISOBAR_(CONSOLE|CORE)_[A-Z_]+$/, what)
  assert.ok(typeof message === 'string' && message.length > 0, what)
}

/**
 * Sends a generated request with credentials. inject() normalizes dot segments like a browser would, so targets
 * that must arrive as written go over a real socket to `port`.
 */
export function sender(
  app: FastifyInstance,
  port: number,
): (
  request: { method: string; url: string; payload?: string | undefined },
  credentials: Credentials,
  viaSocket?: boolean,
) => Promise<Reply> {
  return async (request, credentials, viaSocket = false) => {
    const headers: Record<string, string> = {}
    if (request.payload !== undefined) headers['content-type'] = 'application/json'
    if (credentials.kind === 'header') headers.authorization = credentials.authorization
    if (credentials.kind === 'cookie') {
      headers.cookie = credentials.cookie
      if (credentials.csrf !== undefined) headers['x-requested-with'] = credentials.csrf
    }
    if (viaSocket) {
      const body = request.payload ?? ''
      if (body) headers['content-length'] = String(Buffer.byteLength(body))
      const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`)
      const head = `${request.method} ${request.url} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${lines.join('')}`
      return rawRequest(port, `${head}\r\n${body}`)
    }
    const response: LightMyRequestResponse = await app.inject({
      method: request.method as 'GET',
      url: request.url,
      headers,
      ...(request.payload === undefined ? {} : { payload: request.payload }),
    })
    return { status: response.statusCode, headers: response.headers, body: response.body }
  }
}

/** The documented operation the router picks for a method and an (encoded) URL: decoded, trailing slash ignored. */
export function routeOf(operations: Operation[], method: string, url: string): Operation | undefined {
  let path: string
  try {
    path = decodeURIComponent(url.split('?', 1)[0] ?? '').replace(/(.)\/$/, '$1')
  } catch {
    return undefined // malformed percent-encoding: no route takes it
  }
  return operations.find((op) => {
    if (op.method !== method) return false
    const pattern = op.template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')
    return new RegExp(`^${pattern}$`).test(path)
  })
}
