import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import {
  BatchingProducer,
  JsonSerde,
  SchemaRegistryClient,
  createMetricsRegistry,
  type Producer,
  type ProducerRecord,
} from '@isobar/core'
import { MemorySchemaLog, Registry, buildRegistryApp } from '@isobar/registry'
import { latestSchema, sensorReadingV2, type SensorReading } from '@isobar/schemas'
import {
  NO_FAULTS,
  SensorSimulator,
  isReadingFormat,
  jsonReadingEncoding,
  readingRecord,
  registryReadingEncoding,
  runSimulation,
  type ReadingEncoder,
} from '@isobar/simulator'

const START = Date.UTC(2026, 0, 1)

/** The real registry server over an in-memory log on a random 127.0.0.1 port (no Kafka needed). */
async function memoryRegistry(t: TestContext): Promise<SchemaRegistryClient> {
  const registry = new Registry(new MemorySchemaLog(), { timeoutMs: 2000 })
  await registry.start()
  const app = buildRegistryApp({ registry })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  t.after(() => app.close())
  return new SchemaRegistryClient({ url, timeoutMs: 120_000 })
}

/** A producer that acknowledges everything in memory. */
function memoryProducer(): { producer: BatchingProducer; records: ProducerRecord[] } {
  const records: ProducerRecord[] = []
  const inner: Producer = {
    send: (batch) => {
      records.push(...batch)
      return Promise.resolve([])
    },
    close: () => Promise.resolve(),
  }
  return {
    producer: new BatchingProducer(inner, { maxRecords: 500, maxBytes: 1 << 20, lingerMs: 1, maxInFlight: 2 }),
    records,
  }
}

test('registry encoding: registers the latest readings schema under <topic>-value and frames readings', async (t) => {
  const client = await memoryRegistry(t)
  const encoding = await registryReadingEncoding(client, { topic: 'sim-enc' })
  assert.equal(encoding.format, 'registry')
  assert.equal(encoding.subject, 'sim-enc-value')
  const latest = await client.getVersion('sim-enc-value', 'latest')
  assert.equal(latest.id, encoding.schemaId)
  assert.deepEqual(JSON.parse(latest.schema), latestSchema('sensors.readings'))

  const reading = new SensorSimulator({ sensors: 12, seed: 3, startMs: START, intervalMs: 1000 }).next()
  const record = readingRecord('sim-enc', reading, encoding.encode)
  assert.equal(record.value![0], 0, 'magic byte')
  assert.equal(record.value!.readUInt32BE(1), encoding.schemaId)
  const decoded = await new JsonSerde({ registry: client }).deserialize<SensorReading>(record.value)
  assert.deepEqual(decoded, { schemaId: encoding.schemaId, value: reading.value })
  assert.equal(decoded.value.zoneId, reading.sensor.zoneId)
})

test('registry encoding: lookup only (autoRegister false) refuses an unregistered subject; an old schema refuses v3 fields', async (t) => {
  const client = await memoryRegistry(t)
  await assert.rejects(registryReadingEncoding(client, { topic: 'sim-none', autoRegister: false }), /not found/i)
  const v2 = await registryReadingEncoding(client, { topic: 'sim-v2', schema: sensorReadingV2 })
  const reading = new SensorSimulator({ sensors: 6, seed: 3, startMs: START, intervalMs: 1000 }).next()
  assert.throws(
    () => v2.encode(reading.value),
    /ISOBAR_SERDE_SCHEMA_VIOLATION|unknown property|must NOT have additional/,
  )
})

test('formats: registry and json are the only ones; json is plain JSON text', () => {
  assert.deepEqual([isReadingFormat('registry'), isReadingFormat('json'), isReadingFormat('avro')], [true, true, false])
  const reading = new SensorSimulator({ sensors: 6, seed: 3, startMs: START, intervalMs: 1000 }).next()
  assert.deepEqual(JSON.parse(jsonReadingEncoding.encode(reading.value).toString()), reading.value)
})

test('runSimulation: a reading the encoder refuses is counted and reported, the run goes on', async (t) => {
  const client = await memoryRegistry(t)
  const encoding = await registryReadingEncoding(client, { topic: 'sim-run' })
  // Corrupt every 100th reading so the serde refuses it (a schema violation, as a buggy fault would cause).
  let n = 0
  const encode: ReadingEncoder = (value) => encoding.encode(++n % 100 === 0 ? { ...value, sequence: -1 } : value)
  const { producer, records } = memoryProducer()
  const metrics = createMetricsRegistry('simulator-test', { runtimeMetrics: false })
  const simulator = new SensorSimulator({ sensors: 60, seed: 1, startMs: START, intervalMs: 1000, faults: NO_FAULTS })
  const summary = await runSimulation({
    simulator,
    producer,
    topic: 'sim-run',
    rate: Infinity,
    count: 5000,
    encode,
    metrics,
  })
  assert.deepEqual([summary.sent, summary.invalid, summary.acked, summary.failed], [4950, 50, 4950, 0])
  assert.equal(records.length, 4950)
  assert.equal(summary.errors.length, 1, 'the same violation is reported once')
  assert.match(summary.errors[0]!, /sequence/)
  assert.match(await metrics.metrics(), /isobar_simulator_readings_invalid_total\{[^}]*\} 50\n/)
  for (const record of records.slice(0, 200)) assert.equal(record.value![0], 0)
})

test('runSimulation: a delivery failure (after the client retries) ends the run; nothing is re-sent', async () => {
  const sent: ProducerRecord[] = []
  let sends = 0
  const inner: Producer = {
    send: (batch) => {
      sent.push(...batch)
      return ++sends === 3 ? Promise.reject(new Error('delivery timeout')) : Promise.resolve([])
    },
    close: () => Promise.resolve(),
  }
  const producer = new BatchingProducer(inner, { maxRecords: 100, maxBytes: 1 << 20, lingerMs: 1, maxInFlight: 1 })
  const simulator = new SensorSimulator({ sensors: 60, seed: 1, startMs: START, intervalMs: 1000, faults: NO_FAULTS })
  const summary = await runSimulation({ simulator, producer, topic: 'sim-fail', rate: Infinity, count: 100_000 })
  assert.equal(summary.failed, 100, 'the failed batch')
  assert.ok(summary.sent < 100_000, 'the run stopped early')
  assert.equal(summary.acked + summary.failed, summary.sent)
  assert.equal(sent.length, summary.sent, 'every record sent once')
  assert.deepEqual(summary.errors, ['delivery timeout'])
})
