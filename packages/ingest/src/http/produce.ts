/**
 * HTTP ingestion compatible with Confluent REST Proxy v2 produce: `POST /topics/{topic}` with
 * `Content-Type: application/vnd.kafka.json.v2+json` and `{"records":[{"key"?, "value"}]}`, answered with
 * `{"key_schema_id":null,"value_schema_id":<id>,"offsets":[{"partition","offset","error_code","error"}]}` only
 * after Kafka acknowledged every valid record. Differences, on purpose: values must be sensor readings (the
 * edge validates and frames them in the registry wire format), a record's key, if given, must be its sensor
 * id, and a batch with invalid records is answered 422 (error_code 42201) with a per-record error for each
 * invalid one and the offsets of the valid ones, which were written.
 * Deny by default: every route needs a device token (Bearer, or Basic with the device as user); a token only
 * writes its own sensor's readings, only to the open topics, within its rate; bodies and batches are bounded.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import {
  DEFAULT_MAX_JSON_DEPTH,
  javaPartitionForKey,
  parseJsonPayload,
  type Logger,
  type Producer,
  type ProducerRecord,
} from '@isobar/core'
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify'
import type { IngestConfig } from '../config.ts'
import type { IngestMetrics } from '../metrics.ts'
import type { ReadingCodec } from '../reading-codec.ts'
import { TokenBuckets } from './rate-limit.ts'

export const REST_PROXY_JSON_V2 = 'application/vnd.kafka.json.v2+json'

export interface HttpIngestDeps {
  config: NonNullable<IngestConfig['http']>
  codec: ReadingCodec
  producer: Producer
  /** Partitions of the readings topic (records are partitioned like the Java client: murmur2 of the key). */
  partitions: number
  valueSchemaId: number
  metrics: IngestMetrics
  logger: Logger
  now?: () => number
}

export interface RecordResult {
  partition: number | null
  offset: number | null
  error_code: number | null
  error: string | null
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

function restError(reply: FastifyReply, status: number, errorCode: number, message: string): FastifyReply {
  return reply.code(status).type(REST_PROXY_JSON_V2).send({ error_code: errorCode, message })
}

/** The device a request's credentials name, or undefined. Compares digests in constant time. */
function deviceOf(authorization: string | undefined, tokens: ReadonlyArray<[string, Buffer]>): string | undefined {
  if (!authorization) return undefined
  let user: string | undefined
  let secret: string
  if (/^Bearer /i.test(authorization)) secret = authorization.slice(7).trim()
  else if (/^Basic /i.test(authorization)) {
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon < 0) return undefined
    user = decoded.slice(0, colon)
    secret = decoded.slice(colon + 1)
  } else return undefined
  const given = digest(secret)
  let found: string | undefined
  for (const [device, expected] of tokens) if (timingSafeEqual(given, expected)) found = device
  return found !== undefined && (user === undefined || user === found) ? found : undefined
}

