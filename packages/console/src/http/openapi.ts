import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'

/**
 * The OpenAPI document is generated from the route schemas (so it cannot drift from validation) and served at
 * /api/openapi.json; Swagger UI (assets from the npm package, no CDN) at /api/docs.
 */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Isobar console API',
        version: '0.1.0',
        description: 'Kafka administration: cluster, topics, consumer groups (lag, offset reset), messages.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      tags: [
        { name: 'cluster', description: 'Cluster and brokers' },
        { name: 'topics', description: 'Topics, partitions and configs' },
        { name: 'groups', description: 'Consumer groups, lag and offsets' },
        { name: 'messages', description: 'Read and produce messages' },
      ],
    },
  })
  await app.register(swaggerUi, { routePrefix: '/api/docs' })
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger())
}
