import type { FastifyInstance } from 'fastify'
import type { RouteContext } from './context.ts'
import { brokersResponse, clusterResponse } from './response-schemas.ts'
import { errorResponses, secured } from './schemas.ts'

export function clusterRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(
    '/api/cluster',
    {
      config: { access: 'read' },
      schema: {
        tags: ['cluster'],
        summary: 'Cluster id, controller and brokers',
        security: secured,
        response: { 200: clusterResponse, ...errorResponses(502, 503, 504) },
      },
    },
    async () => {
      const cluster = await ctx.admin.describeCluster()
      const topics = await ctx.admin.listTopics({ includeInternal: true })
      return { ...cluster, brokerCount: cluster.brokers.length, topicCount: topics.length }
    },
  )

  app.get(
    '/api/brokers',
    {
      config: { access: 'read' },
      schema: {
        tags: ['cluster'],
        summary: 'Brokers of the cluster',
        security: secured,
        response: { 200: brokersResponse, ...errorResponses(502, 503, 504) },
      },
    },
    async () => {
      const cluster = await ctx.admin.describeCluster()
      return { brokers: cluster.brokers.map((b) => ({ ...b, controller: b.nodeId === cluster.controllerId })) }
    },
  )
}