export function buildHttpIngest(deps: HttpIngestDeps): FastifyInstance {
  const { config, metrics } = deps
  const tokens = Object.entries(config.tokens).map(([device, token]): [string, Buffer] => [device, digest(token)])
  const buckets = new TokenBuckets(config.ratePerSecond, config.burst, deps.now ?? Date.now)
  const app = Fastify({ bodyLimit: config.maxBodyBytes, logger: false, routerOptions: { maxParamLength: 256 } })
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(REST_PROXY_JSON_V2, { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseJsonPayload(body as Buffer, -1, DEFAULT_MAX_JSON_DEPTH))
    } catch (error) {
      done(Object.assign(new Error(`body is not valid JSON: ${(error as Error).message}`), { statusCode: 400 }))
    }
  })
  app.addHook('onResponse', async (_request, reply) => {
    metrics.httpRequests.inc({ status: String(reply.statusCode) })
  })
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500
    if (status === 500) deps.logger.error({ err: error }, 'HTTP ingest failed')
    return restError(reply, status, status * 100, status === 500 ? 'Internal server error' : error.message)
  })
  app.setNotFoundHandler((_request, reply) => restError(reply, 404, 40400, 'Not found: POST /topics/{topic} only'))
  // Auth before anything else, on every route (the not-found one too): deny by default.
  app.addHook('onRequest', async (request, reply) => {
    const device = deviceOf(request.headers.authorization, tokens)
    if (device === undefined) {
      return restError(
        reply.header('www-authenticate', 'Bearer'),
        401,
        40101,
        'Authentication required: a device token',
      )
    }
    ;(request as { device?: string }).device = device
  })

  app.post<{ Params: { topic: string } }>('/topics/:topic', async (request, reply) => {
    const device = (request as { device?: string }).device ?? ''
    const { topic } = request.params
    if (!config.topics.includes(topic)) {
      return restError(
        reply,
        403,
        40301,
        `topic ${topic} is not open for ingestion (open: ${config.topics.join(', ')})`,
      )
    }
    const body = request.body as { records?: unknown } | null
    const shapeProblem = checkShape(body, config.maxRecords)
    if (shapeProblem) return restError(reply, 422, 42201, shapeProblem)
    const records = (body as { records: unknown[] }).records
    metrics.received.inc({ transport: 'http' }, records.length)
    const waitS = buckets.take(device, records.length)
    if (!Number.isFinite(waitS)) return restError(reply, 422, 42201, `at most ${config.burst} records per request`)
    if (waitS > 0) {
      return restError(reply.header('retry-after', String(Math.ceil(waitS))), 429, 42901, 'rate limit exceeded')
    }
    const results: RecordResult[] = []
    const valid: Array<{ index: number; record: ProducerRecord }> = []
    records.forEach((item, index) => {
      const problem = recordProblem(item)
      const decoded = problem ? undefined : deps.codec.fromValue((item as { value: unknown }).value, { device })
      const keyProblem =
        decoded?.ok &&
        typeof (item as { key?: unknown }).key === 'string' &&
        (item as { key: string }).key !== decoded.sensorId
          ? `key must be the sensor id ${decoded.sensorId}`
          : undefined
      const error = problem ?? keyProblem ?? (decoded && !decoded.ok ? decoded.error.message : undefined)
      if (error !== undefined || !decoded?.ok) {
        const code =
          (decoded && !decoded.ok ? (decoded.error as { code?: string }).code : undefined) ?? 'ISOBAR_INGEST_BAD_RECORD'
        metrics.rejected.inc({ transport: 'http', code })
        results[index] = { partition: null, offset: null, error_code: 42201, error: error ?? 'invalid record' }
        return
      }
      const partition = javaPartitionForKey(decoded.record.key ?? Buffer.alloc(0), deps.partitions)
      valid.push({ index, record: { ...decoded.record, partition } })
    })
    if (valid.length > 0) {
      let reports
      try {
        reports = await deps.producer.send(valid.map((v) => v.record))
      } catch (error) {
        metrics.deliveryFailures.inc({ transport: 'http' })
        deps.logger.error({ err: error }, 'Kafka did not acknowledge an HTTP batch')
        return restError(reply.header('retry-after', '1'), 503, 50301, 'Kafka did not acknowledge the records; retry')
      }
      const next = new Map(reports.map((r) => [r.partition, r.baseOffset]))
      for (const { index, record } of valid) {
        const partition = record.partition ?? 0
        const offset = next.get(partition) ?? -1n
        next.set(partition, offset + 1n)
        results[index] = { partition, offset: Number(offset), error_code: null, error: null }
      }
      metrics.produced.inc({ transport: 'http' }, valid.length)
    }
    const invalid = records.length - valid.length
    const answer = { key_schema_id: null, value_schema_id: deps.valueSchemaId, offsets: results }
    if (invalid === 0) return reply.code(200).type(REST_PROXY_JSON_V2).send(answer)
    return reply
      .code(422)
      .type(REST_PROXY_JSON_V2)
      .send({ error_code: 42201, message: `${invalid} of ${records.length} records are invalid`, ...answer })
  })
  return app
}

function checkShape(body: { records?: unknown } | null, maxRecords: number): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body must be {"records": [...]}'
  const extra = Object.keys(body).filter((k) => k !== 'records')
  if (extra.length > 0) return `unsupported field(s): ${extra.join(', ')} (embedded JSON has no schemas)`
  if (!Array.isArray(body.records) || body.records.length === 0) return 'records must be a non-empty array'
  if (body.records.length > maxRecords) return `at most ${maxRecords} records per request`
  return undefined
}

function recordProblem(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return 'a record must be an object'
  const extra = Object.keys(item).filter((k) => k !== 'key' && k !== 'value')
  if (extra.length > 0) return `unsupported record field(s): ${extra.join(', ')} (partitioning is by sensor id)`
  if (!('value' in item)) return 'a record needs a value'
  const key = (item as { key?: unknown }).key
  if (key !== undefined && key !== null && typeof key !== 'string') return 'key must be a string (the sensor id)'
  return undefined
}
