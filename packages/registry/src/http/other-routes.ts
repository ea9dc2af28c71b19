/** `/schemas`, `/config`, `/mode`, `/contexts`, `/associations` and `/` routes. */
/* eslint-disable @typescript-eslint/require-await -- route handlers stay async so throws become rejections for the error handler */
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { errors } from '../errors.ts'
import { schemaByIdResponse, schemaResponse, validateSubject, type SchemaResponse } from '../registry/inputs.ts'
import type { Registry } from '../registry/registry.ts'
import type { Forwarder } from './forward.ts'
import { flag, queryString, sendError } from './protocol.ts'
import { writeHandler } from './subject-routes.ts'

type Req = FastifyRequest<{ Params: Record<string, string>; Querystring: Record<string, unknown> }>

/** `offset` / `limit` query parameters: an integer (limit -1 = no limit); anything else is 422. */
function pageNumber(raw: unknown, name: string, fallback: number): number {
  const value = queryString(raw)
  if (value === undefined || value === '') return fallback
  if (!/^-?\d{1,10}$/.test(value)) throw errors.malformed(`"${name}" must be an integer`)
  const n = Number(value)
  if (name === 'offset' ? n < 0 : n < -1) throw errors.malformed(`"${name}" is out of range`)
  return n
}

/** Ids are positive integers; anything else is an unknown route (404/404), as Confluent answers. */
function idOf(request: Req): number | undefined {
  const raw = request.params.id ?? ''
  return /^\d{1,10}$/.test(raw) ? Number(raw) : undefined
}

export function schemaRoutes(app: FastifyInstance, registry: Registry): void {
  const lookupId = (request: Req) => {
    const id = idOf(request)
    const schema = id === undefined ? undefined : registry.state.schemaById(id)
    return { id, schema }
  }

  // Confluent 7.x `GET /schemas`: every (subject, version) as a Schema, ordered by subject then version.
  app.get('/schemas', async (request: Req) => {
    const q = request.query
    const prefix = queryString(q.subjectPrefix)
    const deleted = flag(q.deleted)
    const latestOnly = flag(q.latestOnly)
    const offset = pageNumber(q.offset, 'offset', 0)
    const limit = pageNumber(q.limit, 'limit', -1)
    const out: SchemaResponse[] = []
    for (const subject of registry.state.subjects(deleted)) {
      if (prefix !== undefined && prefix !== ':*:' && !subject.startsWith(prefix)) continue
      const versions = registry.state.versions(subject).filter((e) => deleted || !e.deleted)
      const chosen = latestOnly ? versions.slice(-1) : versions
      for (const entry of chosen) out.push(schemaResponse(entry))
    }
    return out.slice(offset, limit < 0 ? undefined : offset + limit)
  })

  app.get('/schemas/ids/:id', async (request: Req, reply) => {
    const { id, schema } = lookupId(request)
    if (id === undefined) return sendError(reply, 404, 404, 'HTTP 404 Not Found')
    if (!schema) throw errors.schemaNotFound(id)
    return schemaByIdResponse(schema)
  })

  app.get('/schemas/ids/:id/schema', async (request: Req, reply) => {
    const { id, schema } = lookupId(request)
    if (id === undefined) return sendError(reply, 404, 404, 'HTTP 404 Not Found')
    if (!schema) throw errors.schemaNotFound(id)
    return schema.schema
  })

  const usersOf = (request: Req) => {
    const id = idOf(request)
    if (id === undefined || !registry.state.schemaById(id)) throw errors.schemaNotFound(request.params.id)
    const deleted = flag(request.query.deleted)
    const subject = queryString(request.query.subject)
    return registry.state
      .usersOf(id)
      .filter((u) => deleted || registry.state.version(u.subject, u.version)?.deleted !== true)
      .filter((u) => subject === undefined || u.subject === subject)
  }
  app.get('/schemas/ids/:id/versions', async (request: Req) => usersOf(request))
  app.get('/schemas/ids/:id/subjects', async (request: Req) => [...new Set(usersOf(request).map((u) => u.subject))])

  app.get('/schemas/guids/:guid', async (request: Req) => {
    const id = registry.state.idForGuid((request.params.guid ?? '').toLowerCase())
    const schema = id === undefined ? undefined : registry.state.schemaById(id)
    if (!schema) throw errors.schemaNotFound(request.params.guid)
    return schemaByIdResponse(schema)
  })

  app.get('/schemas/types', async () => ['JSON', 'AVRO'])
}

export function settingsRoutes(app: FastifyInstance, registry: Registry, forwarder: Forwarder): void {
  const settings = registry.settings
  const subjectOf = (request: Req): string => {
    const subject = request.params.subject ?? ''
    validateSubject(subject)
    return subject
  }

  app.get('/config', async () => settings.getConfig(null))
  app.put(
    '/config',
    writeHandler(forwarder, async (request) => settings.setConfig(null, request.body)),
  )
  app.delete(
    '/config',
    writeHandler(forwarder, async () => settings.deleteConfig(null)),
  )
  app.get('/config/:subject', async (request: Req) =>
    settings.getConfig(subjectOf(request), flag(request.query.defaultToGlobal)),
  )
  app.put(
    '/config/:subject',
    writeHandler(forwarder, async (request) => settings.setConfig(subjectOf(request), request.body)),
  )
  app.delete(
    '/config/:subject',
    writeHandler(forwarder, async (request) => settings.deleteConfig(subjectOf(request))),
  )

  app.get('/mode', async () => settings.getMode(null))
  app.put(
    '/mode',
    writeHandler(forwarder, async (request) => settings.setMode(null, request.body, flag(request.query.force))),
  )
  app.get('/mode/:subject', async (request: Req) =>
    settings.getMode(subjectOf(request), flag(request.query.defaultToGlobal)),
  )
  app.put(
    '/mode/:subject',
    writeHandler(forwarder, async (request) =>
      settings.setMode(subjectOf(request), request.body, flag(request.query.force)),
    ),
  )
  app.delete(
    '/mode/:subject',
    writeHandler(forwarder, async (request) => settings.deleteMode(subjectOf(request))),
  )
}

export function miscRoutes(app: FastifyInstance): void {
  app.get('/', async () => ({}))
  app.get('/contexts', async () => ['.'])
  // Newer clients ask for associations before (de)serialising and fall back to TopicNameStrategy on [].
  app.get('/associations', async () => [])
  app.get('/associations/*', async () => [])
}
