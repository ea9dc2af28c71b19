import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { JsonSerde, SchemaViolationError, SerdeErrorCodes, decodeFrame, encodeJsonFrame } from '@isobar/core'
import { pointSchema, stubRegistry } from './stub-registry.ts'

const hasCode = (code: string) => (e: { code?: string }) => e.code === code

describe('JsonSerde', () => {
  it('serialises a valid value as a frame of the prepared schema id and reads it back', async () => {
    const serde = new JsonSerde({ registry: stubRegistry() })
    const { schemaId } = await serde.prepare('points-value', pointSchema)
    const frame = serde.serialize('points-value', { id: 'a', valueC: 21.5 })
    assert.equal(decodeFrame(frame).schemaId, schemaId)
    assert.deepEqual(await new JsonSerde({ registry: serde.registry }).deserialize(frame), {
      schemaId,
      value: { id: 'a', valueC: 21.5 },
    })
  })

  it('refuses to serialise an invalid value with a typed error naming the subject and reasons', async () => {
    const serde = new JsonSerde({ registry: stubRegistry() })
    await serde.prepare('points-value', pointSchema)
    assert.throws(
      () => serde.serialize('points-value', { id: 'a', valueC: -300, extra: 1 }),
      (e: unknown) =>
        e instanceof SchemaViolationError &&
        e.code === SerdeErrorCodes.SCHEMA_VIOLATION &&
        e.violations.length === 2 &&
        /points-value/.test(e.message) &&
        /valueC must be >= -273.15/.test(e.message),
    )
    assert.ok(serde.validate('points-value', { id: 1 }) instanceof SchemaViolationError)
    assert.equal(serde.validate('points-value', { id: 'b', valueC: 0 }), undefined)
  })

  it('prepare retries a registry that is not ready yet (5xx, e.g. leader not known) and gives up on client errors', async () => {
    const registry = stubRegistry()
    const serde = new JsonSerde({ registry })
    const retries: number[] = []
    registry.failNext(500)
    const { schemaId } = await serde.prepare('points-value', pointSchema, {
      onRetry: (_error, attempt) => retries.push(attempt),
    })
    assert.deepEqual(retries, [1])
    assert.ok(schemaId > 0)
    assert.equal(registry.calls.filter((c) => c === 'register points-value').length, 2)
    registry.failNext(409) // incompatible: never retried
    await assert.rejects(serde.prepare('points-value', pointSchema, { onRetry: () => retries.push(99) }), {
      errorCode: 40901,
    })
    assert.deepEqual(retries, [1])
    registry.failNext(503) // retries switched off: the first failure is final
    await assert.rejects(serde.prepare('points-value', pointSchema, { retryForMs: 0 }), { retriable: true })
  })

  it('needs prepare first; prepareLatest binds the newest version; lookup-only fails for an unknown schema', async () => {
    const registry = stubRegistry()
    const serde = new JsonSerde({ registry })
    assert.throws(() => serde.serialize('points-value', {}), hasCode(SerdeErrorCodes.NOT_PREPARED))
    await assert.rejects(
      serde.prepare('points-value', pointSchema, { autoRegister: false }),
      (e: { errorCode?: number }) => e.errorCode === 40403,
    )
    const { schemaId } = await serde.prepare('points-value', pointSchema)
    const other = new JsonSerde({ registry })
    assert.equal((await other.prepareLatest('points-value')).schemaId, schemaId)
    assert.equal(decodeFrame(other.serialize('points-value', { id: 'x', valueC: 1 })).schemaId, schemaId)
  })

  it('fetches each writer schema once, then decodes from the cache', async () => {
    const registry = stubRegistry()
    const producer = new JsonSerde({ registry })
    await producer.prepare('points-value', pointSchema)
    const consumer = new JsonSerde({ registry })
    for (let i = 0; i < 5; i++)
      await consumer.deserialize(producer.serialize('points-value', { id: `${i}`, valueC: i }))
    assert.equal(registry.calls.filter((c) => c.startsWith('id ')).length, 1)
  })

  it('classifies each poison message and keeps registry outages retriable', async () => {
    const registry = stubRegistry()
    const serde = new JsonSerde({ registry })
    const { schemaId } = await serde.prepare('points-value', pointSchema)
    const wrongMagic = serde.serialize('points-value', { id: 'a', valueC: 1 })
    wrongMagic[0] = 9
    await assert.rejects(serde.deserialize(wrongMagic), hasCode(SerdeErrorCodes.MALFORMED_FRAME))
    await assert.rejects(serde.deserialize(Buffer.from('{"id":"a"}')), hasCode(SerdeErrorCodes.MALFORMED_FRAME))
    await assert.rejects(serde.deserialize(encodeJsonFrame(999, '{}')), hasCode(SerdeErrorCodes.UNKNOWN_SCHEMA_ID))
    await assert.rejects(serde.deserialize(encodeJsonFrame(schemaId, '{"id":')), hasCode(SerdeErrorCodes.INVALID_JSON))
    await assert.rejects(
      serde.deserialize(encodeJsonFrame(schemaId, '{"id":"a","valueC":"warm"}')),
      hasCode(SerdeErrorCodes.SCHEMA_VIOLATION),
    )
    const fresh = new JsonSerde({ registry })
    registry.failNext(503)
    await assert.rejects(
      fresh.deserialize(encodeJsonFrame(schemaId, '{"id":"a","valueC":1}')),
      (e: { code?: string; retriable?: boolean }) =>
        e.code === SerdeErrorCodes.REGISTRY_REQUEST_FAILED && e.retriable === true,
    )
    // The failure was not cached: the next attempt succeeds.
    assert.equal((await fresh.deserialize(encodeJsonFrame(schemaId, '{"id":"a","valueC":1}'))).schemaId, schemaId)
  })
})
