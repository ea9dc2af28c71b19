import assert from 'node:assert/strict'
import { Readable } from 'node:stream'
import { describe, it } from 'node:test'
import {
  DEAD_LETTERS_METRIC,
  DLQ_HEADERS,
  DeadLetterRouter,
  JsonSerde,
  Registry,
  SerdeErrorCodes,
  decodeRecords,
  defaultDeadLetterTopic,
  encodeJsonFrame,
  type ConsumedRecord,
  type Producer,
  type ProducerRecord,
} from '@isobar/core'
import { pointSchema, stubRegistry } from './stub-registry.ts'

function capturingProducer(failWith?: Error): Producer & { sent: ProducerRecord[] } {
  const sent: ProducerRecord[] = []
  return {
    sent,
    send(records) {
      if (failWith) return Promise.reject(failWith)
      sent.push(...records)
      return Promise.resolve(records.map((r) => ({ topic: r.topic, partition: 0, baseOffset: 0n })))
    },
    async close() {},
  }
}

function record(value: Buffer | null, offset: bigint): ConsumedRecord {
  return {
    topic: 'weather.observations',
    partition: 2,
    offset,
    timestamp: 1_764_000_000_000,
    key: Buffer.from('metar:KDAL'),
    value,
    headers: { trace: Buffer.from('t-1') },
  }
}

const header = (r: ProducerRecord | undefined, name: string) => r?.headers?.[name]?.toString()

async function counted(metrics: Registry, code: string): Promise<number> {
  const metric = await metrics.getSingleMetric(DEAD_LETTERS_METRIC)?.get()
  return metric?.values.filter((v) => v.labels.error_code === code).reduce((sum, v) => sum + v.value, 0) ?? 0
}

