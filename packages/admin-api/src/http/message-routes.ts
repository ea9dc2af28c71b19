import type { ConsumedRecord, DecodedPayload, MessageDecoder, ReadRecordsOptions } from '@isobar/core'
import type { FastifyInstance } from 'fastify'
import { InvalidRequestError } from '../errors.ts'
import type { RouteContext } from './context.ts'
import { checkRecord } from './record-checks.ts'
import { messagesResponse, producedResponse } from './response-schemas.ts'
import { errorResponses, num, secured, topicParams } from './schemas.ts'

interface ReadQuery {
  partition: number
  offset?: number
  timestamp?: number
  from?: 'earliest' | 'latest'
  limit: number
  raw?: boolean
}

interface ProduceBody {
  partition?: number
  key?: string | null
  keyEncoding?: 'string' | 'base64'
  value: unknown
  valueEncoding?: 'json' | 'string' | 'base64' | 'registry'
  headers?: Record<string, string>
  timestamp?: number
}

async function decodePart(
  decoder: MessageDecoder,
  bytes: Buffer | null,
  topic: string,
  part: 'key' | 'value',
): Promise<DecodedPayload | null> {
  if (bytes === null) return null
  return decoder.decode(bytes, { topic, part })
}

async function toMessage(
  decoder: MessageDecoder,
  record: ConsumedRecord,
  raw: boolean,
): Promise<Record<string, unknown>> {
  return {
    ...(raw
      ? { rawKey: record.key?.toString('base64') ?? null, rawValue: record.value?.toString('base64') ?? null }
      : {}),
    partition: record.partition,
    offset: num(record.offset),
    timestamp: record.timestamp,
    time: new Date(record.timestamp).toISOString(),
    key: await decodePart(decoder, record.key, record.topic, 'key'),
    value: await decodePart(decoder, record.value, record.topic, 'value'),
    headers: Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, v.toString('utf8')])),
  }
}

function readStart(query: ReadQuery): ReadRecordsOptions['from'] {
  const given = (['offset', 'timestamp', 'from'] as const).filter((k) => query[k] !== undefined)
  if (given.length > 1) {
    throw new InvalidRequestError(`query: give only one of offset, timestamp, from (got ${given.join(', ')})`, given[1])
  }
  if (query.offset !== undefined) return { offset: BigInt(query.offset) }
  if (query.timestamp !== undefined) return { timestamp: query.timestamp }
  return query.from ?? 'latest'
}

async function encodeValue(ctx: RouteContext, topic: string, body: ProduceBody): Promise<Buffer | null> {
  const encoding = body.valueEncoding ?? 'json'
  if (encoding === 'registry') {
    if (!ctx.valueEncoder) {
      throw new InvalidRequestError(
        'body/valueEncoding registry needs a schema registry (SCHEMA_REGISTRY_URL)',
        'valueEncoding',
      )
    }
    return (await ctx.valueEncoder.encode(topic, body.value)).bytes
  }
  if (body.value === null && encoding !== 'json') return null
  if (encoding === 'json') return Buffer.from(JSON.stringify(body.value))
  if (typeof body.value !== 'string') {
    throw new InvalidRequestError(`body/value must be a string with valueEncoding=${encoding}`, 'value')
  }
  return Buffer.from(body.value, encoding === 'base64' ? 'base64' : 'utf8')
}

/** The largest time a JavaScript Date (and so the read route's `time`) can show: 8.64e15 ms. */
const MAX_TIMESTAMP_MS = 8_640_000_000_000_000

