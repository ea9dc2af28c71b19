import assert from 'node:assert/strict'
import { test } from 'node:test'
import { figureLines } from '../../src/commands/learn.ts'

test('learn figures read as words: sections, lists on a line, rows as a table capped with a pointer to --json', () => {
  const rows = Array.from({ length: 14 }, (_, i) => ({ partition: i, isr: [1, 2], leader: 1 }))
  const lines = figureLines({
    replicationFactor: 3,
    lostRecords: 1234.5678,
    codecs: ['gzip', 'zstd'],
    segments: {},
    empty: [],
    placement: rows,
    nested: { perBroker: { b1: 2 } },
    mixed: [1, { a: [{ deep: 1 }] }],
  })
  assert.deepEqual(lines.slice(0, 6), [
    'replication factor: 3',
    'lost records: 1,234.568',
    'codecs: gzip, zstd',
    'segments: none',
    'empty: none',
    'placement:',
  ])
  assert.equal(lines[6], '  partition  isr    leader')
  assert.equal(lines[7], '  0          [1,2]  1')
  assert.equal(lines.filter((l) => /^ {2}\d/.test(l)).length, 12)
  assert.equal(lines[19], '  … 2 more (--json for all)')
  assert.deepEqual(lines.slice(20), ['nested:', '  per broker:', '    b1: 2', 'mixed: 2 entries (--json for all)'])
})
