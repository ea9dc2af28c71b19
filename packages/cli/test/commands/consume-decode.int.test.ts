import assert from 'node:assert/strict'
import { after, before, test } from 'node:test'
import { JsonSerde, SchemaRegistryClient } from '@isobar/core'
import { MemorySchemaLog, Registry, buildRegistryApp } from '@isobar/registry'
import { createTestTopic, runIsobar, testKafkaClient } from '@isobar/testing'

const registry = new Registry(new MemorySchemaLog(), { timeoutMs: 2000 })
const app = buildRegistryApp({ registry })
let registryUrl: string

before(async () => {
  await registry.start()
  registryUrl = await app.listen({ port: 0, host: '127.0.0.1' })
})
after(() => app.close())

const schema = {
  type: 'object',
  properties: { stationId: { type: 'string' }, temperatureC: { type: 'number' } },
  required: ['stationId', 'temperatureC'],
}

test('consume decodes Schema Registry framed values into JSON with their schema id; --raw shows the bytes', async (t) => {
  const topic = await createTestTopic(t, { prefix: 'cli-decode' })
  const serde = new JsonSerde({ registry: new SchemaRegistryClient({ url: registryUrl }) })
  const { schemaId } = await serde.prepare(`${topic}-value`, schema)
  const producer = testKafkaClient().producer()
  await producer.send([
    {
      topic,
      key: Buffer.from('KSEA'),
      value: serde.serialize(`${topic}-value`, { stationId: 'KSEA', temperatureC: 8.5 }),
    },
  ])
  await producer.close()

  const env = { SCHEMA_REGISTRY_URL: registryUrl }
  const decoded = await runIsobar(['consume', topic, '--from-beginning', '--max-messages', '1', '--json'], { env })
  assert.equal(decoded.exitCode, 0, decoded.stderr)
  const record = JSON.parse(decoded.stdout)
  assert.deepEqual(record.value, { stationId: 'KSEA', temperatureC: 8.5 })
  assert.equal(record.schemaId, schemaId)

  const raw = await runIsobar(['consume', topic, '--from-beginning', '--max-messages', '1', '--json', '--raw'], { env })
  const rawRecord = JSON.parse(raw.stdout)
  assert.equal(rawRecord.valueEncoding, 'base64')
  assert.equal(Buffer.from(rawRecord.value, 'base64')[0], 0, 'magic byte')
})
