import type { Socket } from 'node:net'
import { isIsobarError } from '@isobar/core'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ConsoleErrorCodes, httpStatusOf } from '../errors.ts'
import type { RouteTable } from './route-table.ts'

export interface ErrorBody {
  error: string
  message: string
}

/** Catalogue codes for the 4xx errors Fastify raises itself (body parsing, limits, URL decoding). */
const CODE_BY_STATUS: Record<number, string> = {
  405: ConsoleErrorCodes.METHOD_NOT_ALLOWED,
  413: ConsoleErrorCodes.PAYLOAD_TOO_LARGE,
  414: ConsoleErrorCodes.URI_TOO_LONG,
  415: ConsoleErrorCodes.UNSUPPORTED_MEDIA_TYPE,
  431: ConsoleErrorCodes.HEADERS_TOO_LARGE,
}

/** Messages for Fastify's own errors that would otherwise echo the request (URL, header values). */
const FRAMEWORK_MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: 'The URL path is not valid (malformed percent-encoding)',
  FST_ERR_MAX_PARAM_LENGTH: 'A path parameter is longer than the maximum accepted length',
  FST_ERR_ASYNC_CONSTRAINT: 'The request could not be routed',
}

/** The body of every error answer: a stable catalogue code and one readable line. */
export function errorBody(status: number, message: string): ErrorBody {
  return { error: CODE_BY_STATUS[status] ?? ConsoleErrorCodes.INVALID_REQUEST, message }
}

function shown(path: string): string {
  return path.length > 120 ? `${path.slice(0, 120)}…` : path
}

/** Every failure becomes `{"error": code, "message": …}` with a fitting status; nothing reaches the process. */
export function installErrorHandling(app: FastifyInstance, routes: RouteTable): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.validation) {
      return reply.code(400).send({ error: ConsoleErrorCodes.INVALID_REQUEST, message: validationMessage(error) })
    }
    if (isIsobarError(error)) {
      const status = httpStatusOf(error.code)
      if (status >= 500) request.log.error({ err: error }, 'request failed')
      return reply.code(status).send({ error: error.code, message: error.message })
    }
    // Fastify's own client errors: malformed JSON, wrong content type, body too large…
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      const message = FRAMEWORK_MESSAGES[error.code] ?? error.message
      return reply.code(error.statusCode).send(errorBody(error.statusCode, message))
    }
    request.log.error({ err: error }, 'unexpected error')
    return reply.code(500).send({ error: ConsoleErrorCodes.INTERNAL, message: 'Internal error' })
  })
  app.setNotFoundHandler((request, reply) => notFound(routes, request, reply))
}

function notFound(routes: RouteTable, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = request.url.split('?', 1)[0] ?? ''
  let decoded = path
  try {
    decoded = decodeURIComponent(path)
  } catch {
    // Refused earlier by the access hook; keep the raw path.
  }
  const allowed = routes.allowedMethods(decoded)
  if (allowed.length > 0) {
    return reply
      .code(405)
      .header('allow', allowed.join(', '))
      .send({
        error: ConsoleErrorCodes.METHOD_NOT_ALLOWED,
        message: `${request.method} is not allowed on ${shown(path)} (allowed: ${allowed.join(', ')})`,
      })
  }
  return reply
    .code(404)
    .send({ error: ConsoleErrorCodes.ROUTE_NOT_FOUND, message: `No route ${request.method} ${shown(path)}` })
}

/** Fastify's `frameworkErrors`: bad URL encoding and too-long params, answered before routing. */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? 400
  void reply.code(status).send(errorBody(status, FRAMEWORK_MESSAGES[error.code] ?? 'The request is not valid'))
}

/**
 * Node's `clientError` (the request could not even be parsed: header overflow, broken chunking, timeout):
 * answered on the socket in the catalogue format, then the connection is closed.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  let status = 400
  let message = `Malformed HTTP request (${error.code ?? 'parse error'})`
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    status = 431
    message = 'The request headers are larger than the server accepts'
  } else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    status = 408
    message = 'The request was not received in time'
  }
  const body = JSON.stringify(errorBody(status, message))
  const reason = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' }[status]
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(error)
}

/** Fastify's message names the field, except for unknown properties, whose name sits in the Ajv error params. */
function validationMessage(error: FastifyError): string {
  const first = error.validation?.[0]
  const unknown = first?.params?.additionalProperty
  if (first && typeof unknown === 'string') {
    return `${error.validationContext ?? 'body'}${first.instancePath} must not have property '${unknown}'`
  }
  return error.message
}