export function messageRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Params: { topic: string }; Querystring: ReadQuery }>(
    '/api/topics/:topic/messages',
    {
      config: { access: 'read' },
      schema: {
        tags: ['messages'],
        summary: 'Read messages of one partition from an offset, a time, the start, or the newest (default)',
        security: secured,
        params: topicParams,
        querystring: {
          type: 'object',
          required: ['partition'],
          additionalProperties: false,
          properties: {
            partition: { type: 'integer', minimum: 0 },
            offset: { type: 'integer', minimum: 0, description: 'first offset to read' },
            timestamp: { type: 'integer', minimum: 0, description: 'read from the first record at or after (ms)' },
            from: { type: 'string', enum: ['earliest', 'latest'], description: 'latest = the newest `limit`' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 20 },
            raw: { type: 'boolean', default: false, description: 'also the raw key and value bytes (base64)' },
          },
        },
        response: { 200: messagesResponse, ...errorResponses(400, 404, 414, 502, 503, 504) },
      },
    },
    async (request) => {
      const { topic } = request.params
      const query = request.query
      const result = await ctx.admin.readRecords({
        topic,
        partition: query.partition,
        from: readStart(query),
        limit: query.limit,
      })
      return {
        topic,
        partition: query.partition,
        earliestOffset: num(result.earliestOffset),
        latestOffset: num(result.latestOffset),
        nextOffset: num(result.nextOffset),
        messages: await Promise.all(result.records.map((r) => toMessage(ctx.decoder, r, query.raw === true))),
      }
    },
  )

  app.post<{ Params: { topic: string }; Body: ProduceBody }>(
    '/api/topics/:topic/messages',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['messages'],
        summary: 'Produce one message',
        security: secured,
        params: topicParams,
        body: {
          type: 'object',
          required: ['value'],
          additionalProperties: false,
          properties: {
            partition: { type: 'integer', minimum: 0 },
            key: { type: ['string', 'null'] },
            keyEncoding: { type: 'string', enum: ['string', 'base64'], default: 'string' },
            value: {
              description:
                'any JSON (valueEncoding=json), a string (string, base64), or JSON valid against the latest schema of the subject <topic>-value (registry)',
            },
            valueEncoding: {
              type: 'string',
              enum: ['json', 'string', 'base64', 'registry'],
              default: 'json',
              description: 'registry: validated (422 naming each violation) and sent in the registry wire format',
            },
            headers: { type: 'object', additionalProperties: { type: 'string' } },
            timestamp: {
              type: 'integer',
              minimum: 0,
              maximum: MAX_TIMESTAMP_MS,
              description: "ms since the epoch; must also be within the topic's message.timestamp.*.max.ms of now",
            },
          },
        },
        response: { 201: producedResponse, ...errorResponses(400, 404, 413, 414, 415, 422, 502, 503, 504) },
      },
    },
    async (request, reply) => {
      const { topic } = request.params
      const body = request.body
      // Check the topic first: the broker may auto-create unknown topics on produce.
      const [description] = await ctx.admin.describeTopics([topic])
      const partitions = description?.partitions.length ?? 0
      if (body.partition !== undefined && body.partition >= partitions) {
        throw new InvalidRequestError(
          `body/partition must be < ${partitions} (the topic has ${partitions} partitions)`,
          'partition',
        )
      }
      const value = await encodeValue(ctx, topic, body)
      const key =
        body.key === undefined || body.key === null
          ? null
          : Buffer.from(body.key, body.keyEncoding === 'base64' ? 'base64' : 'utf8')
      const headers = Object.fromEntries(Object.entries(body.headers ?? {}).map(([k, v]) => [k, Buffer.from(v)]))
      checkRecord(await ctx.admin.describeTopicConfigs(topic), {
        key,
        value,
        headers,
        ...(body.timestamp === undefined ? {} : { timestamp: body.timestamp }),
      })
      const [report] = await ctx.producer().send([
        {
          topic,
          key,
          value,
          headers,
          ...(body.partition === undefined ? {} : { partition: body.partition }),
          ...(body.timestamp === undefined ? {} : { timestamp: body.timestamp }),
        },
      ])
      return reply
        .code(201)
        .send({ topic, partition: report?.partition ?? null, offset: report ? num(report.baseOffset) : null })
    },
  )
}
