/**
 * @kafkajs/confluent-schema-registry, unchanged, against our registry server: it registers and looks up
 * schemas over the REST API, and the bytes it encodes are decoded by our serde and vice versa.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { JsonSerde } from '@isobar/core'
import { valueSubject, weatherObservationV2 } from '../src/index.ts'
import { memoryRegistry, observation } from './helpers.ts'

test('the kafkajs registry client registers, looks up and round-trips values with our serde', async (t) => {
  const { url, client } = await memoryRegistry(t)
  // The client's JSON support takes an ajv instance; ours speak draft 2020-12 like the schemas.
  const kafkajs = new SchemaRegistry(
    { host: url },
    { [SchemaType.JSON]: { ajvInstance: new Ajv2020({ strict: false }) } },
  )
  const subject = valueSubject('weather.observations')

  const { id } = await kafkajs.register(
    { type: SchemaType.JSON, schema: JSON.stringify(weatherObservationV2) },
    { subject },
  )
  assert.ok(id > 0)
  assert.equal(await kafkajs.getLatestSchemaId(subject), id)
  assert.equal(
    await kafkajs.getRegistryIdBySchema(subject, {
      type: SchemaType.JSON,
      schema: JSON.stringify(weatherObservationV2),
    }),
    id,
  )

  const serde = new JsonSerde({ registry: client })
  const prepared = await serde.prepare(subject, weatherObservationV2)
  assert.equal(prepared.schemaId, id, 'same schema, same id, whoever registers it')

  const theirs = await kafkajs.encode(id, observation)
  assert.deepEqual((await serde.deserialize(theirs)).value, observation)

  const ours = serde.serialize(subject, observation)
  assert.deepEqual(await kafkajs.decode(ours), observation)
  assert.ok(theirs.equals(ours), 'identical wire bytes')

  await assert.rejects(kafkajs.encode(id, { ...observation, temperatureC: 'hot' }), /invalid|validation/i)
})
