import { isIsobarError } from '@isobar/core'
import type { FastifyError, FastifyInstance } from 'fastify'
import { ConsoleErrorCodes, httpStatusOf } from '../errors.ts'

/** Every failure becomes `{"error": code, "message": …}` with a fitting status; nothing reaches the process. */
export function installErrorHandling(app: FastifyInstance): void {
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
      return reply.code(error.statusCode).send({ error: ConsoleErrorCodes.INVALID_REQUEST, message: error.message })
    }
    request.log.error({ err: error }, 'unexpected error')
    return reply.code(500).send({ error: ConsoleErrorCodes.INTERNAL, message: 'Internal error' })
  })
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: ConsoleErrorCodes.ROUTE_NOT_FOUND,
      message: `No route ${request.method} ${request.url.split('?', 1)[0] ?? ''}`,
    }),
  )
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
