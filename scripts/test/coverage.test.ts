import assert from 'node:assert/strict'
import { test } from 'node:test'
import { lcovTotals, ratchet } from '../coverage/lcov.ts'

const LCOV = [
  'SF:/repo/packages/core/src/a.ts\nFNF:4\nFNH:3\nBRF:10\nBRH:5\nLF:100\nLH:90\nend_of_record',
  'SF:/repo/packages/core/src/b.ts\nFNF:0\nFNH:0\nBRF:0\nBRH:0\nLF:50\nLH:45\nend_of_record',
  'SF:/repo/packages/core/test/a.test.ts\nFNF:9\nFNH:0\nBRF:9\nBRH:0\nLF:900\nLH:0\nend_of_record',
].join('\n')

test('lcovTotals sums found/hit over the included files only, floored to two decimals', () => {
  const totals = lcovTotals(LCOV, (file) => file.includes('/src/'))
  assert.deepEqual(totals, { lines: 90, branches: 50, functions: 75, files: 2 })
  assert.deepEqual(
    lcovTotals('SF:/x\nLF:3\nLH:2\nend_of_record', () => true),
    {
      lines: 66.66,
      branches: 100,
      functions: 100,
      files: 1,
    },
  )
})

test('ratchet: below the floor fails and keeps it; above raises it to 0.5 points under the run, never lowers it', () => {
  const floor = { lines: 80, branches: 70, functions: 60 }
  assert.deepEqual(ratchet(floor, { lines: 85, branches: 70.2, functions: 61.75 }), {
    ok: true,
    floor: { lines: 84.5, branches: 70, functions: 61.25 },
    problems: [],
  })
  const below = ratchet(floor, { lines: 79.99, branches: 90, functions: 60 })
  assert.equal(below.ok, false)
  assert.deepEqual(below.floor, floor)
  assert.deepEqual(below.problems, ['lines coverage 79.99 % is below the floor 80 %'])
})
