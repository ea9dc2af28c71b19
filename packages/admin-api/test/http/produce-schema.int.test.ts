import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { decodeFrame, SchemaRegistryClient } from '@isobar/core'
import { startRegistryFixture } from '@isobar/registry/fixture'
import { createTestTopic, testKafkaClient } from '@isobar/testing'
import { testApp } from '../helpers.ts'

async function registry(t: TestContext): Promise<SchemaRegistryClient> {
  const running = await startRegistryFixture({ kafka: testKafkaClient(), prefix: 'console-schemas' })
  t.after(() => running.close())
  return new SchemaRegistryClient({ url: running.url, timeoutMs: 5000 })
}

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['stationId', 'temperatureC'],
  properties: {
    stationId: { type: 'string', minLength: 1 },
    temperatureC: { type: 'number', minimum: -90, maximum: 60 },
    kind: { type: 'string', enum: ['metar', 'sim'] },
  },
}

test('schema-aware produce: the latest <topic>-value schema is offered, values validated (422) and sent framed', async (t) => {
  const client = await registry(t)
  const { call } = testApp(t, { registry: client })
  const topic = await createTestTopic(t, { partitions: 1, prefix: 'console-produce-schema' })

  const none = await call('GET', `/api/topics/${topic}/value-schema`)
  assert.equal(none.status, 200)
  assert.deepEqual([none.json.found, none.json.schema], [false, null])
  assert.equal(none.json.reason, `No schema is registered under ${topic}-value`)
  const unframed = await call('POST', `/api/topics/${topic}/messages`, { value: { a: 1 }, valueEncoding: 'registry' })
  assert.equal(unframed.status, 404, 'no schema registered: nothing is produced')

  const id = await client.register(`${topic}-value`, { schema: JSON.stringify(SCHEMA) })
  const offered = await call('GET', `/api/topics/${topic}/value-schema`)
  assert.equal(offered.status, 200, offered.response.body)
  assert.deepEqual(
    {
      found: offered.json.found,
      subject: offered.json.subject,
      version: offered.json.version,
      id: offered.json.id,
      schema: offered.json.schema,
    },
    { found: true, subject: `${topic}-value`, version: 1, id, schema: SCHEMA },
  )

  const invalid = await call('POST', `/api/topics/${topic}/messages`, {
    value: { stationId: '', temperatureC: 99, extra: true },
    valueEncoding: 'registry',
  })
  assert.equal(invalid.status, 422, invalid.response.body)
  assert.equal(invalid.json.error, 'ISOBAR_SERDE_SCHEMA_VIOLATION')
  for (const words of ['/stationId', '/temperatureC', 'unknown property "extra"']) {
    assert.ok(String(invalid.json.message).includes(words), `${words} in: ${invalid.json.message}`)
  }

  const value = { stationId: 'metar:KSEA', temperatureC: 8.5, kind: 'metar' }
  const produced = await call('POST', `/api/topics/${topic}/messages`, { key: 'k', value, valueEncoding: 'registry' })
  assert.equal(produced.status, 201, produced.response.body)
  assert.equal(produced.json.offset, 0, 'the refused value was never produced')

  const admin = testKafkaClient().admin()
  t.after(() => admin.close())
  const read = await admin.readRecords({ topic, partition: 0, from: 'earliest', limit: 10 })
  assert.equal(read.records.length, 1)
  const frame = decodeFrame(read.records[0]?.value)
  assert.equal(frame.schemaId, id)
  assert.deepEqual(JSON.parse(frame.payload.toString('utf8')), value)

  // The message browser decodes it through the registry with the schema id.
  const browsed = await call('GET', `/api/topics/${topic}/messages?partition=0&from=earliest`)
  assert.equal(browsed.json.messages[0].value.schemaId, id)
  assert.deepEqual(browsed.json.messages[0].value.data, value)
})

test('without a schema registry, registry encoding is refused in words', async (t) => {
  const { call } = testApp(t)
  const topic = await createTestTopic(t, { partitions: 1, prefix: 'console-produce-noreg' })
  const refused = await call('POST', `/api/topics/${topic}/messages`, { value: { a: 1 }, valueEncoding: 'registry' })
  assert.equal(refused.status, 400)
  assert.match(refused.json.message, /needs a schema registry/)
  const noSchema = await call('GET', `/api/topics/${topic}/value-schema`)
  assert.equal(noSchema.status, 200)
  assert.equal(noSchema.json.found, false)
  assert.match(noSchema.json.reason, /No schema registry is configured/)
})
