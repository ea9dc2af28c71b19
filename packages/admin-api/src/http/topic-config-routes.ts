import type { Admin, ConfigEntry } from '@isobar/core'
import type { FastifyInstance } from 'fastify'
import { InvalidRequestError } from '../errors.ts'
import type { RouteContext } from './context.ts'
import { configEntriesResponse } from './ops-response-schemas.ts'
import { topicConfigsResponse, topicResponse } from './response-schemas.ts'
import { errorResponses, secured, topicParams } from './schemas.ts'
import { configMap, describeTopic } from './topic-routes.ts'

interface TopicParams {
  topic: string
}

interface ConfigChange {
  set?: Record<string, string>
  remove?: string[]
}

/**
 * The broker applies an accepted change through its metadata log, so a describe right after the alter can still
 * show the old values: read again (bounded, ~2 s) until the values just set are visible.
 */
async function configsAfterAlter(
  admin: Admin,
  topic: string,
  set: Record<string, string>,
): Promise<Record<string, string>> {
  let configs = await admin.describeTopicConfigs(topic)
  for (let attempt = 0; attempt < 20 && Object.entries(set).some(([k, v]) => configs[k] !== v); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    configs = await admin.describeTopicConfigs(topic)
  }
  return configs
}

/** Names a change may not touch: unknown to the topic, or read-only; one sentence naming them, else undefined. */
export function configChangeProblem(entries: ConfigEntry[], change: ConfigChange): string | undefined {
  const known = new Map(entries.map((e) => [e.name, e]))
  const names = [...Object.keys(change.set ?? {}), ...(change.remove ?? [])]
  const both = Object.keys(change.set ?? {}).filter((n) => change.remove?.includes(n))
  if (both.length > 0) return `${both.join(', ')} cannot be both set and removed`
  const unknown = names.filter((n) => !known.has(n))
  if (unknown.length > 0) return `${unknown.map((n) => `"${n}"`).join(', ')} is not a topic config`
  const readOnly = names.filter((n) => known.get(n)?.readOnly)
  if (readOnly.length > 0) return `${readOnly.join(', ')} is read-only`
  return undefined
}

export function topicConfigRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Params: TopicParams }>(
    '/api/topics/:topic/configs',
    {
      config: { access: 'read' },
      schema: {
        tags: ['topics'],
        summary: 'Every config of a topic with its source: set on the topic (override) or inherited (broker, default)',
        security: secured,
        params: topicParams,
        response: { 200: configEntriesResponse, ...errorResponses(400, 404, 414, 502, 503, 504) },
      },
    },
    async (request) => {
      const { topic } = request.params
      await ctx.admin.describeTopics([topic])
      return { resource: 'topic', name: topic, configs: await ctx.admin.describeConfigEntries('topic', topic) }
    },
  )

  app.patch<{ Params: TopicParams; Body: ConfigChange }>(
    '/api/topics/:topic/configs',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['topics'],
        summary:
          'Set or remove (revert to the inherited value) topic configs; unknown and read-only names are refused, the broker checks the values',
        security: secured,
        params: topicParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            set: { ...configMap, maxProperties: 100 },
            remove: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 249 } },
          },
        },
        response: { 200: topicConfigsResponse, ...errorResponses(400, 404, 413, 414, 415, 502, 503, 504) },
      },
    },
    async (request) => {
      const { topic } = request.params
      await ctx.admin.describeTopics([topic])
      const problem = configChangeProblem(await ctx.admin.describeConfigEntries('topic', topic), request.body)
      if (problem) throw new InvalidRequestError(`body: ${problem}`, 'set')
      const set = request.body.set ?? {}
      await ctx.admin.alterTopicConfigs(topic, set, request.body.remove ?? [])
      return { topic, configs: await configsAfterAlter(ctx.admin, topic, set) }
    },
  )

  app.post<{ Params: TopicParams; Body: { count: number } }>(
    '/api/topics/:topic/partitions',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['topics'],
        summary:
          'Grow a topic to `count` partitions (Kafka can only add partitions: a count not above the current one is a 400)',
        security: secured,
        params: topicParams,
        body: {
          type: 'object',
          required: ['count'],
          additionalProperties: false,
          properties: { count: { type: 'integer', minimum: 1, maximum: 10000 } },
        },
        response: { 200: topicResponse, ...errorResponses(400, 404, 413, 414, 415, 502, 503, 504) },
      },
    },
    async (request) => {
      const { topic } = request.params
      const [description] = await ctx.admin.describeTopics([topic])
      const current = description?.partitions.length ?? 0
      const { count } = request.body
      if (count <= current) {
        throw new InvalidRequestError(
          `body/count must be more than the ${current} partitions ${topic} has: Kafka can add partitions, never remove them`,
          'count',
        )
      }
      await ctx.admin.createPartitions(topic, count)
      return describeTopic(ctx.admin, topic)
    },
  )
}
