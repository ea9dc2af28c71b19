/**
 * The Poison suite (issue #10): hostile records into a per-test readings topic while valid traffic flows through
 * the real analytics service (exactly-once, with a Schema Registry): every poison record lands in exactly one
 * dead letter with its reason, every valid reading is aggregated, and the pipeline never stops (no restart).
 * The weather streamer consumes no topic (its alert engine sees observations in-process), so it has no decoder
 * to poison; weather.observations is used here only as the "foreign schema" a reading must not be read with.
 */
import assert from 'node:assert/strict'
import { it, type TestContext } from 'node:test'
import {
  DLQ_HEADERS,
  SchemaRegistryClient,
  createMetricsRegistry,
  encodeFrame,
  type ConsumedRecord,
  type ProducerRecord,
} from '@isobar/core'
import { MemorySchemaLog, Registry, buildRegistryApp } from '@isobar/registry'
import { latestSchema } from '@isobar/schemas'
import { createTestTopic, testKafkaClient, uniqueTopicName } from '@isobar/testing'
import { createSensorAnalytics } from '../../src/analytics/app.ts'
import { parseSensorAnalyticsConfig } from '../../src/analytics/config.ts'
import {
  assertMatchesBatch,
  batchWindows,
  generateReadings,
  lastEventMs,
  realRows,
  sentinelReadings,
  START_MS,
  type AggregateRow,
  type TestReading,
} from './helpers.ts'
import { TEST_WINDOWING, cleanUpServiceTopics, readAllCommitted, waitUntil } from './service-helpers.ts'

const PARTITIONS = 3
/** Small topic limits keep the "close to the broker limit" records cheap. */
const MAX_MESSAGE_BYTES = 65_536

async function memoryRegistry(t: TestContext): Promise<string> {
  const registry = new Registry(new MemorySchemaLog(), { timeoutMs: 2000 })
  await registry.start()
  const app = buildRegistryApp({ registry })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  t.after(() => app.close())
  return url
}

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value))

/** The hostile corpus, each with a unique key so its dead letter can be found. */
function poisonCorpus(readingsId: number, foreignId: number, sample: TestReading): Array<[string, Buffer | null]> {
  const valid = json(sample)
  const nested = Buffer.from(`{"sensorId":"x","deep":${'['.repeat(5000)}${']'.repeat(5000)}}`)
  const badUtf8 = Buffer.concat([
    Buffer.from('{"sensorId":"mote:s0001","zoneId":"'),
    Buffer.from([0xc3, 0x28, 0xff]),
    Buffer.from('"}'),
  ])
  return [
    ['bad-json', Buffer.from('{"sensorId": "mote:s0001", ')],
    ['not-json-at-all', Buffer.from('poison')],
    ['wrong-magic', Buffer.concat([Buffer.from([1, 0, 0, 0, readingsId]), valid])],
    ['unknown-id', encodeFrame(999_999, valid)],
    ['id-zero', encodeFrame(0, valid)],
    ['id-max', Buffer.concat([Buffer.from([0, 0xff, 0xff, 0xff, 0xff]), valid])],
    ['foreign-id', encodeFrame(foreignId, valid)],
    ['non-finite', Buffer.from(JSON.stringify(sample).replace(/"temperatureC":[-\d.e]+/, '"temperatureC":1e999'))],
    [
      'non-finite-framed',
      encodeFrame(
        readingsId,
        Buffer.from(
          JSON.stringify({ ...sample, temperatureC: 0 }).replace('"temperatureC":0', '"temperatureC":-1e400'),
        ),
      ),
    ],
    ['deep-nesting', nested],
    ['invalid-utf8', badUtf8],
    ['schema-violation', json({ ...sample, sensorId: 42 })],
    ['empty', Buffer.alloc(0)],
    ['null', null],
    // Valid JSON shape but close to the topic limit: too big for the DLQ with its headers, so it goes truncated.
    ['huge', Buffer.from(`{"sensorId":"mote:s0001","pad":"${'a'.repeat(MAX_MESSAGE_BYTES - 400)}"}`)],
  ]
}

