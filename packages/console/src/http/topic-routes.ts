import type { Admin } from '@isobar/core'
import type { FastifyInstance } from 'fastify'
import type { RouteContext } from './context.ts'
import { errorResponses, num, secured, topicName, topicParams } from './schemas.ts'

interface TopicParams {
  topic: string
}

interface CreateTopicBody {
  name: string
  partitions?: number
  replicationFactor?: number
  configs?: Record<string, string>
}

const configMap = { type: 'object', additionalProperties: { type: 'string' } } as const

/** Partitions with leaders, replicas, ISR, offsets and on-disk sizes, plus the topic's configs. */
export async function describeTopic(admin: Admin, name: string): Promise<Record<string, unknown>> {
  const [topic] = await admin.describeTopics([name])
  if (!topic) throw new Error(`describeTopics returned nothing for ${name}`)
  const [offsets, configs, sizes] = await Promise.all([
    admin.listOffsets(name),
    admin.describeTopicConfigs(name),
    admin.partitionSizes(name),
  ])
  const partitions = topic.partitions.map((p) => {
    const o = offsets.find((x) => x.partition === p.partition)
    const earliest = o?.earliest ?? 0n
    const latest = o?.latest ?? 0n
    return {
      ...p,
      earliestOffset: num(earliest),
      latestOffset: num(latest),
      messages: num(latest - earliest),
      sizeBytes: sizes.find((s) => s.partition === p.partition && s.broker === p.leader)?.sizeBytes ?? null,
    }
  })
  return {
    name: topic.name,
    id: topic.id,
    internal: topic.internal,
    replicationFactor: topic.partitions[0]?.replicas.length ?? 0,
    messages: partitions.reduce((sum, p) => sum + p.messages, 0),
    sizeBytes: sizes.reduce((sum, s) => sum + s.sizeBytes, 0),
    partitions,
    configs,
  }
}

export function topicRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: { internal?: boolean } }>(
    '/api/topics',
    {
      config: { access: 'read' },
      schema: {
        tags: ['topics'],
        summary: 'List topics with partition counts',
        security: secured,
        querystring: { type: 'object', properties: { internal: { type: 'boolean', default: false } } },
        response: errorResponses(400, 502),
      },
    },
    async (request) => {
      const names = await ctx.admin.listTopics({ includeInternal: request.query.internal ?? false })
      const described = names.length === 0 ? [] : await ctx.admin.describeTopics(names)
      return {
        topics: described.map((t) => ({
          name: t.name,
          internal: t.internal,
          partitions: t.partitions.length,
          replicationFactor: t.partitions[0]?.replicas.length ?? 0,
        })),
      }
    },
  )

  app.get<{ Params: TopicParams }>(
    '/api/topics/:topic',
    {
      config: { access: 'read' },
      schema: {
        tags: ['topics'],
        summary: 'Describe a topic: partitions, leaders, replicas, ISR, offsets, sizes, configs',
        security: secured,
        params: topicParams,
        response: errorResponses(400, 404, 502),
      },
    },
    async (request) => describeTopic(ctx.admin, request.params.topic),
  )

  app.post<{ Body: CreateTopicBody }>(
    '/api/topics',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['topics'],
        summary: 'Create a topic',
        security: secured,
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: {
            name: topicName,
            partitions: { type: 'integer', minimum: 1, maximum: 10000, default: 1 },
            replicationFactor: { type: 'integer', minimum: 1, maximum: 32767 },
            configs: configMap,
          },
        },
        response: errorResponses(400, 409, 502),
      },
    },
    async (request, reply) => {
      const body = request.body
      await ctx.admin.createTopics([
        {
          name: body.name,
          partitions: body.partitions ?? 1,
          ...(body.replicationFactor === undefined ? {} : { replicationFactor: body.replicationFactor }),
          configs: body.configs ?? {},
        },
      ])
      return reply.code(201).send(await describeTopic(ctx.admin, body.name))
    },
  )

  app.delete<{ Params: TopicParams }>(
    '/api/topics/:topic',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['topics'],
        summary: 'Delete a topic',
        security: secured,
        params: topicParams,
        response: errorResponses(400, 404, 502),
      },
    },
    async (request) => {
      // Describe first: an unknown name is a 404, not a broker error.
      await ctx.admin.describeTopics([request.params.topic])
      await ctx.admin.deleteTopics([request.params.topic])
      return { deleted: request.params.topic }
    },
  )

  app.patch<{ Params: TopicParams; Body: { set?: Record<string, string>; remove?: string[] } }>(
    '/api/topics/:topic/configs',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['topics'],
        summary: 'Set or remove (revert to default) topic configs',
        security: secured,
        params: topicParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: { set: configMap, remove: { type: 'array', items: { type: 'string', minLength: 1 } } },
        },
        response: errorResponses(400, 404, 502),
      },
    },
    async (request) => {
      const { topic } = request.params
      await ctx.admin.describeTopics([topic])
      await ctx.admin.alterTopicConfigs(topic, request.body.set ?? {}, request.body.remove ?? [])
      return { topic, configs: await ctx.admin.describeTopicConfigs(topic) }
    },
  )

  app.post<{ Params: TopicParams; Body: { count: number } }>(
    '/api/topics/:topic/partitions',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['topics'],
        summary: 'Grow a topic to `count` partitions',
        security: secured,
        params: topicParams,
        body: {
          type: 'object',
          required: ['count'],
          additionalProperties: false,
          properties: { count: { type: 'integer', minimum: 1, maximum: 10000 } },
        },
        response: errorResponses(400, 404, 502),
      },
    },
    async (request) => {
      const { topic } = request.params
      await ctx.admin.describeTopics([topic])
      await ctx.admin.createPartitions(topic, request.body.count)
      return describeTopic(ctx.admin, topic)
    },
  )
}
