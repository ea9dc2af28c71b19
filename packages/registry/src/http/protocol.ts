/**
 * Confluent's HTTP conventions: request bodies in any of the schema-registry JSON content types (or none),
 * content negotiation on Accept, and `{"error_code": N, "message": "..."}` on every error.
 */
import type { Duplex } from 'node:stream'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isRegistryError } from '../errors.ts'

export const V1_JSON = 'application/vnd.schemaregistry.v1+json'
const VND_JSON = 'application/vnd.schemaregistry+json'
const JSON_TYPE = 'application/json'
const PRODUCIBLE = [V1_JSON, VND_JSON, JSON_TYPE]

declare module 'fastify' {
  interface FastifyRequest {
    responseType: string
  }
}

export interface ErrorBody {
  error_code: number
  message: string
}

export function sendError(reply: FastifyReply, status: number, errorCode: number, message: string): FastifyReply {
  return reply
    .code(status)
    .type(reply.request.responseType ?? V1_JSON)
    .send({ error_code: errorCode, message })
}

/** Picks the response content type from Accept (server preference order); undefined = 406. */
export function negotiate(accept: string | undefined): string | undefined {
  if (!accept || accept.trim() === '') return V1_JSON
  const ranges = accept.split(',').map((r) => r.split(';')[0]!.trim().toLowerCase())
  for (const type of PRODUCIBLE) {
    const [major] = type.split('/')
    if (ranges.some((r) => r === type || r === '*/*' || r === `${major}/*` || r === '*')) return type
  }
  return undefined
}

/** True when a query flag is "true" in any letter case (Java's Boolean.valueOf). */
export function flag(value: unknown): boolean {
  const v: unknown = Array.isArray(value) ? (value as unknown[])[0] : value
  return typeof v === 'string' && v.toLowerCase() === 'true'
}

export function queryString(value: unknown): string | undefined {
  const v: unknown = Array.isArray(value) ? (value as unknown[])[0] : value
  return typeof v === 'string' ? v : undefined
}

class BadJsonError extends Error {
  readonly statusCode = 400
}

class BodyShapeError extends Error {
  readonly statusCode = 422
}

/** Deepest nesting accepted in a request body (real bodies nest a few levels; schemas travel as strings). */
export const MAX_BODY_DEPTH = 32

function parseJson(body: string): unknown {
  if (body.trim() === '') return undefined
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch (error) {
    throw new BadJsonError(`Unrecognized JSON in the request body: ${(error as Error).message}`)
  }
  if (depthExceeds(value, MAX_BODY_DEPTH)) {
    throw new BodyShapeError(`The request body nests deeper than ${MAX_BODY_DEPTH} levels`)
  }
  return value
}

/** Iterative, so a hostile body of any depth is measured without recursion. */
function depthExceeds(root: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[root, 0]]
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!
    if (typeof value !== 'object' || value === null) continue
    if (depth >= max) return true
    for (const child of Object.values(value)) stack.push([child, depth + 1])
  }
  return false
}

class UnsupportedMediaTypeError extends Error {
  readonly statusCode = 415
}

type RoutePatterns = Array<{ method: string; pattern: RegExp }>

/** Methods with a route for this path (to answer 405 with `Allow` when it was asked with another method). */
function allowedMethods(routePatterns: RoutePatterns, url: string): string[] {
  const path = url.split('?')[0] ?? ''
  const methods = new Set<string>()
  for (const route of routePatterns) if (route.pattern.test(path)) methods.add(route.method)
  if (methods.has('GET')) methods.add('HEAD')
  return [...methods].sort()
}

function patternOf(url: string): RegExp {
  const body = url
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) return '[^/]+'
      if (segment === '*') return '.*'
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    })
    .join('/')
  return new RegExp(`^${body}/?$`)
}

export function installProtocol(app: FastifyInstance): void {
  app.decorateRequest('responseType', V1_JSON)
  const routePatterns: RoutePatterns = []
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    for (const method of methods) {
      if (method !== 'HEAD') routePatterns.push({ method, pattern: patternOf(route.url) })
    }
  })
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(
    [V1_JSON, VND_JSON, JSON_TYPE, 'application/octet-stream'],
    { parseAs: 'string' },
    (_request, body, done) => {
      try {
        done(null, parseJson(body as string))
      } catch (error) {
        done(error as Error, undefined)
      }
    },
  )
  // No Content-Type at all is accepted as JSON; any other unknown type is 415.
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    if (request.headers['content-type'] !== undefined && request.headers['content-type'] !== '') {
      done(new UnsupportedMediaTypeError('HTTP 415 Unsupported Media Type'), undefined)
      return
    }
    try {
      done(null, parseJson(body as string))
    } catch (error) {
      done(error as Error, undefined)
    }
  })

  app.addHook('onRequest', async (request, reply) => {
    const type = negotiate(request.headers.accept)
    if (type === undefined) {
      request.responseType = V1_JSON
      return sendError(reply, 406, 406, 'HTTP 406 Not Acceptable')
    }
    request.responseType = type
    reply.type(type)
    return undefined
  })

  // Confluent sends exactly `application/vnd.schemaregistry.v1+json`, no `; charset=utf-8` suffix.
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = reply.getHeader('content-type')
    if (typeof type === 'string' && type.includes(';')) {
      const base = type.split(';')[0]!.trim()
      if (PRODUCIBLE.includes(base)) reply.header('content-type', base)
    }
    return payload
  })

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    request.responseType ??= V1_JSON
    const allowed = allowedMethods(routePatterns, request.url)
    if (allowed.length > 0) {
      return sendError(reply.header('allow', allowed.join(', ')), 405, 405, 'HTTP 405 Method Not Allowed')
    }
    return sendError(reply, 404, 404, 'HTTP 404 Not Found')
  })

  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (isRegistryError(error)) return sendError(reply, error.status, error.errorCode, error.message)
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, 413, 413, 'Request body is too large')
    if (error instanceof UnsupportedMediaTypeError || error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendError(reply, 415, 415, 'HTTP 415 Unsupported Media Type')
    }
    const status = error.statusCode ?? 500
    // Fastify's own client errors (bad URL, too long a parameter, bad body): the catalogue's body, never an echo
    // of the raw request target.
    if (error.code === 'FST_ERR_BAD_URL' || error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
      return sendError(reply, 400, 400, 'HTTP 400 Bad Request: the request path is not valid')
    }
    if (status >= 400 && status < 500) return sendError(reply, status, status, error.message)
    request.log.error({ err: error }, 'request failed')
    return sendError(reply, 500, 500, 'Internal Server Error')
  })
}

/** Fastify `frameworkErrors`: errors raised before routing (e.g. bad percent-encoding), in the catalogue format. */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status =
    error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400
  const body = { error_code: status, message: `HTTP ${status} Bad Request: the request target is not valid` }
  // Hooks do not run for these errors: send bytes so no charset is appended to the content type.
  void reply
    .code(status)
    .header('content-type', V1_JSON)
    .send(Buffer.from(JSON.stringify(body)))
}

/**
 * Node's HTTP parser errors (header overflow, malformed chunking, bad request line) never reach Fastify's
 * routing: answer them on the socket in the catalogue format and close it.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy()
    return
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW'
  const status = tooLarge ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400
  const reason = tooLarge ? 'Request Header Fields Too Large' : status === 408 ? 'Request Timeout' : 'Bad Request'
  const body = JSON.stringify({ error_code: status, message: `HTTP ${status} ${reason}` })
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: ${V1_JSON}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  )
}
