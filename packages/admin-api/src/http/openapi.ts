import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import { publicScope } from './access.ts'

/**
 * The OpenAPI document is generated from the route schemas (so it cannot drift from validation) and served at
 * /api/openapi.json; Swagger UI (assets from the npm package, no CDN) at /api/docs. Both are public: a browser
 * cannot attach a bearer token to them, and they hold nothing secret.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Isobar console API',
        version: '0.1.0',
        description:
          'Kafka administration: cluster, topics, consumer groups (lag, offset reset), messages. GET routes need ' +
          'the read-only or the admin token, every change the admin token (see docs/security.md).',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer' },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'isobar_session' },
        },
      },
      tags: [
        { name: 'session', description: 'Browser login (session cookie)' },
        { name: 'cluster', description: 'Cluster and brokers' },
        { name: 'topics', description: 'Topics, partitions and configs' },
        { name: 'groups', description: 'Consumer groups, lag and offsets' },
        { name: 'messages', description: 'Read and produce messages' },
      ],
    },
  })
  // Routes the UI plugin adds do not declare access themselves: publicScope marks them public, explicitly.
  await publicScope(app, async (docs) => {
    await docs.register(swaggerUi, { routePrefix: '/api/docs' })
  })
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, () => app.swagger())
}
