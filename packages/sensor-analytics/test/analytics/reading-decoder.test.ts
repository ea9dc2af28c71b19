import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import { SchemaRegistryClient, SerdeErrorCodes, SubjectSchemaIds, encodeFrame } from '@isobar/core'
import { MemorySchemaLog, Registry, buildRegistryApp } from '@isobar/registry'
import { latestSchema } from '@isobar/schemas'
import { ParseDeferredError } from '@isobar/stream'
import { createReadingDecoder } from '../../src/analytics/reading.ts'

/** The real registry server over an in-memory log on a random 127.0.0.1 port (no Kafka needed). */
async function memoryRegistry(t: TestContext): Promise<SchemaRegistryClient> {
  const registry = new Registry(new MemorySchemaLog(), { timeoutMs: 2000 })
  await registry.start()
  const app = buildRegistryApp({ registry })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  t.after(() => app.close())
  return new SchemaRegistryClient({ url, timeoutMs: 120_000 })
}

const READING = {
  sensorId: 'sim:s01.z1.temperature-00001',
  siteId: 's01',
  zoneId: 's01.z1',
  sensorType: 'temperature',
  sequence: 1,
  eventTimeMs: 1_767_225_600_000,
  ingestTimeMs: 1_767_225_600_000,
  temperatureC: 21.5,
}

/** Decodes like the stream runner: a deferred parse waits for its lookup and decodes again. */
async function decode(decoder: ReturnType<typeof createReadingDecoder>, value: Buffer): Promise<unknown> {
  try {
    return decoder.reading(value)
  } catch (error) {
    if (!(error instanceof ParseDeferredError)) throw error
    await error.until
    return decoder.reading(value)
  }
}

const codeOf = async (promise: Promise<unknown>): Promise<string | undefined> =>
  promise.then(
    () => undefined,
    (error: unknown) => (error as { code?: string }).code,
  )

test('reading decoder: only ids of the readings subject, finite numbers, valid UTF-8 (issue #10 point 6)', async (t) => {
  const client = await memoryRegistry(t)
  const readingsId = await client.register('t-readings-value', { schema: latestSchema('sensors.readings') })
  const weatherId = await client.register('t-observations-value', { schema: latestSchema('weather.observations') })
  const decoder = createReadingDecoder({
    schemaIds: new SubjectSchemaIds({ registry: client, subject: 't-readings-value' }),
  })
  const json = Buffer.from(JSON.stringify(READING))

  assert.deepEqual(await decode(decoder, encodeFrame(readingsId, json)), READING)
  assert.deepEqual(decoder.reading(json), READING, 'plain JSON readings are still read')
  // The same valid reading under any other id is refused, with the reason.
  assert.equal(await codeOf(decode(decoder, encodeFrame(weatherId, json))), SerdeErrorCodes.WRONG_SUBJECT)
  for (const id of [0, 999_999, 2 ** 31 - 1]) {
    assert.equal(await codeOf(decode(decoder, encodeFrame(id, json))), SerdeErrorCodes.UNKNOWN_SCHEMA_ID, `id ${id}`)
  }
  const maxId = Buffer.from(json)
  const frame = Buffer.concat([Buffer.from([0, 0xff, 0xff, 0xff, 0xff]), maxId])
  assert.equal(await codeOf(decode(decoder, frame)), SerdeErrorCodes.UNKNOWN_SCHEMA_ID, 'id 2^32-1')

  const infinite = Buffer.from(JSON.stringify(READING).replace('21.5', '1e999'))
  assert.equal(await codeOf(decode(decoder, infinite)), SerdeErrorCodes.INVALID_JSON)
  assert.equal(await codeOf(decode(decoder, encodeFrame(readingsId, infinite))), SerdeErrorCodes.INVALID_JSON)
  const badUtf8 = Buffer.from(JSON.stringify(READING).replace('s01.z1', 's01.z\u00ff'), 'latin1')
  assert.equal(await codeOf(decode(decoder, badUtf8)), SerdeErrorCodes.INVALID_JSON)
})

test('reading decoder without a registry: framed values are refused (their id cannot be checked)', async () => {
  const decoder = createReadingDecoder()
  const json = Buffer.from(JSON.stringify(READING))
  assert.equal(await codeOf(decode(decoder, encodeFrame(1, json))), SerdeErrorCodes.UNKNOWN_SCHEMA_ID)
  assert.deepEqual(decoder.reading(json), READING)
})
