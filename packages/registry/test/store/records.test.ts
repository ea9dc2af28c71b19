import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  configKey,
  decodeKey,
  decodeSchemaValue,
  encodeKey,
  encodeSchemaValue,
  modeKey,
  noopKey,
  schemaKey,
  deleteSubjectKey,
} from '../../src/store/records.ts'
import { RegistryState, schemaGuid } from '../../src/store/state.ts'

const rec = (offset: number, key: string, value: string | null) => ({
  key: Buffer.from(key),
  value: value === null ? null : Buffer.from(value),
  offset: BigInt(offset),
  timestamp: 0,
})

describe('unit _schemas records', () => {
  test('keys are byte-identical to Confluent', () => {
    assert.equal(encodeKey(schemaKey('s', 1)).toString(), '{"keytype":"SCHEMA","subject":"s","version":1,"magic":1}')
    assert.equal(encodeKey(configKey('s')).toString(), '{"keytype":"CONFIG","subject":"s","magic":0}')
    assert.equal(encodeKey(configKey(null)).toString(), '{"keytype":"CONFIG","subject":null,"magic":0}')
    assert.equal(encodeKey(modeKey(null)).toString(), '{"keytype":"MODE","subject":null,"magic":0}')
    assert.equal(encodeKey(deleteSubjectKey('s')).toString(), '{"keytype":"DELETE_SUBJECT","subject":"s","magic":0}')
    assert.equal(encodeKey(noopKey()).toString(), '{"keytype":"NOOP","magic":0}')
  })

  test('values: AVRO schemaType omitted and defaulted, empty references omitted, garbage rejected', () => {
    const v = {
      subject: 's',
      version: 1,
      id: 3,
      schemaType: 'AVRO' as const,
      references: [],
      schema: '"string"',
      deleted: false,
    }
    assert.equal(
      encodeSchemaValue(v).toString(),
      '{"subject":"s","version":1,"id":3,"schema":"\\"string\\"","deleted":false}',
    )
    assert.deepEqual(decodeSchemaValue(encodeSchemaValue(v)), v)
    assert.equal(decodeSchemaValue(Buffer.from('{"subject":"s"}')), undefined)
    assert.equal(decodeKey(Buffer.from('[1]')), undefined)
    assert.deepEqual(decodeKey(Buffer.from('{"magic":0,"keytype":"CONFIG"}')), {
      keytype: 'CONFIG',
      subject: null,
      magic: 0,
    })
  })

  test('guid is the MD5 of schema text and references as a UUID', () => {
    assert.equal(schemaGuid('{}', []), '99914b93-2bd3-7a50-b983-c5e7c90ae93b')
  })

  test('state: DELETE_SUBJECT watermark, tombstones, legacy magic 0 keys, CONFIG/MODE', () => {
    const state = new RegistryState()
    const value = (version: number, id: number) =>
      JSON.stringify({ subject: 's', version, id, schemaType: 'JSON', schema: `{"title":"${id}"}`, deleted: false })
    state.apply(rec(0, '{"keytype":"SCHEMA","subject":"s","version":1,"magic":0}', value(1, 1)))
    state.apply(rec(1, '{"keytype":"SCHEMA","subject":"s","version":2,"magic":1}', value(2, 2)))
    state.apply(rec(2, '{"keytype":"SCHEMA","subject":"s","version":3,"magic":1}', value(3, 3)))
    state.apply(rec(3, '{"keytype":"DELETE_SUBJECT","subject":"s","magic":0}', '{"subject":"s","version":2}'))
    assert.deepEqual(
      state.liveVersions('s').map((e) => e.version),
      [3],
    )
    // The tombstone must use the exact key bytes consumed (magic 0 here).
    const v1 = state.version('s', 1)!
    assert.equal(v1.rawKey.toString(), '{"keytype":"SCHEMA","subject":"s","version":1,"magic":0}')
    state.apply(rec(4, v1.rawKey.toString(), null))
    assert.equal(state.version('s', 1), undefined)
    assert.equal(state.schemaById(1), undefined)
    assert.equal(state.maxId(), 3)
    state.apply(rec(5, '{"keytype":"CONFIG","subject":"s","magic":0}', '{"compatibilityLevel":"FULL"}'))
    state.apply(rec(6, '{"keytype":"MODE","subject":null,"magic":0}', '{"subject":null,"mode":"READONLY"}'))
    assert.equal(state.config('s')?.value.compatibilityLevel, 'FULL')
    assert.equal(state.mode(null)?.value, 'READONLY')
    state.apply(rec(7, '{"keytype":"CONFIG","subject":"s","magic":0}', null))
    assert.equal(state.config('s'), undefined)
    // A conflicting record for a live version is rejected; the first one stays.
    const outcome = state.apply(rec(8, '{"keytype":"SCHEMA","subject":"s","version":3,"magic":1}', value(3, 9)))
    assert.equal(outcome.status, 'rejected')
    assert.equal(state.version('s', 3)?.id, 3)
    assert.equal(state.lastOffset, 8n)
  })
})
