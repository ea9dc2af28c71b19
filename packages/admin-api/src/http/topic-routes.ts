import type { Admin, TopicDescription } from '@isobar/core'
import type { FastifyInstance } from 'fastify'
import type { RouteContext } from './context.ts'
import { deletedResponse, topicListResponse, topicResponse } from './response-schemas.ts'
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

/** Kafka's internal topics (`__consumer_offsets`, `__transaction_state`, …). */
function isInternalTopic(name: string): boolean {
  return name.startsWith('__')
}

export const configMap = { type: 'object', additionalProperties: { type: 'string' } } as const

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

/**
 * Lists and describes the topics. A topic deleted between the two calls (a busy cluster) makes the describe fail:
 * list again, up to 3 times, instead of failing the whole listing. Internal topics are listed by name only (the
 * Kafka client's metadata leaves them out).
 */
async function listDescribed(
  admin: Admin,
  includeInternal: boolean,
): Promise<{ internal: string[]; described: TopicDescription[] }> {
  for (let attempt = 1; ; attempt++) {
    const all = await admin.listTopics({ includeInternal })
    const names = all.filter((name) => !isInternalTopic(name))
    try {
      const described = names.length === 0 ? [] : await admin.describeTopics(names)
      return { internal: all.filter(isInternalTopic), described }
    } catch (error) {
      const code = (error as { code?: unknown }).code
      const raced = code === 'ISOBAR_CORE_TOPIC_NOT_FOUND' || code === 'ISOBAR_CORE_KAFKA_REQUEST_FAILED'
      if (!raced || attempt >= 3) throw error
    }
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
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { internal: { type: 'boolean', default: false, description: 'also list internal topics' } },
        },
        response: { 200: topicListResponse, ...errorResponses(400, 502, 503, 504) },
      },
    },
    async (request) => {
      const { internal, described } = await listDescribed(ctx.admin, request.query.internal ?? false)
      const topics = [
        ...described.map((t) => ({
          name: t.name,
          internal: t.internal,
          partitions: t.partitions.length,
          replicationFactor: t.partitions[0]?.replicas.length ?? 0,
        })),
        ...internal.map((name) => ({ name, internal: true, partitions: null, replicationFactor: null })),
      ]
      return { topics: topics.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) }
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
        response: { 200: topicResponse, ...errorResponses(400, 404, 414, 502, 503, 504) },
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
        response: { 201: topicResponse, ...errorResponses(400, 409, 413, 415, 502, 503, 504) },
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
        response: { 200: deletedResponse, ...errorResponses(400, 404, 413, 414, 415, 502, 503, 504) },
      },
    },
    async (request) => {
      // Describe first: an unknown name is a 404, not a broker error.
      await ctx.admin.describeTopics([request.params.topic])
      await ctx.admin.deleteTopics([request.params.topic])
      return { deleted: request.params.topic }
    },
  )
}
