/**
 * Integration: the registry server on Kafka (in-process, random port), our serdes on a real broker, dead-letter
 * routing of every poison kind, and interop with Confluent's own JSON serializer/deserializer.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import {
  SerdeType,
  JsonDeserializer as ConfluentJsonDeserializer,
  JsonSerializer as ConfluentJsonSerializer,
  SchemaRegistryClient as ConfluentRegistryClient,
} from '@confluentinc/schemaregistry'
import {
  DEAD_LETTERS_METRIC,
  DeadLetterRouter,
  JsonSerde,
  Registry as MetricsRegistry,
  SchemaRegistryClient,
  decodeRecords,
  encodeJsonFrame,
  type ConsumedRecord,
  type KafkaClient,
} from '@isobar/core'
import { startRegistryFixture, type RegistryFixture } from '@isobar/registry/fixture'
import {
  readDeadLetterEnvelope,
  registerCatalogue,
  weatherObservationV1,
  weatherObservationV2,
  type WeatherObservation,
} from '@isobar/schemas'
import { createTestTopic, testKafkaClient } from '@isobar/testing'
import { observation } from './helpers.ts'

const subject = 'weather.observations-value'
let kafka: KafkaClient
let running: RegistryFixture
let client: SchemaRegistryClient

before(async () => {
  kafka = testKafkaClient()
  running = await startRegistryFixture({ kafka, prefix: '_schemas', electionWaitMs: 10_000 })
  client = new SchemaRegistryClient({ url: running.url })
  await registerCatalogue(client, { topics: ['weather.observations'] })
})

after(async () => {
  await running?.close()
})

/** Reads `count` records from the start of a topic (no group), bounded by a timeout. */
async function readRecords(topic: string, count: number, timeoutMs = 20_000): Promise<ConsumedRecord[]> {
  const consumer = kafka.consumer({ topics: [topic], from: 'earliest', maxWaitMs: 200 })
  const records: ConsumedRecord[] = []
  const timer = setTimeout(() => void consumer.close(), timeoutMs)
  try {
    for await (const record of consumer) {
      records.push(record)
      if (records.length >= count) break
    }
  } finally {
    clearTimeout(timer)
    await consumer.close().catch(() => undefined)
  }
  return records
}

describe('serdes on Kafka through the registry', () => {
  it('routes each poison kind to the dead-letter topic with its headers and decodes the good ones', async (t) => {
    const source = await createTestTopic(t, { prefix: 'weather.observations', partitions: 1 })
    const dlq = await createTestTopic(t, { prefix: 'weather.dlq', partitions: 1 })
    const producer = kafka.producer()
    t.after(() => producer.close())

    const v1 = new JsonSerde({ registry: client })
    const v2 = new JsonSerde({ registry: client })
    const { schemaId: id1 } = await v1.prepare(subject, weatherObservationV1, { autoRegister: false })
    const { schemaId: id2 } = await v2.prepare(subject, weatherObservationV2, { autoRegister: false })
    const good1 = v1.serialize(subject, observation)
    const good2 = v2.serialize(subject, { ...observation, stationId: 'metar:KJFK', windGustMps: 12 })
    const wrongMagic = Buffer.from(good1)
    wrongMagic[0] = 7
    const poison: Array<[string, Buffer]> = [
      ['ISOBAR_SERDE_MALFORMED_FRAME', wrongMagic],
      ['ISOBAR_SERDE_INVALID_JSON', encodeJsonFrame(id1, '{"stationId":')],
      ['ISOBAR_SERDE_UNKNOWN_SCHEMA_ID', encodeJsonFrame(999_999, '{}')],
      ['ISOBAR_SERDE_SCHEMA_VIOLATION', encodeJsonFrame(id2, JSON.stringify({ ...observation, temperatureC: -400 }))],
    ]
    const values = [good1, ...poison.map(([, v]) => v), good2]
    await producer.send(values.map((value, i) => ({ topic: source, key: Buffer.from(`k${i}`), value })))

    const metrics = new MetricsRegistry()
    const router = new DeadLetterRouter({ producer, metrics, deadLetterTopic: () => dlq })
    const consumer = new JsonSerde({ registry: client })
    const results = []
    for await (const result of decodeRecords<WeatherObservation>(
      (async function* () {
        yield* await readRecords(source, values.length)
      })(),
      consumer,
      router,
    )) {
      results.push(result)
    }
    assert.deepEqual(
      results.map((r) => (r.ok ? `ok:${r.schemaId}` : 'dlq')),
      [`ok:${id1}`, 'dlq', 'dlq', 'dlq', 'dlq', `ok:${id2}`],
    )
    const decoded = results.flatMap((r) => (r.ok ? [r.value.stationId] : []))
    assert.deepEqual(decoded, ['metar:KDAL', 'metar:KJFK'])

    const dead = await readRecords(dlq, poison.length)
    assert.equal(dead.length, poison.length)
    for (const [i, record] of dead.entries()) {
      const [code, bytes] = poison[i] ?? []
      const envelope = readDeadLetterEnvelope(record.headers)
      assert.equal(envelope.errorCode, code)
      assert.equal(envelope.stage, 'consume')
      assert.equal(envelope.originalTopic, source)
      assert.equal(envelope.originalPartition, 0)
      assert.equal(envelope.originalOffset, String(i + 1))
      assert.equal(typeof envelope.originalTimestamp, 'number')
      assert.deepEqual(record.value, bytes)
      assert.equal(record.key?.toString(), `k${i + 1}`)
    }
    const counted = await metrics.getSingleMetric(DEAD_LETTERS_METRIC)?.get()
    assert.equal(
      counted?.values.reduce((sum, v) => sum + v.value, 0),
      poison.length,
    )
  })

  it('interoperates with the Confluent JS JSON serializer and deserializer in both directions', async (t) => {
    const topic = await createTestTopic(t, { prefix: 'weather.observations', partitions: 1 })
    const topicSubject = `${topic}-value`
    const ours = new JsonSerde({ registry: client })
    const { schemaId } = await ours.prepare(topicSubject, weatherObservationV2)

    const confluentClient = new ConfluentRegistryClient({ baseURLs: [running.url], maxRetries: 0 })
    const confluentSerializer = new ConfluentJsonSerializer(confluentClient, SerdeType.VALUE, {
      autoRegisterSchemas: false,
      useLatestVersion: true,
      validate: true,
    })
    const confluentDeserializer = new ConfluentJsonDeserializer(confluentClient, SerdeType.VALUE, { validate: true })

    const fromUs = ours.serialize(topicSubject, observation)
    const fromConfluent: Buffer = await confluentSerializer.serialize(topic, { ...observation, windGustMps: 4.2 })
    const producer = kafka.producer()
    t.after(() => producer.close())
    await producer.send([
      { topic, value: fromUs },
      { topic, value: fromConfluent },
    ])
    const [first, second] = await readRecords(topic, 2)

    assert.deepEqual(await confluentDeserializer.deserialize(topic, first?.value ?? Buffer.alloc(0)), observation)
    const decoded = await ours.deserialize<WeatherObservation>(second?.value)
    assert.equal(decoded.schemaId, schemaId)
    assert.deepEqual(decoded.value, { ...observation, windGustMps: 4.2 })
  })
})
