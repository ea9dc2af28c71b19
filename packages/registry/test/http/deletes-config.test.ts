import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { instance, jsonSchema } from '../helpers.ts'

const schema = (n: number) => ({
  type: 'object',
  properties: Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, { type: 'string' }])),
  additionalProperties: false,
})

describe('unit registry HTTP: deletes', () => {
  test('soft then permanent delete of versions, with Confluent codes', async () => {
    const { call } = await instance()
    for (const n of [1, 2, 3]) await call('POST', '/subjects/s/versions', jsonSchema(schema(n)))
    assert.deepEqual((await call('DELETE', '/subjects/s/versions/2?permanent=true')).body.error_code, 40407)
    assert.deepEqual((await call('DELETE', '/subjects/s/versions/2')).body, 2)
    assert.deepEqual((await call('DELETE', '/subjects/s/versions/2')).body.error_code, 40406)
    assert.deepEqual((await call('GET', '/subjects/s/versions')).body, [1, 3])
    assert.deepEqual((await call('GET', '/subjects/s/versions?deleted=true')).body, [1, 2, 3])
    assert.equal((await call('GET', '/subjects/s/versions/2')).body.error_code, 40402)
    assert.equal((await call('GET', '/subjects/s/versions/2?deleted=true')).body.version, 2)
    // Soft-deleted schemas stay fetchable by id.
    assert.equal((await call('GET', '/schemas/ids/2')).status, 200)
    assert.deepEqual((await call('GET', '/schemas/ids/2/versions')).body, [])
    assert.deepEqual((await call('GET', '/schemas/ids/2/versions?deleted=true')).body, [{ subject: 's', version: 2 }])
    assert.deepEqual((await call('DELETE', '/subjects/s/versions/2?permanent=true')).body, 2)
    assert.equal((await call('GET', '/schemas/ids/2')).body.error_code, 40403)
    assert.equal((await call('DELETE', '/subjects/s/versions/9')).body.error_code, 40402)
    assert.equal((await call('DELETE', '/subjects/nope/versions/1')).body.error_code, 40401)
    // latest = latest live version.
    assert.deepEqual((await call('DELETE', '/subjects/s/versions/latest')).body, 3)
    assert.equal((await call('GET', '/subjects/s/versions/latest')).body.version, 1)
  })

  test('subject soft delete, versions continue, permanent delete resets numbering and drops config', async () => {
    const { call } = await instance()
    await call('POST', '/subjects/s/versions', jsonSchema(schema(1)))
    await call('POST', '/subjects/s/versions', jsonSchema(schema(2)))
    await call('PUT', '/config/s', { compatibility: 'NONE' })
    assert.equal((await call('DELETE', '/subjects/s?permanent=true')).body.error_code, 40405)
    assert.deepEqual((await call('DELETE', '/subjects/s')).body, [1, 2])
    assert.equal((await call('DELETE', '/subjects/s')).body.error_code, 40404)
    assert.deepEqual((await call('GET', '/subjects')).body, [])
    assert.deepEqual((await call('GET', '/subjects?deleted=true')).body, ['s'])
    assert.deepEqual((await call('GET', '/subjects?deletedOnly=true')).body, ['s'])
    assert.equal((await call('GET', '/subjects/s/versions')).body.error_code, 40401)
    assert.equal((await call('GET', '/subjects/s/versions/latest')).body.error_code, 40401)
    // Re-registering after a soft delete continues the numbering (and reuses the id).
    const again = await call('POST', '/subjects/s/versions', jsonSchema(schema(1)))
    assert.deepEqual([again.body.version, again.body.id], [3, 1])
    await call('DELETE', '/subjects/s')
    assert.deepEqual((await call('DELETE', '/subjects/s?permanent=true')).body, [1, 2, 3])
    assert.equal((await call('GET', '/config/s')).body.error_code, 40408)
    assert.equal((await call('DELETE', '/subjects/s')).body.error_code, 40401)
    const fresh = await call('POST', '/subjects/s/versions', jsonSchema(schema(5)))
    assert.deepEqual([fresh.body.version, fresh.body.id], [1, 3])
  })

  test('a deleted version no longer blocks a registration', async () => {
    const { call } = await instance()
    await call('POST', '/subjects/s/versions', jsonSchema({ type: 'string' }))
    assert.equal((await call('POST', '/subjects/s/versions', jsonSchema({ type: 'integer' }))).status, 409)
    await call('DELETE', '/subjects/s/versions/1')
    assert.equal((await call('POST', '/subjects/s/versions', jsonSchema({ type: 'integer' }))).status, 200)
  })
})

