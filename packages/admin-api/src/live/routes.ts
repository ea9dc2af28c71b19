import type { FastifyInstance } from 'fastify'
import { errorResponses, secured } from '../http/schemas.ts'
import { parseLiveFilter, type LiveQuery } from './filter.ts'
import type { LiveHub } from './hub.ts'

export interface LiveRouteDeps {
  hub: LiveHub
  /** Starts the Kafka feeds on the first client (idempotent). */
  ensureFeeds: () => void
  /** Most concurrent live clients; more get 503. Default 500. */
  maxClients?: number
}

const idPattern = '^[A-Za-z0-9_.:,/-]*$'

/**
 * `GET /api/live`: server-sent events of the live topics. Query: `types`, `site`, `zone`, `sensor`, `station`
 * (comma lists). First the recent history (or, with a resumable Last-Event-ID header, the missed events), then a
 * `ready` event, then live events. Slow clients get the newest event per key (conflation).
 */
export function liveRoutes(app: FastifyInstance, deps: LiveRouteDeps): void {
  const maxClients = deps.maxClients ?? 500
  const heartbeat = setInterval(() => deps.hub.heartbeat(), 15_000)
  heartbeat.unref()
  app.addHook('onClose', (_instance, done) => {
    clearInterval(heartbeat)
    deps.hub.closeAll()
    done()
  })

  app.get<{ Querystring: LiveQuery & { lastEventId?: string } }>(
    '/api/live',
    {
      config: { access: 'read' },
      schema: {
        tags: ['live'],
        summary: 'Live aggregates, alerts, weather observations, weather alerts and lag status (text/event-stream)',
        security: secured,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            types: { type: 'string', maxLength: 200, pattern: '^[a-z,-]*$' },
            site: { type: 'string', maxLength: 4000, pattern: idPattern },
            zone: { type: 'string', maxLength: 4000, pattern: idPattern },
            sensor: { type: 'string', maxLength: 8000, pattern: idPattern },
            station: { type: 'string', maxLength: 8000, pattern: idPattern },
            lastEventId: { type: 'string', maxLength: 64, description: 'same as the Last-Event-ID header' },
          },
        },
        response: {
          200: {
            description: 'text/event-stream: events aggregate, alert, observation, weather-alert, lag, ready',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          ...errorResponses(503),
        },
      },
    },
    (request, reply) => {
      const filter = parseLiveFilter(request.query)
      if (deps.hub.clients.size >= maxClients) {
        return reply.code(503).send({ error: 'ISOBAR_CONSOLE_NOT_READY', message: 'Too many live clients' })
      }
      deps.ensureFeeds()
      const header = request.headers['last-event-id']
      const lastEventId = (typeof header === 'string' ? header : undefined) ?? request.query.lastEventId
      reply.hijack()
      const raw = reply.raw
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      })
      raw.socket?.setNoDelay(true)
      deps.hub.connect(raw, filter, lastEventId?.slice(0, 64))
      return reply
    },
  )
}
