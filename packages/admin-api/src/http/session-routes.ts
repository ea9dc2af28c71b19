import type { FastifyInstance } from 'fastify'
import { UnauthorizedError } from '../errors.ts'
import { identityOf, type AccessControl } from './access.ts'
import { errorResponses, errorSchema, roleSchema } from './schemas.ts'
import { clearedSessionCookie, sessionCookie, sessionIdFrom } from './sessions.ts'

/**
 * The browser console's login: trade a token for an HttpOnly, SameSite=Strict session cookie. Changes made with
 * the cookie also need `X-Requested-With: isobar` (checked by the access hook), which a cross-site form cannot send.
 */
export function sessionRoutes(app: FastifyInstance, control: AccessControl): void {
  const role = {
    type: 'object',
    required: ['role'],
    additionalProperties: false,
    properties: { role: roleSchema },
    description: 'The role of the session',
  }

  app.post<{ Body: { token: string } }>(
    '/api/session',
    {
      config: { access: 'public' },
      schema: {
        tags: ['session'],
        summary: 'Log in: exchange a token for a session cookie (isobar_session, HttpOnly, SameSite=Strict, 12 h)',
        body: {
          type: 'object',
          required: ['token'],
          additionalProperties: false,
          properties: { token: { type: 'string', minLength: 1, maxLength: 1024 } },
        },
        response: { 200: role, ...errorResponses(413, 415) },
      },
    },
    async (request, reply) => {
      const granted = control.tokens.roleOf(request.body.token)
      if (!granted) throw new UnauthorizedError()
      const id = control.sessions.create(granted)
      return reply.header('set-cookie', sessionCookie(id)).send({ role: granted })
    },
  )

  app.get(
    '/api/session',
    {
      config: { access: 'read' },
      schema: {
        tags: ['session'],
        summary: 'The role of the current session (or bearer token)',
        security: [{ bearerAuth: [] }, { sessionCookie: [] }],
        response: { 200: role, ...errorResponses() },
      },
    },
    (request) => ({ role: identityOf(request)?.role }),
  )

  app.delete(
    '/api/session',
    {
      config: { access: 'public' },
      schema: {
        tags: ['session'],
        summary: 'Log out: forget the session and clear the cookie (always 204)',
        response: {
          204: { type: 'null', description: 'Logged out' },
          400: errorSchema,
          413: errorSchema,
          415: errorSchema,
        },
      },
    },
    async (request, reply) => {
      const id = sessionIdFrom(request.headers.cookie)
      if (id !== undefined) control.sessions.delete(id)
      return reply.code(204).header('set-cookie', clearedSessionCookie()).send()
    },
  )
}
