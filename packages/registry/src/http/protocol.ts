/**
 * Confluent's HTTP conventions: request bodies in any of the schema-registry JSON content types (or none),
 * content negotiation on Accept, and `{"error_code": N, "message": "..."}` on every error.
 */
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

function parseJson(body: string): unknown {
  if (body.trim() === '') return undefined
  try {
    return JSON.parse(body)
  } catch (error) {
    throw new BadJsonError(`Unrecognized JSON in the request body: ${(error as Error).message}`)
  }
}

class UnsupportedMediaTypeError extends Error {
  readonly statusCode = 415
}

export function installProtocol(app: FastifyInstance): void {
  app.decorateRequest('responseType', V1_JSON)
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

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    request.responseType ??= V1_JSON
    return sendError(reply, 404, 404, 'HTTP 404 Not Found')
  })

  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (isRegistryError(error)) return sendError(reply, error.status, error.errorCode, error.message)
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, 413, 413, 'Request body is too large')
    if (error instanceof UnsupportedMediaTypeError || error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return sendError(reply, 415, 415, 'HTTP 415 Unsupported Media Type')
    }
    const status = error.statusCode ?? 500
    if (status >= 400 && status < 500) return sendError(reply, status, status, error.message)
    request.log.error({ err: error }, 'request failed')
    return sendError(reply, 500, 500, 'Internal Server Error')
  })
}
