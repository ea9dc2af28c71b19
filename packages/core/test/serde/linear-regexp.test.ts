import assert from 'node:assert/strict'
import { test } from 'node:test'
import { linearPatternProblem, linearRegExp, ValidatorCache } from '@isobar/core'

test('linear patterns: ECMAScript test semantics for the usual syntax, refusal for lookaround and backreferences', () => {
  assert.equal(linearRegExp('^[a-z]+-\\d{2}$').test('zone-07'), true)
  assert.equal(linearRegExp('b').test('abc'), true, 'unanchored: matches anywhere, like RegExp.test')
  assert.equal(linearRegExp('^B$', 'iu').test('b'), true)
  assert.equal(linearRegExp('^\\p{L}+$', 'u').test('Zürich'), true)
  assert.equal(linearPatternProblem('^ok$'), undefined)
  assert.match(linearPatternProblem('(?<=a)b') ?? '', /not supported.*lookaround/)
  assert.throws(() => linearRegExp('(a)\\1'), /not supported/)
  // Verdicts are remembered for repeated identifiers; past the memo's bound they stay right.
  const id = linearRegExp('^[a-z]+:[0-9]+$')
  for (let i = 0; i < 20_000; i++) assert.equal(id.test(`s:${i}`), true)
  for (let i = 0; i < 3; i++) assert.equal(id.test('s:x'), false)
  assert.equal(id.test(`s:${'1'.repeat(300)}`), true)
})

test('a poison schema pattern cannot stall a validator: catastrophic inputs are answered', () => {
  // With a backtracking engine this value alone takes ~2^60 steps.
  const validators = new ValidatorCache()
  const validate = validators.compile(1, JSON.stringify({ type: 'string', pattern: '^(a+)+$' }))
  assert.equal(validate('a'.repeat(60)), undefined)
  const violations = validate(`${'a'.repeat(60)}!`)
  assert.equal(violations?.length, 1)
  assert.match(violations?.[0]?.message ?? '', /pattern/)
})
