/** `/subjects/...` and `/compatibility/...` routes. */
/* eslint-disable @typescript-eslint/require-await -- route handlers stay async so throws become rejections for the error handler */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { parseVersion, schemaResponse, validateSubject } from '../registry/inputs.ts'
import type { Registry } from '../registry/registry.ts'
import type { Forwarder } from './forward.ts'
import { flag, queryString } from './protocol.ts'

type Req = FastifyRequest<{ Params: Record<string, string>; Querystring: Record<string, unknown> }>

/** Wraps a write handler so followers forward it to the leader first. */
export function writeHandler(
  forwarder: Forwarder,
  handle: (request: Req, reply: FastifyReply) => Promise<unknown>,
): (request: Req, reply: FastifyReply) => Promise<unknown> {
  return async (request, reply) => {
    if (await forwarder.maybeForward(request, reply)) return reply
    return handle(request, reply)
  }
}

const subjectOf = (request: Req): string => {
  const subject = request.params.subject ?? ''
  validateSubject(subject)
  return subject
}

export function subjectRoutes(app: FastifyInstance, registry: Registry, forwarder: Forwarder): void {
  app.get('/subjects', async (request: Req) => {
    const q = request.query
    const prefix = queryString(q.subjectPrefix) ?? queryString(q.subject)
    return registry.listSubjects({
      deleted: flag(q.deleted),
      deletedOnly: flag(q.deletedOnly) || flag(q.deleted_only),
      ...(prefix !== undefined && prefix !== ':*:' ? { prefix } : {}),
    })
  })

  app.get('/subjects/:subject/versions', async (request: Req) =>
    registry.listVersions(subjectOf(request), {
      deleted: flag(request.query.deleted),
      deletedOnly: flag(request.query.deletedOnly),
    }),
  )

  app.get('/subjects/:subject/versions/:version', async (request: Req) => {
    const version = parseVersion(request.params.version ?? '')
    return schemaResponse(registry.getVersion(subjectOf(request), version, flag(request.query.deleted)))
  })

  app.get('/subjects/:subject/versions/:version/schema', async (request: Req) => {
    const version = parseVersion(request.params.version ?? '')
    return registry.getVersion(subjectOf(request), version, flag(request.query.deleted)).schema
  })

  app.get('/subjects/:subject/versions/:version/referencedby', async (request: Req) => {
    const entry = registry.getVersion(subjectOf(request), parseVersion(request.params.version ?? ''), true)
    return [...new Set(registry.state.referencedBy(entry.subject, entry.version).map((e) => e.id))].sort(
      (a, b) => a - b,
    )
  })

  app.post(
    '/subjects/:subject/versions',
    writeHandler(forwarder, async (request) => {
      const result = await registry.register(subjectOf(request), request.body, {
        normalize: flag(request.query.normalize),
      })
      return result
    }),
  )

  app.post('/subjects/:subject', async (request: Req) =>
    registry.lookup(subjectOf(request), request.body, {
      normalize: flag(request.query.normalize),
      deleted: flag(request.query.deleted),
    }),
  )

  app.delete(
    '/subjects/:subject',
    writeHandler(forwarder, async (request) =>
      registry.deletions.deleteSubject(subjectOf(request), flag(request.query.permanent)),
    ),
  )

  app.delete(
    '/subjects/:subject/versions/:version',
    writeHandler(forwarder, async (request) =>
      registry.deletions.deleteVersion(
        subjectOf(request),
        parseVersion(request.params.version ?? ''),
        flag(request.query.permanent),
      ),
    ),
  )

  const compatibility = (target: (request: Req) => number | 'latest' | 'all') => async (request: Req) => {
    const verbose = flag(request.query.verbose)
    const result = await registry.checkCompatibility(subjectOf(request), target(request), request.body, {
      normalize: flag(request.query.normalize),
      verbose,
    })
    return verbose
      ? { is_compatible: result.compatible, messages: result.messages }
      : { is_compatible: result.compatible }
  }
  app.post(
    '/compatibility/subjects/:subject/versions/:version',
    compatibility((request) => parseVersion(request.params.version ?? '')),
  )
  app.post(
    '/compatibility/subjects/:subject/versions',
    compatibility(() => 'all'),
  )
}
