import { describeCause } from '@isobar/core'
import type { FastifyInstance } from 'fastify'
import { NotFoundError } from '../errors.ts'
import type { RouteContext } from './context.ts'
import { configEntriesResponse, quorumResponse } from './ops-response-schemas.ts'
import { brokersResponse, clusterResponse } from './response-schemas.ts'
import { errorResponses, num, secured } from './schemas.ts'

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

  app.get(
    '/api/cluster/quorum',
    {
      config: { access: 'read' },
      schema: {
        tags: ['cluster'],
        summary: 'The KRaft metadata quorum (DescribeQuorum): leader, voters, observers and their lag',
        security: secured,
        response: { 200: quorumResponse, ...errorResponses(502, 503, 504) },
      },
    },
    async (request) => {
      const cluster = await ctx.admin.describeCluster()
      try {
        const q = await ctx.admin.describeQuorum()
        const replica = (r: (typeof q.voters)[number]) => ({ ...r, logEndOffset: num(r.logEndOffset), lag: num(r.lag) })
        return {
          supported: true,
          reason: null,
          controllerId: cluster.controllerId,
          leaderId: q.leaderId,
          leaderEpoch: q.leaderEpoch,
          highWatermark: num(q.highWatermark),
          voters: q.voters.map(replica),
          observers: q.observers.map(replica),
        }
      } catch (error) {
        // Not every cluster answers DescribeQuorum (ZooKeeper mode, an authorizer refusing it): say so, show what is known.
        request.log.warn({ err: error }, 'describe quorum failed')
        return {
          supported: false,
          reason: `The cluster did not describe its quorum: ${describeCause(error)}`,
          controllerId: cluster.controllerId,
          leaderId: null,
          leaderEpoch: null,
          highWatermark: null,
          voters: [],
          observers: [],
        }
      }
    },
  )

  app.get<{ Params: { broker: string } }>(
    '/api/brokers/:broker/configs',
    {
      config: { access: 'read' },
      schema: {
        tags: ['cluster'],
        summary: 'Every config of one broker (read-only view) with its source',
        security: secured,
        params: {
          type: 'object',
          required: ['broker'],
          properties: { broker: { type: 'string', pattern: '^[0-9]{1,9}$', description: 'the node id' } },
        },
        response: { 200: configEntriesResponse, ...errorResponses(400, 404, 414, 502, 503, 504) },
      },
    },
    async (request) => {
      const id = Number(request.params.broker)
      const cluster = await ctx.admin.describeCluster()
      if (!cluster.brokers.some((b) => b.nodeId === id)) {
        throw new NotFoundError(
          `Broker ${id} is not in the cluster (brokers: ${cluster.brokers.map((b) => b.nodeId).join(', ')})`,
        )
      }
      return {
        resource: 'broker',
        name: String(id),
        configs: await ctx.admin.describeConfigEntries('broker', String(id)),
      }
    },
  )
}