describe('unit registry HTTP: config, mode, compatibility', () => {
  test('global and subject config', async () => {
    const { call } = await instance()
    assert.deepEqual((await call('GET', '/config')).body, { compatibilityLevel: 'BACKWARD' })
    assert.equal((await call('GET', '/config/s')).body.error_code, 40408)
    assert.deepEqual((await call('GET', '/config/s?defaultToGlobal=true')).body, { compatibilityLevel: 'BACKWARD' })
    assert.deepEqual((await call('PUT', '/config/s', { compatibility: 'full_transitive' })).body, {
      compatibility: 'FULL_TRANSITIVE',
    })
    assert.deepEqual((await call('GET', '/config/s')).body, { compatibilityLevel: 'FULL_TRANSITIVE' })
    const invalid = await call('PUT', '/config/s', { compatibility: 'SIDEWAYS' })
    assert.deepEqual([invalid.status, invalid.body.error_code], [422, 42203])
    assert.deepEqual((await call('PUT', '/config', { compatibility: 'NONE' })).body, { compatibility: 'NONE' })
    assert.deepEqual((await call('GET', '/config')).body, { compatibilityLevel: 'NONE' })
    assert.deepEqual((await call('DELETE', '/config/s')).body, { compatibilityLevel: 'FULL_TRANSITIVE' })
    assert.equal((await call('DELETE', '/config/s')).body.error_code, 40401)
    assert.deepEqual((await call('DELETE', '/config')).body, { compatibilityLevel: 'NONE' })
    assert.deepEqual((await call('GET', '/config')).body, { compatibilityLevel: 'BACKWARD' })
    // Partial update merges.
    await call('PUT', '/config/t', { compatibility: 'FORWARD' })
    assert.deepEqual((await call('PUT', '/config/t', { normalize: true })).body, {
      compatibility: 'FORWARD',
      normalize: true,
    })
  })

  test('the level decides what registers', async () => {
    const { call } = await instance()
    const open1 = { type: 'object', properties: { a: { type: 'string' } } }
    const open2 = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } }
    await call('POST', '/subjects/s/versions', jsonSchema(open1))
    assert.equal((await call('POST', '/subjects/s/versions', jsonSchema(open2))).status, 409)
    await call('PUT', '/config/s', { compatibility: 'FORWARD' })
    assert.equal((await call('POST', '/subjects/s/versions', jsonSchema(open2))).status, 200)
    await call('PUT', '/config/s', { compatibility: 'BACKWARD', compatibilityPolicy: 'LENIENT' })
    const open3 = { ...open2, properties: { ...open2.properties, c: { type: 'string' } } }
    assert.equal((await call('POST', '/subjects/s/versions', jsonSchema(open3))).status, 200)
  })

  test('compatibility endpoints', async () => {
    const { call } = await instance()
    const closed = (props: Record<string, unknown>) => ({
      type: 'object',
      properties: props,
      additionalProperties: false,
    })
    const s = { type: 'string' }
    // Unknown subject with latest → compatible.
    assert.deepEqual((await call('POST', '/compatibility/subjects/x/versions/latest', jsonSchema(s))).body, {
      is_compatible: true,
    })
    assert.equal((await call('POST', '/compatibility/subjects/x/versions/1', jsonSchema(s))).body.error_code, 40401)
    await call('PUT', '/config/c', { compatibility: 'NONE' })
    await call('POST', '/subjects/c/versions', jsonSchema(closed({ a: s })))
    await call('POST', '/subjects/c/versions', jsonSchema(closed({ b: s })))
    await call('PUT', '/config/c', { compatibility: 'BACKWARD' })
    const candidate = jsonSchema(closed({ b: s, c: s }))
    assert.deepEqual((await call('POST', '/compatibility/subjects/c/versions/latest', candidate)).body, {
      is_compatible: true,
    })
    const v1 = await call('POST', '/compatibility/subjects/c/versions/1?verbose=true', candidate)
    assert.equal(v1.body.is_compatible, false)
    assert.ok((v1.body.messages as string[]).some((m) => m.includes('PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL')))
    assert.equal((await call('POST', '/compatibility/subjects/c/versions/9', candidate)).body.error_code, 40402)
    assert.equal((await call('POST', '/compatibility/subjects/c/versions', candidate)).body.is_compatible, true)
    await call('PUT', '/config/c', { compatibility: 'BACKWARD_TRANSITIVE' })
    assert.equal((await call('POST', '/compatibility/subjects/c/versions', candidate)).body.is_compatible, false)
    const invalid = await call('POST', '/compatibility/subjects/c/versions/latest', { schemaType: 'JSON', schema: '{' })
    assert.equal(invalid.body.error_code, 42201)
    const verboseInvalid = await call('POST', '/compatibility/subjects/c/versions/latest?verbose=true', {
      schemaType: 'JSON',
      schema: '{',
    })
    assert.equal(verboseInvalid.body.is_compatible, false)
  })

  test('mode: READONLY blocks writes, IMPORT allows explicit ids', async () => {
    const { call } = await instance()
    assert.deepEqual((await call('GET', '/mode')).body, { mode: 'READWRITE' })
    assert.equal((await call('GET', '/mode/s')).body.error_code, 40409)
    assert.equal((await call('PUT', '/mode/s', { mode: 'SIDEWAYS' })).body.error_code, 42204)
    assert.deepEqual((await call('PUT', '/mode/s', { mode: 'readonly' })).body, { mode: 'READONLY' })
    const blocked = await call('POST', '/subjects/s/versions', jsonSchema({ type: 'string' }))
    assert.deepEqual([blocked.status, blocked.body.error_code], [422, 42205])
    assert.deepEqual((await call('DELETE', '/mode/s')).body, { mode: 'READONLY' })
    assert.equal(
      (await call('POST', '/subjects/s/versions', jsonSchema({ type: 'string' }, { id: 50 }))).body.error_code,
      42205,
    )
    await call('POST', '/subjects/live/versions', jsonSchema({ type: 'string' }))
    assert.equal((await call('PUT', '/mode', { mode: 'IMPORT' })).body.error_code, 42205)
    assert.deepEqual((await call('PUT', '/mode/imp', { mode: 'IMPORT' })).body, { mode: 'IMPORT' })
    const imported = await call(
      'POST',
      '/subjects/imp/versions',
      jsonSchema({ type: 'number' }, { id: 50, version: 7 }),
    )
    assert.deepEqual([imported.body.id, imported.body.version], [50, 7])
    const clash = await call('POST', '/subjects/imp/versions', jsonSchema({ type: 'boolean' }, { id: 50 }))
    assert.deepEqual([clash.status, clash.body.error_code], [422, 42207])
    await call('DELETE', '/mode/imp')
    // Normal registrations continue after the imported id.
    assert.equal((await call('POST', '/subjects/next/versions', jsonSchema({ type: 'null' }))).body.id, 51)
  })

  test('misc endpoints', async () => {
    const { call } = await instance()
    assert.deepEqual((await call('GET', '/')).body, {})
    assert.deepEqual((await call('GET', '/contexts')).body, ['.'])
    const assoc = await call('GET', '/associations/resources/-/orders?resourceType=topic&associationType=value')
    assert.deepEqual([assoc.status, assoc.body], [200, []])
  })
})