it(
  'poison suite: hostile records among valid traffic each land in exactly one dead letter; every valid reading is aggregated; the pipeline never stops',
  { timeout: 180_000 },
  async (t) => {
    const kafka = testKafkaClient()
    const limit = { 'max.message.bytes': String(MAX_MESSAGE_BYTES) }
    const readings = await createTestTopic(t, { partitions: PARTITIONS, prefix: 'poison-in', configs: limit })
    const aggregates = await createTestTopic(t, { partitions: PARTITIONS, prefix: 'poison-agg' })
    const deadLetter = await createTestTopic(t, { partitions: 1, prefix: 'poison-dlq', configs: limit })
    const registryUrl = await memoryRegistry(t)
    const registry = new SchemaRegistryClient({ url: registryUrl })
    const readingsId = await registry.register(`${readings}-value`, { schema: latestSchema('sensors.readings') })
    const foreignId = await registry.register(`${uniqueTopicName('poison-obs')}-value`, {
      schema: latestSchema('weather.observations'),
    })

    const input = generateReadings({
      seed: 10,
      sensors: 30,
      zones: 3,
      panes: 20,
      perPane: 4,
      paneMs: TEST_WINDOWING.paneMs,
      startMs: START_MS,
      disorderMs: 300,
      duplicateRate: 0.02,
    })
    const lastEvent = lastEventMs(input)
    const expected = batchWindows(input, TEST_WINDOWING)
    // Valid readings, half of them in the registry's wire format with the readings subject's id.
    const valid: ProducerRecord[] = input.map((r, i) => ({
      topic: readings,
      key: Buffer.from(r.sensorId),
      value: i % 2 === 0 ? json(r) : encodeFrame(readingsId, json(r)),
    }))
    const poison = poisonCorpus(readingsId, foreignId, input[0]!)
    const poisonRecords: ProducerRecord[] = poison.map(([name, value]) => ({
      topic: readings,
      key: Buffer.from(`poison-${name}`),
      value,
    }))

    const applicationId = uniqueTopicName('poison-app')
    cleanUpServiceTopics(t, applicationId)
    const config = parseSensorAnalyticsConfig({
      applicationId,
      instanceId: 'i1',
      guarantee: 'exactly-once',
      registryUrl,
      topics: { readings, aggregates, deadLetter, partitions: PARTITIONS },
      windowing: TEST_WINDOWING,
      commitIntervalMs: 200,
      sessionTimeoutMs: 6000,
      alerts: { enabled: false },
    })
    const analytics = await createSensorAnalytics({ config, kafka, metrics: createMetricsRegistry('poison-test') })
    await analytics.start()
    let stopped = false
    t.after(async () => {
      if (!stopped) await analytics.stop()
    })
    assert.ok(await waitUntil(() => analytics.isReady(), 60_000), 'ready before traffic')

    // Valid traffic in chunks with the poison records in between, while the service runs. The huge one alone:
    // with anything else in its batch it would exceed the topic's limit.
    const producer = kafka.producer()
    try {
      const chunk = Math.ceil(valid.length / poisonRecords.length)
      for (const [i, record] of poisonRecords.entries()) {
        await producer.send(valid.slice(i * chunk, (i + 1) * chunk))
        await producer.send([record])
      }
      await producer.send(
        sentinelReadings(PARTITIONS, lastEvent).map((r) => ({
          topic: readings,
          key: Buffer.from(r.sensorId),
          value: json(r),
        })),
      )
    } finally {
      await producer.close()
    }

    const sentinelFromMs = lastEvent + 3_600_000 - 10_000
    const rowsNow = async (): Promise<AggregateRow[]> =>
      realRows((await readAllCommitted(kafka, aggregates)).map(decodeAggregate), sentinelFromMs)
    const done = await waitUntil(async () => (await rowsNow()).length >= expected.size, 90_000, 500)
    const deadLetters = await readAllCommitted(kafka, deadLetter)
    const stats = analytics.stats()
    const health = analytics.health()
    const ready = analytics.isReady()
    await analytics.stop()
    stopped = true
    t.diagnostic(`stats ${JSON.stringify(stats.panes)}; ${deadLetters.length} dead letters`)

    assert.ok(done, 'every window committed')
    assertMatchesBatch(await rowsNow(), expected)
    // Exactly one dead letter per poison record, with its reason.
    const byKey = new Map<string, ConsumedRecord[]>()
    for (const d of deadLetters) byKey.set(d.key!.toString(), [...(byKey.get(d.key!.toString()) ?? []), d])
    assert.deepEqual([...byKey.keys()].sort(), poison.map(([name]) => `poison-${name}`).sort())
    for (const [key, copies] of byKey) assert.equal(copies.length, 1, `${key}: exactly one dead letter`)
    const code = (name: string): string | undefined =>
      byKey.get(`poison-${name}`)?.[0]?.headers[DLQ_HEADERS.errorCode]?.toString()
    assert.equal(code('unknown-id'), 'ISOBAR_SERDE_UNKNOWN_SCHEMA_ID')
    assert.equal(code('id-zero'), 'ISOBAR_SERDE_UNKNOWN_SCHEMA_ID')
    assert.equal(code('id-max'), 'ISOBAR_SERDE_UNKNOWN_SCHEMA_ID')
    assert.equal(code('foreign-id'), 'ISOBAR_SERDE_WRONG_SUBJECT')
    for (const name of [
      'bad-json',
      'not-json-at-all',
      'wrong-magic',
      'non-finite',
      'non-finite-framed',
      'deep-nesting',
      'invalid-utf8',
      'empty',
      'null',
    ]) {
      assert.equal(code(name), 'ISOBAR_SERDE_INVALID_JSON', name)
    }
    assert.equal(code('schema-violation'), 'ISOBAR_SERDE_SCHEMA_VIOLATION')
    assert.equal(code('huge'), 'ISOBAR_SERDE_SCHEMA_VIOLATION', 'valid JSON, but not a reading')
    for (const d of deadLetters) {
      assert.ok((d.headers[DLQ_HEADERS.errorMessage]?.length ?? 0) > 0, 'a reason')
      assert.equal(d.headers[DLQ_HEADERS.originalTopic]?.toString(), readings)
    }
    const huge = byKey.get('poison-huge')![0]!
    assert.equal(huge.headers[DLQ_HEADERS.truncated]?.toString(), 'value')
    assert.equal(
      huge.headers[DLQ_HEADERS.originalSize]?.toString(),
      String(poison.find(([n]) => n === 'huge')![1]!.length),
    )
    // The pipeline never stopped: no stage restarted, all ready at the end.
    for (const [stage, s] of Object.entries(stats)) assert.equal(s.rebuilds, 0, `${stage} never restarted`)
    assert.equal(stats.panes!.poison, poison.length)
    assert.ok(ready, JSON.stringify(health))
  },
)

function decodeAggregate(record: ConsumedRecord): AggregateRow {
  const value = record.value!
  // With a registry the service writes aggregates in the wire format: magic byte, schema id, JSON.
  const payload = value[0] === 0 ? value.subarray(5) : value
  return JSON.parse(payload.toString('utf8')) as AggregateRow
}
