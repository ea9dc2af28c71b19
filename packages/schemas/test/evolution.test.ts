import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { JsonSerde, RegistryRequestError } from '@isobar/core'
import { canRead } from '@isobar/registry'
import {
  SUBJECT_COMPATIBILITY,
  TOPICS,
  registerCatalogue,
  sensorReadingV1,
  sensorReadingV2,
  sensorReadingV3,
  weatherObservationV1,
  weatherObservationV2,
  windowAggregateV1,
  windowAggregateV2,
} from '@isobar/schemas'
import { memoryRegistry, observation, reading } from './helpers.ts'

const subject = 'weather.observations-value'

describe('schema evolution', () => {
  it('v2 readers read v1 data (BACKWARD) for observations and readings, per the registry compatibility engine', () => {
    assert.equal(canRead(weatherObservationV2, weatherObservationV1), true)
    assert.equal(canRead(sensorReadingV2, sensorReadingV1), true)
  })

  it('every catalogued version reads all older ones (BACKWARD_TRANSITIVE), e.g. readings v3 and aggregates v2', () => {
    for (const spec of TOPICS) {
      spec.schemas.forEach((reader, i) => {
        for (const writer of spec.schemas.slice(0, i))
          assert.equal(
            canRead(reader, writer),
            true,
            `${spec.topic} v${i + 1} reads v${spec.schemas.indexOf(writer) + 1}`,
          )
      })
    }
    assert.equal(canRead(sensorReadingV3, sensorReadingV1), true)
    assert.equal(canRead(sensorReadingV3, sensorReadingV2), true)
    assert.equal(canRead(windowAggregateV2, windowAggregateV1), true)
    // Not FORWARD: the closed older models refuse the new properties and enum values.
    assert.equal(canRead(sensorReadingV2, sensorReadingV3), false)
    assert.equal(canRead(windowAggregateV1, windowAggregateV2), false)
  })

  it('refuses a readings v3 or aggregates v2 that would break old data: a required zone, a dropped enum value', () => {
    const requiredZone = { ...sensorReadingV3, required: [...sensorReadingV3.required, 'zoneId'] }
    assert.equal(canRead(requiredZone, sensorReadingV2), false)
    const fewerFields = {
      ...windowAggregateV2,
      properties: {
        ...windowAggregateV2.properties,
        field: { type: 'string', enum: ['co2Ppm', 'vibrationRmsMmPerS', 'powerW'] },
      },
    }
    assert.equal(canRead(fewerFields, windowAggregateV1), false)
  })

  it('the registry accepts the catalogue (v1 then v2) under BACKWARD_TRANSITIVE, idempotently', async (t) => {
    const { client } = await memoryRegistry(t)
    const first = await registerCatalogue(client)
    const framed = TOPICS.filter((s) => s.valueSubject)
    assert.deepEqual(
      first.map((r) => r.subject),
      framed.map((s) => s.valueSubject),
    )
    const observations = first.find((r) => r.subject === subject)
    assert.equal(observations?.ids.length, 2)
    assert.deepEqual(await client.listVersions(subject), [1, 2])
    assert.deepEqual(await client.listVersions('sensors.readings-value'), [1, 2, 3])
    assert.deepEqual(await client.listVersions('sensors.aggregates-value'), [1, 2, 3])
    assert.equal((await client.getConfig(subject)).compatibilityLevel, SUBJECT_COMPATIBILITY)
    assert.deepEqual(await registerCatalogue(client), first)
    // weather.alerts and sensors.alerts share one schema, hence one id.
    const alertIds = first.filter((r) => r.subject.endsWith('.alerts-value')).map((r) => r.ids[0])
    assert.equal(new Set(alertIds).size, 1)
  })

  it('refuses incompatible changes: a new required field, a narrowed type, a removed property', async (t) => {
    const { client } = await memoryRegistry(t)
    await registerCatalogue(client, { topics: ['weather.observations'] })
    const required = {
      ...weatherObservationV2,
      properties: { ...weatherObservationV2.properties, qualityCode: { type: 'string' } },
      required: [...weatherObservationV2.required, 'qualityCode'],
    }
    const narrowed = {
      ...weatherObservationV2,
      properties: { ...weatherObservationV2.properties, eventTimeMs: { type: 'integer', minimum: 1_700_000_000_000 } },
    }
    const remaining = Object.fromEntries(
      Object.entries(weatherObservationV2.properties).filter(([name]) => name !== 'precipitationMm'),
    )
    const removed = { ...weatherObservationV2, properties: remaining }
    for (const schema of [required, narrowed, removed]) {
      assert.equal(canRead(schema, weatherObservationV1), false)
      const check = await client.checkCompatibility(subject, { schema })
      assert.equal(check.isCompatible, false)
      assert.ok(check.messages.length > 0)
      await assert.rejects(
        client.register(subject, { schema }),
        (e: unknown) => e instanceof RegistryRequestError && e.status === 409 && !e.retriable,
      )
    }
    assert.deepEqual(await client.listVersions(subject), [1, 2])
  })

  it('a v2 consumer decodes v1 and v2 messages; a v1 producer keeps writing v1', async (t) => {
    const { client } = await memoryRegistry(t)
    const [v1, v2] = [new JsonSerde({ registry: client }), new JsonSerde({ registry: client })]
    const { schemaId: id1 } = await v1.prepare(subject, weatherObservationV1)
    const { schemaId: id2 } = await v2.prepare(subject, weatherObservationV2)
    assert.notEqual(id1, id2)
    const consumer = new JsonSerde({ registry: client })
    const old = await consumer.deserialize(v1.serialize(subject, observation))
    const current = await consumer.deserialize(v2.serialize(subject, { ...observation, windGustMps: 9 }))
    assert.deepEqual([old.schemaId, current.schemaId], [id1, id2])
    assert.deepEqual(current.value, { ...observation, windGustMps: 9 })
    assert.throws(() => v1.serialize(subject, { ...observation, windGustMps: 9 }), /unknown property "windGustMps"/)
  })

  it('sensor readings evolve the same way through the registry', async (t) => {
    const { client } = await memoryRegistry(t)
    await registerCatalogue(client, { topics: ['sensors.readings'] })
    const serde = new JsonSerde({ registry: client })
    await serde.prepare('sensors.readings-value', sensorReadingV2, { autoRegister: false })
    const decoded = await serde.deserialize(serde.serialize('sensors.readings-value', { ...reading, illuminanceLx: 5 }))
    assert.deepEqual(decoded.value, { ...reading, illuminanceLx: 5 })
  })

  it('a readings v3 producer registers behind v1 and v2; the latest version is v3 and decodes zone fields', async (t) => {
    const { client } = await memoryRegistry(t)
    await registerCatalogue(client, { topics: ['sensors.readings'] })
    const serde = new JsonSerde({ registry: client })
    const { schemaId } = await serde.prepare('sensors.readings-value', sensorReadingV3, { autoRegister: false })
    assert.equal((await client.getVersion('sensors.readings-value', 'latest')).id, schemaId)
    const v3 = { ...reading, siteId: 's01', zoneId: 's01.z2', sensorType: 'co2', co2Ppm: 415 }
    const decoded = await serde.deserialize(serde.serialize('sensors.readings-value', v3))
    assert.deepEqual(decoded, { schemaId, value: v3 })
  })

  it('aggregates v2 is accepted behind v1 under BACKWARD_TRANSITIVE; a narrowed v2 is refused', async (t) => {
    const { client } = await memoryRegistry(t)
    const aggregates = 'aggregates-evolution-value'
    await client.setConfig(aggregates, SUBJECT_COMPATIBILITY)
    await client.register(aggregates, { schema: JSON.stringify(windowAggregateV1) })
    const narrowed = {
      ...windowAggregateV2,
      properties: { ...windowAggregateV2.properties, count: { type: 'integer', minimum: 2 } },
    }
    assert.equal(
      (await client.checkCompatibility(aggregates, { schema: JSON.stringify(narrowed) })).isCompatible,
      false,
    )
    const check = await client.checkCompatibility(aggregates, { schema: JSON.stringify(windowAggregateV2) })
    assert.deepEqual([check.isCompatible, check.messages], [true, []])
    await client.register(aggregates, { schema: JSON.stringify(windowAggregateV2) })
    assert.deepEqual(await client.listVersions(aggregates), [1, 2])
  })
})
