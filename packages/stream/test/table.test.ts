import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { KeyValueTable, TABLE_KEY_PREFIX } from '../src/table.ts'

const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v))
const parse = (b: Buffer): unknown => JSON.parse(b.toString())

describe('KeyValueTable (per-key state in the changelog)', () => {
  it('drains changed keys once, as prefixed changelog records, and restores them', () => {
    const table = new KeyValueTable()
    table.set('a', [1, 2])
    table.set('b', [3])
    table.set('a', [4])
    const first = table.drain(json)
    assert.deepEqual(
      first.map((r) => [r.key.toString(), r.value?.toString()]),
      [
        [`${TABLE_KEY_PREFIX}a`, '[4]'],
        [`${TABLE_KEY_PREFIX}b`, '[3]'],
      ],
    )
    assert.deepEqual(table.drain(json), [], 'nothing changed since')
    table.delete('b')
    const deleted = table.drain(json)
    assert.equal(deleted[0]!.value, null, 'a deleted key is a tombstone')

    const restored = new KeyValueTable()
    for (const r of [...first, ...deleted]) restored.restore(r, parse)
    restored.restore({ key: Buffer.from('sensor-1\u00001000'), value: Buffer.from('{}') }, parse)
    assert.deepEqual(restored.get('a'), [4])
    assert.equal(restored.get('b'), undefined)
    assert.equal(restored.size, 1, 'a window record is not a table record')
    assert.deepEqual(restored.drain(json), [], 'restoring marks nothing dirty')
  })
})
