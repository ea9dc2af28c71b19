import assert from 'node:assert/strict'
import { test } from 'node:test'
import { allowsUnknown, checkFlatValue, flatFields, valueFromInputs } from '../src/schema-form.ts'

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['stationId', 'temperatureC'],
  properties: {
    stationId: { type: 'string', minLength: 1, pattern: '^[a-z]+:' },
    temperatureC: { type: 'number', minimum: -90, maximum: 60 },
    count: { type: ['integer', 'null'] },
    kind: { enum: ['metar', 'sim'] },
    ok: { type: 'boolean' },
  },
}

test('a flat object schema becomes one field per property, in order, with its constraints', () => {
  const fields = flatFields(SCHEMA)
  assert.deepEqual(
    fields?.map((f) => [f.name, f.type, f.required, f.nullable]),
    [
      ['stationId', 'string', true, false],
      ['temperatureC', 'number', true, false],
      ['count', 'integer', false, true],
      ['kind', 'string', false, false],
      ['ok', 'boolean', false, false],
    ],
  )
  assert.deepEqual(fields?.[3]?.enum, ['metar', 'sim'])
  assert.equal(fields?.[1]?.maximum, 60)
  assert.equal(allowsUnknown(SCHEMA), false)
  assert.equal(allowsUnknown({ type: 'object' }), true)
})

test('schemas that are not flat objects are written as raw JSON', () => {
  for (const schema of [
    { type: 'array', items: { type: 'string' } },
    { type: 'object', properties: { nested: { type: 'object', properties: {} } } },
    { type: 'object', properties: { list: { type: 'array' } } },
    { type: 'object', properties: { either: { oneOf: [{ type: 'string' }, { type: 'number' }] } } },
    { type: 'object', properties: { many: { type: ['string', 'number'] } } },
    { type: 'object', properties: {} },
    { type: 'object', properties: { a: { type: 'string' } }, allOf: [] },
    'not a schema',
  ]) {
    assert.equal(flatFields(schema), undefined, JSON.stringify(schema))
  }
})

test('form inputs become typed values; the checks name each problem', () => {
  const fields = flatFields(SCHEMA) ?? []
  const value = valueFromInputs(fields, { stationId: 'metar:KSEA', temperatureC: '8.5', count: 'null', ok: 'true' })
  assert.deepEqual(value, { stationId: 'metar:KSEA', temperatureC: 8.5, count: null, ok: true })
  assert.deepEqual(checkFlatValue(fields, value, false), [])

  const bad = valueFromInputs(fields, { stationId: 'KSEA', temperatureC: '99', count: '1.5' })
  assert.deepEqual(checkFlatValue(fields, bad, false), [
    'stationId must match ^[a-z]+:',
    'temperatureC must be ≤ 60',
    'count must be a whole number',
  ])
  assert.deepEqual(checkFlatValue(fields, { temperatureC: 'warm', extra: 1, kind: 'buoy' }, false), [
    'stationId is required',
    'temperatureC must be a number',
    'kind must be one of metar, sim',
    'extra is not in the schema',
  ])
  assert.deepEqual(checkFlatValue(fields, [1], true), ['the value must be a JSON object'])
})
