import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { instance, jsonSchema } from '../helpers.ts'

const v1 = { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false }
const v2 = {
  type: 'object',
  properties: { a: { type: 'string' }, b: { type: 'integer' } },
  additionalProperties: false,
}
const v3 = { type: 'object', properties: { a: { type: 'integer' } }, additionalProperties: false }

describe('unit registry HTTP: subjects and versions', () => {
  test('register, get by version and id, list, dedupe', async () => {
    const { call } = await instance()
    const r1 = await call('POST', '/subjects/orders-value/versions', jsonSchema(v1))
    assert.equal(r1.status, 200)
    assert.equal(r1.body.id, 1)
    assert.equal(r1.body.version, 1)
    assert.equal(r1.body.schemaType, 'JSON')
    assert.match(r1.body.guid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    // Exactly Confluent's type, no charset suffix.
    assert.equal(r1.type, 'application/vnd.schemaregistry.v1+json')

    // Same schema again (whitespace differs): same id and version, nothing written.
    const again = await call('POST', '/subjects/orders-value/versions', {
      schemaType: 'JSON',
      schema: JSON.stringify(v1, null, 2),
    })
    assert.deepEqual([again.body.id, again.body.version], [1, 1])

    const r2 = await call('POST', '/subjects/orders-value/versions', jsonSchema(v2))
    assert.deepEqual([r2.status, r2.body.id, r2.body.version], [200, 2, 2])
    // Same schema in another subject reuses the id.
    const other = await call('POST', '/subjects/other/versions', jsonSchema(v1))
    assert.deepEqual([other.body.id, other.body.version], [1, 1])

    assert.deepEqual((await call('GET', '/subjects')).body, ['orders-value', 'other'])
    assert.deepEqual((await call('GET', '/subjects/orders-value/versions')).body, [1, 2])
    const latest = await call('GET', '/subjects/orders-value/versions/latest')
    assert.deepEqual([latest.body.subject, latest.body.version, latest.body.id], ['orders-value', 2, 2])
    assert.equal((await call('GET', '/subjects/orders-value/versions/-1')).body.version, 2)
    assert.equal(JSON.parse((await call('GET', '/subjects/orders-value/versions/1')).body.schema).type, 'object')
    assert.deepEqual((await call('GET', '/subjects/orders-value/versions/1/schema')).body, v1)

    const byId = await call('GET', '/schemas/ids/2')
    assert.deepEqual(byId.body, { schema: JSON.stringify(v2), schemaType: 'JSON' })
    assert.deepEqual((await call('GET', '/schemas/ids/1/versions')).body, [
      { subject: 'orders-value', version: 1 },
      { subject: 'other', version: 1 },
    ])
    assert.deepEqual((await call('GET', '/schemas/ids/1/subjects')).body, ['orders-value', 'other'])
    assert.deepEqual((await call('GET', `/schemas/guids/${r1.body.guid}`)).body.schema, JSON.stringify(v1))
    assert.deepEqual((await call('GET', '/schemas/types')).body, ['JSON', 'AVRO'])
  })

  test('lookup: found, schema not in subject (40403), unknown subject (40401), invalid (42201)', async () => {
    const { call } = await instance()
    await call('POST', '/subjects/s/versions', jsonSchema(v1))
    const found = await call('POST', '/subjects/s', jsonSchema(v1))
    assert.deepEqual([found.status, found.body.id, found.body.version, found.body.subject], [200, 1, 1, 's'])
    const missing = await call('POST', '/subjects/s', jsonSchema(v2))
    assert.deepEqual([missing.status, missing.body.error_code], [404, 40403])
    const unknown = await call('POST', '/subjects/nope', jsonSchema(v1))
    assert.deepEqual([unknown.status, unknown.body.error_code], [404, 40401])
    const invalid = await call('POST', '/subjects/s', { schemaType: 'JSON', schema: '{not json' })
    assert.deepEqual([invalid.status, invalid.body.error_code], [422, 42201])
  })

  test('not-found and invalid-version codes', async () => {
    const { call } = await instance()
    await call('POST', '/subjects/s/versions', jsonSchema(v1))
    const cases: Array<[string, number, number]> = [
      ['/subjects/nope/versions', 404, 40401],
      ['/subjects/nope/versions/1', 404, 40401],
      ['/subjects/s/versions/7', 404, 40402],
      ['/subjects/s/versions/0', 422, 42202],
      ['/subjects/s/versions/-2', 422, 42202],
      ['/subjects/s/versions/abc', 422, 42202],
      ['/subjects/s/versions/2147483648', 422, 42202],
      ['/schemas/ids/99', 404, 40403],
      ['/schemas/ids/abc', 404, 404],
      ['/schemas/ids/99/versions', 404, 40403],
      ['/schemas/guids/00000000-0000-0000-0000-000000000000', 404, 40403],
      ['/no/such/route', 404, 404],
    ]
    for (const [url, status, code] of cases) {
      const r = await call('GET', url)
      assert.deepEqual([r.status, r.body.error_code, typeof r.body.message], [status, code, 'string'], url)
    }
  })

  test('invalid schemas are 422/42201 naming the problem', async () => {
    const { call } = await instance()
    const bad: Array<[unknown, RegExp]> = [
      [{ schemaType: 'JSON', schema: '{"type": "strin"}' }, /type/],
      [{ schemaType: 'JSON', schema: '{nope' }, /not valid JSON/],
      [{ schemaType: 'JSON', schema: '' }, /Empty schema/],
      [{ schemaType: 'JSON' }, /Empty schema/],
      [{ schemaType: 'JSON', schema: 42 }, /must be a string/],
      [{ schemaType: 'JSON', schema: '[1]' }, /object or a boolean/],
      [{ schemaType: 'XML', schema: '{}' }, /Invalid schema type XML/],
      [{ schemaType: 'PROTOBUF', schema: 'syntax = "proto3";' }, /PROTOBUF/],
      [{ schemaType: 'JSON', schema: '{"$ref": "missing.json"}' }, /missing\.json/],
      [
        { schemaType: 'JSON', schema: '{}', references: [{ name: 'x.json', subject: 'nope', version: 1 }] },
        /No schema reference found for subject "nope" and version 1/,
      ],
      [{ schema: '{"type": "record", "name": "R", "fields": [{"name": "a", "type": "nope"}]}' }, /nope/],
      [{ schema: 'not-json' }, /not valid JSON/],
    ]
    for (const [body, pattern] of bad) {
      const r = await call('POST', '/subjects/s/versions', body)
      assert.deepEqual([r.status, r.body.error_code], [422, 42201], JSON.stringify(body))
      assert.match(r.body.message, pattern)
    }
  })

  test('incompatible registration is 409 with the reasons', async () => {
    const { call } = await instance()
    await call('POST', '/subjects/s/versions', jsonSchema(v1))
    const r = await call('POST', '/subjects/s/versions', jsonSchema(v3))
    assert.equal(r.status, 409)
    assert.equal(r.body.error_code, 409)
    assert.match(r.body.message, /incompatible with an earlier schema for subject "s"/)
    assert.match(r.body.message, /TYPE_CHANGED/)
    assert.match(r.body.message, /#\/properties\/a/)
  })

  test('Avro schemas are accepted and stored; Avro compatibility is refused, not claimed', async () => {
    const { call } = await instance()
    const avro = { type: 'record', name: 'R', fields: [{ name: 'a', type: 'string' }] }
    const r = await call('POST', '/subjects/avro/versions', { schema: JSON.stringify(avro) })
    assert.deepEqual([r.status, r.body.id, r.body.schemaType], [200, 1, undefined])
    assert.deepEqual((await call('GET', '/schemas/ids/1')).body, { schema: JSON.stringify(avro) })
    const avro2 = { ...avro, fields: [...avro.fields, { name: 'b', type: 'int', default: 0 }] }
    const refused = await call('POST', '/subjects/avro/versions', { schema: JSON.stringify(avro2) })
    assert.deepEqual([refused.status, refused.body.error_code], [422, 42205])
    assert.match(refused.body.message, /not implemented/)
    await call('PUT', '/config/avro', { compatibility: 'NONE' })
    const ok = await call('POST', '/subjects/avro/versions', { schema: JSON.stringify(avro2) })
    assert.deepEqual([ok.status, ok.body.version], [200, 2])
  })

  test('normalize stores the key-sorted form and dedupes reordered keys', async () => {
    const { call } = await instance()
    const a = { type: 'object', properties: { x: { type: 'string' } } }
    const b = { properties: { x: { type: 'string' } }, type: 'object' }
    const r1 = await call('POST', '/subjects/n/versions?normalize=true', jsonSchema(a))
    assert.equal(r1.body.schema, '{"properties":{"x":{"type":"string"}},"type":"object"}')
    const r2 = await call('POST', '/subjects/n/versions?normalize=True', jsonSchema(b))
    assert.deepEqual([r2.body.id, r2.body.version], [1, 1])
    // Without normalize, key order matters (Confluent's canonical string keeps it).
    const r3 = await call('POST', '/subjects/m/versions', jsonSchema(a))
    const r4 = await call('POST', '/subjects/m/versions', jsonSchema(b))
    assert.notEqual(r3.body.id, r4.body.id)
  })

  test('references: resolved by name, -1 means latest, referenced versions cannot be deleted', async () => {
    const { call } = await instance()
    const customer = {
      $id: 'https://example.com/customer.json',
      type: 'object',
      properties: { id: { type: 'integer' } },
    }
    await call('POST', '/subjects/customer/versions', jsonSchema(customer))
    const order = { type: 'object', properties: { customer: { $ref: 'https://example.com/customer.json' } } }
    const refs = [{ name: 'https://example.com/customer.json', subject: 'customer', version: -1 }]
    const r = await call('POST', '/subjects/order/versions', jsonSchema(order, { references: refs }))
    assert.equal(r.status, 200)
    assert.deepEqual(r.body.references, [
      { name: 'https://example.com/customer.json', subject: 'customer', version: 1 },
    ])
    assert.deepEqual((await call('GET', '/schemas/ids/2')).body.references, r.body.references)
    assert.deepEqual((await call('GET', '/subjects/customer/versions/1/referencedby')).body, [2])
    const del = await call('DELETE', '/subjects/customer/versions/1')
    assert.deepEqual([del.status, del.body.error_code], [422, 42206])
    const delSubject = await call('DELETE', '/subjects/customer')
    assert.deepEqual([delSubject.status, delSubject.body.error_code], [422, 42206])
  })

  test('a subject name with "/" and unicode round-trips', async () => {
    const { call } = await instance()
    const name = 'team/ünïcode subject'
    const r = await call('POST', `/subjects/${encodeURIComponent(name)}/versions`, jsonSchema(v1))
    assert.equal(r.body.subject, name)
    assert.deepEqual((await call('GET', '/subjects')).body, [name])
    assert.equal((await call('GET', `/subjects/${encodeURIComponent(name)}/versions/1`)).status, 200)
  })
})
