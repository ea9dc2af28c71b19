/**
 * The REST Proxy v2 compatible endpoint, in process on port 0, against the shared Kafka broker. The client is
 * plain fetch speaking the documented REST Proxy v2 produce format (no maintained REST Proxy client on npm).
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createMetricsRegistry, decodeFrame, silentLogger, SchemaRegistryClient } from '@isobar/core'
import { testKafkaClient } from '@isobar/testing'
import { buildIngest, parseIngestConfig, REST_PROXY_JSON_V2 } from '../../src/index.ts'
import { ingestFixture, reading, readTopic } from '../helpers.ts'

const SENSOR = 'sim:s01.z1.temperature-00007'
const DEVICE = 'sim_s01.z1.temperature-00007'
const TOKEN = 'device-token-0123456789abcdef'

test('a REST Proxy v2 batch with one invalid record: per-record results, the valid ones in Kafka', async (t) => {
  const fixture = await ingestFixture(t)
  const config = parseIngestConfig({
    registryUrl: fixture.registryUrl,
    topics: { readings: fixture.readings, deadLetter: fixture.deadLetter },
    http: {
      port: 0,
      tokens: { [DEVICE]: TOKEN },
      topics: [fixture.readings],
      ratePerSecond: 1,
      burst: 6,
      maxRecords: 5,
    },
  })
  const ingest = buildIngest({
    config,
    kafka: testKafkaClient(),
    registry: new SchemaRegistryClient({ url: fixture.registryUrl }),
    batching: { maxRecords: 100, maxBytes: 1_000_000, lingerMs: 5, maxInFlight: 5 },
    metrics: createMetricsRegistry('ingest-test', { runtimeMetrics: false }),
    logger: silentLogger(),
  })
  const { httpPort } = await ingest.start()
  t.after(() => ingest.stop())
  const url = `http://127.0.0.1:${httpPort}/topics/${fixture.readings}`
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': REST_PROXY_JSON_V2, authorization: `Bearer ${TOKEN}`, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })

  const response = await post({
    records: [
      { key: SENSOR, value: reading(SENSOR, 1) },
      { value: reading(SENSOR, 2, { temperatureC: 'warm' }) },
      { value: reading(SENSOR, 3) },
    ],
  })
  assert.equal(response.status, 422)
  const body = (await response.json()) as {
    error_code: number
    value_schema_id: number
    offsets: Array<{ partition: number | null; offset: number | null; error_code: number | null; error: string | null }>
  }
  assert.equal(body.error_code, 42201)
  assert.equal(body.value_schema_id, fixture.schemaId)
  assert.equal(body.offsets.length, 3)
  assert.equal(body.offsets[1]?.error_code, 42201)
  assert.match(body.offsets[1]?.error ?? '', /temperatureC/)
  const [a, , c] = body.offsets
  assert.ok(a && c && a.error_code === null && c.error_code === null)
  assert.equal(a.partition, c.partition)
  assert.equal(c.offset, (a.offset ?? -1) + 1)
  // Answered after Kafka acknowledged: the records are there, at the offsets given.
  const records = await readTopic(fixture.readings, 2)
  assert.equal(records.length, 2)
  const stored = records.map((r) => ({
    partition: r.partition,
    offset: Number(r.offset),
    sequence: (JSON.parse(decodeFrame(r.value).payload.toString()) as { sequence: number }).sequence,
  }))
  assert.deepEqual(
    stored.sort((x, y) => x.offset - y.offset),
    [
      { partition: a.partition, offset: a.offset, sequence: 1 },
      { partition: c.partition, offset: c.offset, sequence: 3 },
    ],
  )

  // Deny by default, restricted topics, foreign identity, content type, size and rate limits.
  assert.equal(
    (await post({ records: [{ value: reading(SENSOR, 4) }] }, { authorization: 'Bearer wrong-token-000000000' }))
      .status,
    401,
  )
  assert.equal((await fetch(`http://127.0.0.1:${httpPort}/topics/${fixture.readings}`, { method: 'POST' })).status, 401)
  const other = await fetch(`http://127.0.0.1:${httpPort}/topics/weather.observations`, {
    method: 'POST',
    headers: { 'content-type': REST_PROXY_JSON_V2, authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ records: [{ value: reading(SENSOR, 5) }] }),
  })
  assert.equal(other.status, 403)
  assert.equal(((await other.json()) as { error_code: number }).error_code, 40301)
  const foreign = await post({ records: [{ value: reading('sim:s01.z1.temperature-00008', 1) }] })
  assert.equal(foreign.status, 422)
  assert.match(JSON.stringify(await foreign.json()), /not the device's own/)
  assert.equal((await post({ records: [{ value: reading(SENSOR, 6) }] }, { 'content-type': 'text/plain' })).status, 415)
  assert.equal((await post('{"records": [')).status, 400)
  const tooMany = await post({ records: Array.from({ length: 6 }, (_, i) => ({ value: reading(SENSOR, 10 + i) })) })
  assert.equal(tooMany.status, 422)
  // The bucket (burst 6, 1/s) had 6; 3 + 1 taken above: the next 5 exceed it.
  const limited = await post({ records: Array.from({ length: 5 }, (_, i) => ({ value: reading(SENSOR, 20 + i) })) })
  assert.equal(limited.status, 429)
  assert.ok(Number(limited.headers.get('retry-after')) >= 1)
})
