import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { SerdeErrorCodes, ValidatorCache } from '@isobar/core'

const schema2020 = JSON.stringify({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://example.test/s',
  type: 'object',
  properties: { at: { type: 'string', format: 'date-time' }, n: { type: 'integer', minimum: 0 } },
  required: ['n'],
  additionalProperties: false,
})

describe('ValidatorCache', () => {
  it('validates with 2020-12 semantics and formats, reporting every violation', () => {
    const validate = new ValidatorCache().compile(1, schema2020)
    assert.equal(validate({ n: 1, at: '2026-11-25T10:00:00Z' }), undefined)
    const violations = validate({ n: -1, at: 'yesterday', extra: true })
    assert.ok(violations)
    const text = violations.map((v) => `${v.path} ${v.message}`).join('\n')
    assert.match(text, /\/n must be >= 0/)
    assert.match(text, /\/at must match format "date-time"/)
    assert.match(text, /unknown property "extra"/)
  })

  it('compiles once per schema id and lets two ids share one $id', () => {
    const cache = new ValidatorCache()
    const first = cache.compile(1, schema2020)
    assert.equal(cache.compile(1, '{"this is":"ignored, cached by id"}'), first)
    assert.equal(cache.get(1), first)
    const other = cache.compile(2, schema2020.replace('"minimum":0', '"minimum":5'))
    assert.ok(other({ n: 1 }))
    assert.equal(first({ n: 1 }), undefined)
  })

  it('accepts draft-07 schemas (Confluent default) with the classic validator', () => {
    const validate = new ValidatorCache().compile(
      3,
      '{"$schema":"http://json-schema.org/draft-07/schema#","type":"string"}',
    )
    assert.equal(validate('x'), undefined)
    assert.ok(validate(1))
  })

  it('refuses non-JSON schema types and schemas that do not compile', () => {
    const cache = new ValidatorCache()
    const isUnsupported = (e: { code?: string }) => e.code === SerdeErrorCodes.UNSUPPORTED_SCHEMA
    assert.throws(() => cache.compile(4, '{"type":"record","name":"x","fields":[]}', 'AVRO'), isUnsupported)
    assert.throws(() => cache.compile(5, '{"type":"no-such-type"}'), isUnsupported)
    assert.throws(() => cache.compile(6, 'not json'), isUnsupported)
  })
})
