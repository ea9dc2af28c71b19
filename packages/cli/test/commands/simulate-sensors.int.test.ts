import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { JsonSerde, SchemaRegistryClient, javaPartitionForKey, type ConsumedRecord } from '@isobar/core'
import { MemorySchemaLog, Registry, buildRegistryApp } from '@isobar/registry'
import { latestSchema, type SensorReading } from '@isobar/schemas'
import { FAULTS_HEADER } from '@isobar/simulator'
import { createTestTopic, runIsobar, testKafkaClient } from '@isobar/testing'

const COUNT = 6000
const PARTITIONS = 6

// The real registry server over an in-memory log, in this process; the CLI child reaches it over 127.0.0.1.
const registry = new Registry(new MemorySchemaLog(), { timeoutMs: 2000 })
const app = buildRegistryApp({ registry })
let registryUrl: string
before(async () => {
  await registry.start()
  registryUrl = await app.listen({ port: 0, host: '127.0.0.1' })
})
after(() => app.close())

async function readAll(topic: string, partitions: number, limit: number): Promise<ConsumedRecord[]> {
  const admin = testKafkaClient().admin()
  const records: ConsumedRecord[] = []
  try {
    for (let partition = 0; partition < partitions; partition++) {
      const read = await admin.readRecords({ topic, partition, from: 'earliest', limit, timeoutMs: 20_000 })
      records.push(...read.records)
    }
  } finally {
    await admin.close()
  }
  return records
}

test('isobar simulate sensors: N readings keyed by sensor id, all acknowledged, readable, one partition per sensor', async (t) => {
  const topic = await createTestTopic(t, { partitions: PARTITIONS, prefix: 'sim-readings' })
  const run = await runIsobar(
    [
      'simulate',
      'sensors',
      '--sensors',
      '60',
      '--count',
      String(COUNT),
      '--rate',
      'max',
      '--seed',
      '7',
      '--topic',
      topic,
    ].concat(['--fault', 'spike=0.02', '--fault', 'duplicate=0.02', '--format', 'json', '--json']),
    { timeoutMs: 60_000 },
  )
  assert.equal(run.exitCode, 0, run.stderr)
  const summary = JSON.parse(run.stdout)
  assert.deepEqual([summary.sent, summary.acked, summary.failed, summary.invalid], [COUNT, COUNT, 0, 0])
  assert.deepEqual([summary.errors, summary.format], [[], 'json'])
  assert.ok(summary.faults.spike > 0 && summary.faults.duplicate > 0, JSON.stringify(summary.faults))

  const records = await readAll(topic, PARTITIONS, COUNT)
  assert.equal(records.length, COUNT)
  const partitionsOfSensor = new Map<string, Set<number>>()
  let tagged = 0
  for (const record of records) {
    const key = record.key!.toString()
    const value = JSON.parse(record.value!.toString())
    assert.equal(value.sensorId, key)
    assert.equal(record.partition, javaPartitionForKey(record.key!, PARTITIONS), 'the Java default partitioner')
    partitionsOfSensor.set(key, (partitionsOfSensor.get(key) ?? new Set()).add(record.partition))
    if (record.headers[FAULTS_HEADER]) tagged++
  }
  assert.equal(partitionsOfSensor.size, 60)
  assert.ok([...partitionsOfSensor.values()].every((p) => p.size === 1))
  assert.ok(new Set(records.map((r) => r.partition)).size > 1, 'sensors spread over partitions')
  const faultTotal = Object.values(summary.faults as Record<string, number>).reduce((a, b) => a + b, 0)
  assert.ok(tagged > 0 && tagged <= faultTotal, `${tagged} tagged records, ${faultTotal} faults`)
})

test('isobar simulate sensors with a registry: wire-format records with the registered schema id, valid v3 readings', async (t) => {
  const topic = await createTestTopic(t, { partitions: 2, prefix: 'sim-registry' })
  const count = 3000
  const run = await runIsobar(
    ['simulate', 'sensors', '--sensors', '120', '--count', String(count), '--rate', 'max', '--seed', '3'].concat([
      '--topic',
      topic,
      '--fault',
      'spike=0.05',
      '--registry-url',
      registryUrl,
      '--json',
    ]),
    { timeoutMs: 60_000 },
  )
  assert.equal(run.exitCode, 0, run.stderr)
  const summary = JSON.parse(run.stdout)
  const client = new SchemaRegistryClient({ url: registryUrl })
  const registered = await client.getVersion(`${topic}-value`, 'latest')
  assert.deepEqual(JSON.parse(registered.schema), latestSchema('sensors.readings'))
  assert.deepEqual(
    [summary.format, summary.registryUrl, summary.schemaId, summary.sent, summary.acked, summary.invalid],
    ['registry', registryUrl, registered.id, count, count, 0],
  )

  const records = await readAll(topic, 2, count)
  assert.equal(records.length, count)
  const serde = new JsonSerde({ registry: client })
  const zones = new Set<string>()
  for (const record of records) {
    const value = record.value!
    assert.equal(value[0], 0, 'magic byte')
    assert.equal(value.readInt32BE(1), registered.id, 'the registered schema id')
    // deserialize validates against the writer schema: a violation would throw.
    const decoded = await serde.deserialize<SensorReading>(value)
    assert.equal(decoded.value.sensorId, record.key!.toString())
    assert.match(decoded.value.zoneId ?? '', /^s\d{2}\.z\d$/)
    assert.ok(decoded.value.sensorId.startsWith(`sim:${decoded.value.zoneId}.${decoded.value.sensorType}-`))
    zones.add(decoded.value.zoneId!)
  }
  assert.equal(zones.size, 8, '120 sensors: 2 sites × 4 zones')

  // SCHEMA_REGISTRY_URL alone makes registry the default format; the same schema keeps its id.
  const again = await runIsobar(
    ['simulate', 'sensors', '--sensors', '12', '--count', '50', '--rate', 'max', '--topic', topic, '--json'],
    { env: { SCHEMA_REGISTRY_URL: registryUrl }, timeoutMs: 30_000 },
  )
  assert.equal(again.exitCode, 0, again.stderr)
  const second = JSON.parse(again.stdout)
  assert.deepEqual([second.format, second.schemaId, second.acked], ['registry', registered.id, 50])
})

test('isobar simulate sensors refuses bad options with a usage error', async () => {
  const bad = await runIsobar(['simulate', 'sensors', '--fault', 'gremlins=0.1'])
  assert.equal(bad.exitCode, 2)
  assert.match(bad.stderr, /unknown fault "gremlins"/)
  const rate = await runIsobar(['simulate', 'sensors', '--rate', 'fast'])
  assert.equal(rate.exitCode, 2)
  assert.match(rate.stderr, /--rate must be a positive number or "max"/)
  const format = await runIsobar(['simulate', 'sensors', '--format', 'avro'])
  assert.equal(format.exitCode, 2)
  assert.match(format.stderr, /--format must be registry or json, got "avro"/)
})
