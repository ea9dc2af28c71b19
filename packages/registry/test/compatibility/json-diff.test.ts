import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { canRead } from '../../src/compatibility/json-check.ts'
import { incompatibleDifferences } from '../../src/compatibility/differences.ts'
import { diffSchemas } from '../../src/compatibility/json-diff.ts'

type Schema = Record<string, unknown> | boolean

interface Case {
  name: string
  old: Schema
  new: Schema
  /** new reads old */
  backward: boolean
  /** old reads new */
  forward: boolean
  /** difference type expected in the BACKWARD diff (old → new), if any */
  expectType?: string
}

const obj = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'object',
  properties,
  ...extra,
})
const closed = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}): Schema =>
  obj(properties, { additionalProperties: false, ...extra })
const S = { type: 'string' }
const I = { type: 'integer' }
const N = { type: 'number' }

const cases: Case[] = [
  { name: 'identical schemas', old: obj({ a: S }), new: obj({ a: S }), backward: true, forward: true },
  {
    name: 'optional property added to an open model (STRICT)',
    old: obj({ a: S }),
    new: obj({ a: S, b: S }),
    backward: false,
    forward: true,
    expectType: 'OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
  },
  {
    name: 'optional property added to a closed model',
    old: closed({ a: S }),
    new: closed({ a: S, b: S }),
    backward: true,
    forward: false,
    expectType: 'OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
  },
  {
    name: 'property removed from an open model',
    old: obj({ a: S, b: S }),
    new: obj({ a: S }),
    backward: true,
    forward: false,
    expectType: 'PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL',
  },
  {
    name: 'property removed from a closed model',
    old: closed({ a: S, b: S }),
    new: closed({ a: S }),
    backward: false,
    forward: true,
    expectType: 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL',
  },
  {
    name: 'property with false schema removed from a closed model',
    old: closed({ a: S, b: false }),
    new: closed({ a: S }),
    backward: true,
    forward: true,
  },
  {
    name: 'property with an empty schema added to an open model',
    old: obj({ a: S }),
    new: obj({ a: S, b: {} }),
    backward: true,
    forward: true,
    expectType: 'PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL',
  },
  {
    name: 'required property without default added to an open model',
    old: obj({ a: S }),
    new: obj({ a: S, b: S }, { required: ['b'] }),
    backward: false,
    forward: true,
    expectType: 'REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL',
  },
  {
    name: 'required property with default added to a closed model',
    old: closed({ a: S }),
    new: closed({ a: S, b: { type: 'string', default: 'x' } }, { required: ['b'] }),
    backward: true,
    forward: false,
    expectType: 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL',
  },
  {
    name: 'required property without default added to a closed model',
    old: closed({ a: S }),
    new: closed({ a: S, b: S }, { required: ['b'] }),
    backward: false,
    forward: false,
    expectType: 'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL',
  },
  {
    name: 'existing property made required',
    old: obj({ a: S }),
    new: obj({ a: S }, { required: ['a'] }),
    backward: false,
    forward: true,
    expectType: 'REQUIRED_ATTRIBUTE_ADDED',
  },
  {
    name: 'existing property with default made required',
    old: obj({ a: { type: 'string', default: 'x' } }),
    new: obj({ a: { type: 'string', default: 'x' } }, { required: ['a'] }),
    backward: true,
    forward: true,
    expectType: 'REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED',
  },
  {
    name: 'required attribute removed',
    old: obj({ a: S }, { required: ['a'] }),
    new: obj({ a: S }),
    backward: true,
    forward: false,
    expectType: 'REQUIRED_ATTRIBUTE_REMOVED',
  },
  { name: 'integer widened to number', old: I, new: N, backward: true, forward: false, expectType: 'TYPE_EXTENDED' },
  { name: 'number narrowed to integer', old: N, new: I, backward: false, forward: true, expectType: 'TYPE_NARROWED' },
  { name: 'string changed to integer', old: S, new: I, backward: false, forward: false, expectType: 'TYPE_CHANGED' },
  {
    name: 'type removed from an object schema',
    old: obj({ a: S }),
    new: { properties: { a: S } },
    backward: true,
    forward: false,
    expectType: 'TYPE_EXTENDED',
  },
  {
    name: 'string made nullable with a type array',
    old: S,
    new: { type: ['string', 'null'] },
    backward: true,
    forward: false,
    expectType: 'SUM_TYPE_EXTENDED',
  },
  {
    name: 'type array reordered',
    old: { type: ['string', 'null'] },
    new: { type: ['null', 'string'] },
    backward: true,
    forward: true,
  },
  {
    name: 'type array keeps per-type keywords',
    old: { type: ['string', 'null'], maxLength: 5 },
    new: { type: ['string', 'null'], maxLength: 10 },
    backward: true,
    forward: false,
  },
  {
    name: 'enum extended',
    old: { type: 'string', enum: ['a', 'b'] },
    new: { type: 'string', enum: ['a', 'b', 'c'] },
    backward: true,
    forward: false,
    expectType: 'ENUM_ARRAY_EXTENDED',
  },
  {
    name: 'enum narrowed',
    old: { enum: ['a', 'b', 'c'] },
    new: { enum: ['a', 'b'] },
    backward: false,
    forward: true,
    expectType: 'ENUM_ARRAY_NARROWED',
  },
  {
    name: 'enum changed',
    old: { enum: ['a', 'b'] },
    new: { enum: ['a', 'c'] },
    backward: false,
    forward: false,
    expectType: 'ENUM_ARRAY_CHANGED',
  },
  { name: 'enum removed', old: { type: 'string', enum: ['a'] }, new: S, backward: true, forward: false },
  { name: 'const widened to an enum', old: { const: 'a' }, new: { enum: ['a', 'b'] }, backward: true, forward: false },
  {
    name: 'enum with object values compared structurally',
    old: { enum: [{ x: 1, y: 2 }] },
    new: { enum: [{ y: 2, x: 1 }] },
    backward: true,
    forward: true,
  },
  {
    name: 'maxLength increased',
    old: { type: 'string', maxLength: 10 },
    new: { type: 'string', maxLength: 20 },
    backward: true,
    forward: false,
    expectType: 'MAX_LENGTH_INCREASED',
  },
  {
    name: 'maxLength added',
    old: S,
    new: { type: 'string', maxLength: 20 },
    backward: false,
    forward: true,
    expectType: 'MAX_LENGTH_ADDED',
  },
  {
    name: 'minLength decreased',
    old: { type: 'string', minLength: 5 },
    new: { type: 'string', minLength: 1 },
    backward: true,
    forward: false,
  },
  {
    name: 'pattern added',
    old: S,
    new: { type: 'string', pattern: '^a' },
    backward: false,
    forward: true,
    expectType: 'PATTERN_ADDED',
  },
  {
    name: 'pattern changed',
    old: { type: 'string', pattern: '^a' },
    new: { type: 'string', pattern: '^b' },
    backward: false,
    forward: false,
  },
  {
    name: 'maximum increased',
    old: { type: 'number', maximum: 10 },
    new: { type: 'number', maximum: 100 },
    backward: true,
    forward: false,
  },
  { name: 'minimum added', old: N, new: { type: 'number', minimum: 0 }, backward: false, forward: true },
  {
    name: 'exclusiveMinimum decreased',
    old: { type: 'number', exclusiveMinimum: 5 },
    new: { type: 'number', exclusiveMinimum: 0 },
    backward: true,
    forward: false,
  },
  {
    name: 'multipleOf reduced (10 → 5)',
    old: { type: 'number', multipleOf: 10 },
    new: { type: 'number', multipleOf: 5 },
    backward: true,
    forward: false,
    expectType: 'MULTIPLE_OF_REDUCED',
  },
  {
    name: 'multipleOf changed (3 → 5)',
    old: { type: 'number', multipleOf: 3 },
    new: { type: 'number', multipleOf: 5 },
    backward: false,
    forward: false,
  },
  {
    name: 'only annotations changed',
    old: { type: 'string', title: 'A', description: 'x' },
    new: { type: 'string', title: 'B', description: 'y', examples: ['q'] },
    backward: true,
    forward: true,
  },
  {
    name: 'array item type changed',
    old: { type: 'array', items: S },
    new: { type: 'array', items: I },
    backward: false,
    forward: false,
  },
  {
    name: 'array item type widened',
    old: { type: 'array', items: I },
    new: { type: 'array', items: N },
    backward: true,
    forward: false,
  },
  {
    name: 'maxItems added',
    old: { type: 'array', items: S },
    new: { type: 'array', items: S, maxItems: 3 },
    backward: false,
    forward: true,
  },
  {
    name: 'uniqueItems added',
    old: { type: 'array' },
    new: { type: 'array', uniqueItems: true },
    backward: false,
    forward: true,
    expectType: 'UNIQUE_ITEMS_ADDED',
  },
  {
    name: 'tuple item added to an open tuple (draft-07)',
    old: { type: 'array', items: [S] },
    new: { type: 'array', items: [S, I] },
    backward: false,
    forward: true,
    expectType: 'ITEM_ADDED_TO_OPEN_CONTENT_MODEL',
  },
  {
    name: 'tuple item added to a closed tuple (draft-07)',
    old: { type: 'array', items: [S], additionalItems: false },
    new: { type: 'array', items: [S, I], additionalItems: false },
    backward: true,
    forward: false,
    expectType: 'ITEM_ADDED_TO_CLOSED_CONTENT_MODEL',
  },
  {
    name: 'prefixItems item added to a closed tuple (2020-12)',
    old: { type: 'array', prefixItems: [S], items: false },
    new: { type: 'array', prefixItems: [S, I], items: false },
    backward: true,
    forward: false,
  },
  {
    name: 'tuple item added covered by the partially open rest schema',
    old: { type: 'array', prefixItems: [S], items: I },
    new: { type: 'array', prefixItems: [S, I], items: I },
    backward: true,
    forward: true,
    expectType: 'ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  },
  // Pinned against Confluent's json/diff (ArraySchemaDiff): the all-items schema is compared on its own and the
  // new tuple positions against the old array's additionalItems model, which is open here.
  {
    name: 'array of strings turned into a tuple of strings (open array) is refused, like Confluent',
    old: { type: 'array', items: S },
    new: { type: 'array', items: [S] },
    backward: false,
    forward: false,
    expectType: 'ITEM_ADDED_TO_OPEN_CONTENT_MODEL',
  },
  {
    name: 'array → tuple drops the all-items schema (SCHEMA_REMOVED)',
    old: { type: 'array', items: S, additionalItems: false },
    new: { type: 'array', items: [S], additionalItems: false },
    backward: true,
    forward: false,
    expectType: 'SCHEMA_REMOVED',
  },
  {
    name: 'items schema added to a plain array',
    old: { type: 'array' },
    new: { type: 'array', items: S },
    backward: false,
    forward: true,
    expectType: 'SCHEMA_ADDED',
  },
  // Confluent's ObjectSchemaDiff does not look at propertyNames at all.
  {
    name: 'propertyNames added is no difference, like Confluent',
    old: obj({ a: S }),
    new: obj({ a: S }, { propertyNames: { pattern: '^[a-z]+$' } }),
    backward: true,
    forward: true,
  },
  {
    name: 'propertyNames changed is no difference, like Confluent',
    old: obj({ a: S }, { propertyNames: { maxLength: 3 } }),
    new: obj({ a: S }, { propertyNames: { maxLength: 2 } }),
    backward: true,
    forward: true,
  },
  {
    name: 'additionalProperties false → allowed',
    old: closed({ a: S }),
    new: obj({ a: S }),
    backward: true,
    forward: false,
    expectType: 'ADDITIONAL_PROPERTIES_ADDED',
  },
  {
    name: 'additionalProperties schema removed',
    old: obj({ a: S }, { additionalProperties: S }),
    new: obj({ a: S }),
    backward: true,
    forward: false,
    expectType: 'ADDITIONAL_PROPERTIES_EXTENDED',
  },
  {
    name: 'additionalProperties schema narrowed',
    old: obj({}, { additionalProperties: N }),
    new: obj({}, { additionalProperties: I }),
    backward: false,
    forward: true,
  },
  {
    name: 'property added and covered by additionalProperties schema (partially open, FULL)',
    old: obj({ a: S }, { additionalProperties: S }),
    new: obj({ a: S, b: S }, { additionalProperties: S }),
    backward: true,
    forward: true,
    expectType: 'PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  },
  {
    name: 'property added not covered by additionalProperties schema',
    old: obj({ a: S }, { additionalProperties: S }),
    new: obj({ a: S, b: I }, { additionalProperties: S }),
    backward: false,
    forward: false,
    expectType: 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL',
  },
  {
    name: 'property added and covered by patternProperties',
    old: obj({}, { patternProperties: { '^s_': S } }),
    new: obj({ s_x: S }, { patternProperties: { '^s_': S } }),
    backward: true,
    forward: true,
  },
  {
    name: 'oneOf alternative added',
    old: { oneOf: [S, I] },
    new: { oneOf: [S, I, { type: 'boolean' }] },
    backward: true,
    forward: false,
    expectType: 'SUM_TYPE_EXTENDED',
  },
  {
    name: 'oneOf changed to anyOf',
    old: { oneOf: [S, I] },
    new: { anyOf: [S, I] },
    backward: true,
    forward: false,
    expectType: 'COMBINED_TYPE_EXTENDED',
  },
  {
    name: 'anyOf alternatives reordered',
    old: { anyOf: [S, I] },
    new: { anyOf: [I, S] },
    backward: true,
    forward: true,
  },
  {
    name: 'allOf branch removed',
    old: { allOf: [obj({ a: S }), obj({ b: S }), { required: ['a'] }] },
    new: { allOf: [obj({ a: S }), { required: ['a'] }] },
    backward: true,
    forward: false,
    expectType: 'PRODUCT_TYPE_NARROWED',
  },
  {
    name: 'allOf branches without overlap removed (merged comparison)',
    old: { allOf: [obj({ a: S }), { required: ['a'] }, { minProperties: 1 }] },
    new: { allOf: [obj({ a: S }), { required: ['a'] }] },
    backward: true,
    forward: false,
    expectType: 'MIN_PROPERTIES_REMOVED',
  },
  {
    name: 'oneOf alternative changed incompatibly',
    old: { oneOf: [S, I] },
    new: { oneOf: [S, { type: 'boolean' }] },
    backward: false,
    forward: false,
    expectType: 'COMBINED_TYPE_SUBSCHEMAS_CHANGED',
  },
  {
    name: 'plain schema to a union containing it',
    old: S,
    new: { oneOf: [S, I] },
    backward: true,
    forward: false,
  },
  {
    name: 'allOf of non-overlapping parts equals the merged schema',
    old: { allOf: [{ type: 'string' }, { maxLength: 5 }] },
    new: { type: 'string', maxLength: 5 },
    backward: true,
    forward: true,
  },
  {
    name: 'local $ref replaced by the same inline schema',
    old: { definitions: { name: S }, type: 'object', properties: { a: { $ref: '#/definitions/name' } } },
    new: obj({ a: S }),
    backward: true,
    forward: true,
  },
  {
    name: 'referenced definition changed type',
    old: { $defs: { name: S }, type: 'object', properties: { a: { $ref: '#/$defs/name' } } },
    new: { $defs: { name: I }, type: 'object', properties: { a: { $ref: '#/$defs/name' } } },
    backward: false,
    forward: false,
  },
  {
    name: 'recursive schema with only a description change terminates',
    old: obj({ name: S, children: { type: 'array', items: { $ref: '#' } } }),
    new: obj({ name: S, children: { type: 'array', items: { $ref: '#' } } }, { description: 'tree' }),
    backward: true,
    forward: true,
  },
  {
    name: 'recursive schema with a narrowed field',
    old: obj({ name: S, children: { type: 'array', items: { $ref: '#' } } }),
    new: obj({ name: { type: 'string', maxLength: 3 }, children: { type: 'array', items: { $ref: '#' } } }),
    backward: false,
    forward: true,
  },
  { name: 'update accepts anything (true)', old: obj({ a: S }), new: true, backward: true, forward: false },
  { name: 'original rejects everything (false)', old: false, new: S, backward: true, forward: false },
  {
    name: 'not added',
    old: S,
    new: { type: 'string', not: { enum: ['x'] } },
    backward: false,
    forward: true,
    expectType: 'NOT_TYPE_EXTENDED',
  },
  {
    name: 'dependentRequired added',
    old: obj({ a: S, b: S }),
    new: obj({ a: S, b: S }, { dependentRequired: { a: ['b'] } }),
    backward: false,
    forward: true,
    expectType: 'DEPENDENCY_ARRAY_ADDED',
  },
  {
    name: 'minProperties increased',
    old: obj({}, { minProperties: 1 }),
    new: obj({}, { minProperties: 2 }),
    backward: false,
    forward: true,
  },
  {
    name: 'nested property type change',
    old: obj({ a: obj({ b: S }) }),
    new: obj({ a: obj({ b: I }) }),
    backward: false,
    forward: false,
    expectType: 'TYPE_CHANGED',
  },
  {
    name: 'closed model opened while adding a property',
    old: closed({ a: S }),
    new: obj({ a: S, b: S }),
    backward: true,
    forward: false,
  },
]

describe('unit json schema compatibility table', () => {
  for (const c of cases) {
    test(c.name, () => {
      const backward = canRead(c.new, c.old)
      const forward = canRead(c.old, c.new)
      const diff = diffSchemas(c.old, c.new)
      const detail = JSON.stringify(diff)
      assert.equal(backward, c.backward, `BACKWARD: ${detail}`)
      assert.equal(forward, c.forward, `FORWARD: ${JSON.stringify(diffSchemas(c.new, c.old))}`)
      // FULL is both directions; NONE always passes.
      assert.equal(backward && forward, c.backward && c.forward)
      if (c.expectType) {
        assert.ok(
          diff.some((d) => d.type === c.expectType),
          `expected ${c.expectType} in ${detail}`,
        )
      }
    })
  }

  test('the table has many cases', () => {
    assert.ok(cases.length >= 60, `${cases.length} cases`)
  })
})

describe('unit json schema diff details', () => {
  test('paths name the changed keyword', () => {
    const diff = diffSchemas(
      obj({ a: obj({ b: { type: 'string', maxLength: 5 } }) }),
      obj({ a: obj({ b: { type: 'string', maxLength: 3 } }) }),
    )
    assert.deepEqual(diff, [{ type: 'MAX_LENGTH_DECREASED', path: '#/properties/a/properties/b/maxLength' }])
  })

  test('LENIENT accepts an optional property added to an open model', () => {
    const diff = diffSchemas(obj({ a: S }), obj({ a: S, b: S }), { policy: 'LENIENT' })
    assert.equal(incompatibleDifferences(diff, 'LENIENT').length, 0)
    assert.equal(incompatibleDifferences(diff, 'STRICT').length, 1)
  })

  test('a registry reference resolves by name, with a fragment', () => {
    const customer = {
      $id: 'https://example.com/customer.json',
      $defs: { id: I },
      ...obj({ id: { $ref: '#/$defs/id' } }),
    }
    const customerV2 = { ...customer, $defs: { id: S } }
    const order = obj({ customer: { $ref: 'https://example.com/customer.json' } })
    const refsOld = new Map([['https://example.com/customer.json', customer]])
    const refsNew = new Map([['https://example.com/customer.json', customerV2]])
    assert.deepEqual(diffSchemas(order, order, { originalReferences: refsOld, updateReferences: refsOld }), [])
    const diff = diffSchemas(order, order, { originalReferences: refsOld, updateReferences: refsNew })
    assert.deepEqual(
      diff.map((d) => d.type),
      ['TYPE_CHANGED'],
    )
    assert.equal(diff[0]?.path, '#/properties/customer/properties/id')
  })

  test('a relative $ref resolves against the root $id', () => {
    const address = obj({ city: S })
    const refs = new Map([['address.json', address]])
    const root = { $id: 'https://example.com/person.json', ...obj({ home: { $ref: 'address.json' } }) }
    const inline = { $id: 'https://example.com/person.json', ...obj({ home: obj({ city: I }) }) }
    assert.deepEqual(
      diffSchemas(root, inline, { originalReferences: refs }).map((d) => d.type),
      ['TYPE_CHANGED'],
    )
  })

  test('mutually recursive definitions terminate', () => {
    const schema = {
      definitions: {
        a: obj({ b: { $ref: '#/definitions/b' } }),
        b: obj({ a: { $ref: '#/definitions/a' } }),
      },
      $ref: '#/definitions/a',
    }
    assert.deepEqual(diffSchemas(schema, structuredClone(schema)), [])
  })

  test('a $ref loop without content terminates', () => {
    const schema = {
      definitions: { a: { $ref: '#/definitions/b' }, b: { $ref: '#/definitions/a' } },
      $ref: '#/definitions/a',
    }
    assert.ok(Array.isArray(diffSchemas(schema, S)))
  })
})