describe('DeadLetterRouter', () => {
  it('maps a topic to its domain dead-letter topic', () => {
    assert.equal(defaultDeadLetterTopic('weather.observations'), 'weather.dlq')
    assert.equal(defaultDeadLetterTopic('sensors.alert-commands'), 'sensors.dlq')
    assert.equal(defaultDeadLetterTopic('plain'), 'plain.dlq')
  })

  it('dead-letters every poison kind with its original bytes and headers, decodes the good ones', async () => {
    const registry = stubRegistry()
    const serde = new JsonSerde({ registry })
    const { schemaId } = await serde.prepare('weather.observations-value', pointSchema)
    const producer = capturingProducer()
    const metrics = new Registry()
    const router = new DeadLetterRouter({ producer, metrics, now: () => 1_800_000_000_000 })
    const good = serde.serialize('weather.observations-value', { id: 'ok', valueC: 3 })
    const wrongMagic = Buffer.from(good)
    wrongMagic[0] = 1
    const inputs: Array<[Buffer | null, string | undefined]> = [
      [good, undefined],
      [wrongMagic, SerdeErrorCodes.MALFORMED_FRAME],
      [encodeJsonFrame(schemaId, '{oops'), SerdeErrorCodes.INVALID_JSON],
      [encodeJsonFrame(4242, '{}'), SerdeErrorCodes.UNKNOWN_SCHEMA_ID],
      [encodeJsonFrame(schemaId, '{"id":"x"}'), SerdeErrorCodes.SCHEMA_VIOLATION],
      [good, undefined],
    ]
    const source = Readable.from(inputs.map(([value], i) => record(value, BigInt(100 + i))))
    const results = []
    for await (const result of decodeRecords(source, serde, router)) results.push(result)

    assert.deepEqual(
      results.map((r) => r.ok),
      inputs.map(([, code]) => code === undefined),
    )
    assert.equal(producer.sent.length, 4)
    for (const [i, sent] of producer.sent.entries()) {
      const [value, code] = inputs[i + 1] ?? []
      assert.equal(sent.topic, 'weather.dlq')
      assert.deepEqual(sent.value, value)
      assert.equal(sent.key?.toString(), 'metar:KDAL')
      assert.equal(header(sent, DLQ_HEADERS.errorCode), code)
      assert.equal(header(sent, DLQ_HEADERS.originalTopic), 'weather.observations')
      assert.equal(header(sent, DLQ_HEADERS.originalPartition), '2')
      assert.equal(header(sent, DLQ_HEADERS.originalOffset), String(101 + i))
      assert.equal(header(sent, DLQ_HEADERS.originalTimestamp), '1764000000000')
      assert.equal(sent.timestamp, 1_800_000_000_000, 'stamped when dead-lettered, not with the old original time')
      assert.equal(header(sent, DLQ_HEADERS.stage), 'consume')
      assert.equal(header(sent, 'trace'), 't-1')
      assert.ok((header(sent, DLQ_HEADERS.errorMessage) ?? '').length > 0)
    }
    assert.equal(header(producer.sent[0], DLQ_HEADERS.schemaId), undefined) // wrong magic: no trustworthy id
    assert.equal(header(producer.sent[2], DLQ_HEADERS.schemaId), '4242')
    assert.equal(header(producer.sent[3], DLQ_HEADERS.schemaId), String(schemaId))
    assert.equal(await counted(metrics, SerdeErrorCodes.SCHEMA_VIOLATION), 1)
    assert.equal(await counted(metrics, SerdeErrorCodes.MALFORMED_FRAME), 1)
  })

  it('rethrows transient registry failures instead of dead-lettering a good message', async () => {
    const registry = stubRegistry()
    const writer = new JsonSerde({ registry })
    await writer.prepare('weather.observations-value', pointSchema)
    const good = writer.serialize('weather.observations-value', { id: 'ok', valueC: 3 })
    const producer = capturingProducer()
    const router = new DeadLetterRouter({ producer, metrics: new Registry() })
    registry.failNext(503)
    await assert.rejects(router.decode(new JsonSerde({ registry }), record(good, 1n)), (e: { retriable?: boolean }) => {
      return e.retriable === true
    })
    assert.equal(producer.sent.length, 0)
  })

  it('producer side: writes the refused value as JSON with the reasons, and fails loudly when the DLQ is down', async () => {
    const serde = new JsonSerde({ registry: stubRegistry() })
    await serde.prepare('sensors.readings-value', pointSchema)
    const value = { id: 'mote:1', valueC: -500 }
    const error = serde.validate('sensors.readings-value', value)
    const producer = capturingProducer()
    const metrics = new Registry()
    const router = new DeadLetterRouter({ producer, metrics, now: () => 1_800_000_000_000 })
    // Two routers on one metrics registry share the counter.
    const second = new DeadLetterRouter({ producer, metrics })
    assert.equal(await router.rejected({ topic: 'sensors.readings', value, error, timestamp: 5 }), 'sensors.dlq')
    await second.rejected({ topic: 'sensors.readings', value, error })
    const sent = producer.sent[0]
    assert.deepEqual(JSON.parse(sent?.value?.toString() ?? ''), value)
    assert.equal(header(sent, DLQ_HEADERS.stage), 'produce')
    assert.equal(header(sent, DLQ_HEADERS.originalTimestamp), '5')
    assert.equal(sent?.timestamp, 1_800_000_000_000, 'stamped when dead-lettered: retention must not delete it at once')
    assert.match(header(sent, DLQ_HEADERS.errorMessage) ?? '', /valueC must be >= -273.15/)
    assert.equal(await counted(metrics, SerdeErrorCodes.SCHEMA_VIOLATION), 2)

    const broken = new DeadLetterRouter({ producer: capturingProducer(new Error('broker down')), metrics })
    await assert.rejects(
      broken.rejected({ topic: 'sensors.readings', value, error }),
      (e: { code?: string }) => e.code === SerdeErrorCodes.DEAD_LETTER_FAILED,
    )
  })

  it('encode: returns the framed record for a valid value, dead-letters an invalid one', async () => {
    const serde = new JsonSerde({ registry: stubRegistry() })
    const { schemaId } = await serde.prepare('weather.observations-value', pointSchema)
    const producer = capturingProducer()
    const router = new DeadLetterRouter({ producer, metrics: new Registry() })
    const key = Buffer.from('metar:KDAL')
    const ok = await router.encode(serde, {
      topic: 'weather.observations',
      key,
      value: { id: 'a', valueC: 1 },
      timestamp: 9,
    })
    assert.equal(ok?.topic, 'weather.observations')
    assert.equal(ok?.timestamp, 9)
    assert.ok(Buffer.isBuffer(ok?.value) && ok.value.readUInt32BE(1) === schemaId)
    assert.equal(producer.sent.length, 0)
    const bad = await router.encode(serde, { topic: 'weather.observations', key, value: { id: 'a' }, timestamp: 9 })
    assert.equal(bad, undefined)
    assert.equal(producer.sent[0]?.topic, 'weather.dlq')
    assert.equal(producer.sent[0]?.key, key)
    assert.equal(header(producer.sent[0], DLQ_HEADERS.errorCode), SerdeErrorCodes.SCHEMA_VIOLATION)
    await assert.rejects(
      router.encode(serde, { topic: 'unprepared', value: {} }),
      (e: { code?: string }) => e.code === SerdeErrorCodes.NOT_PREPARED,
    )
  })
})
