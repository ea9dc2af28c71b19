import assert from 'node:assert/strict'
import { test } from 'node:test'
import { batchSize, checkRecord } from '../../src/http/record-checks.ts'

const record = (value: string, key: string | null = 'k') => ({
  key: key === null ? null : Buffer.from(key),
  value: Buffer.from(value),
  headers: { h: Buffer.from('v') },
})

test('checkRecord: compacted topics need a key, size is bounded by max.message.bytes, timestamps by the topic', () => {
  assert.throws(() => checkRecord({ 'cleanup.policy': 'compact,delete' }, record('x', null)), /cleanup\.policy=compact/)
  checkRecord({ 'cleanup.policy': 'delete' }, record('x', null))

  const size = batchSize(record('x'.repeat(1000)))
  assert.ok(size > 1000 && size < 1100, String(size))
  checkRecord({ 'max.message.bytes': String(size) }, record('x'.repeat(1000)))
  assert.throws(
    () => checkRecord({ 'max.message.bytes': String(size - 1) }, record('x'.repeat(1000))),
    /max\.message\.bytes/,
  )

  const now = 1_700_000_000_000
  const limits = { 'message.timestamp.after.max.ms': '3600000', 'message.timestamp.before.max.ms': '60000' }
  checkRecord(limits, { ...record('x'), timestamp: now + 3_600_000 }, now)
  assert.throws(() => checkRecord(limits, { ...record('x'), timestamp: now + 3_600_001 }, now), /after\.max\.ms/)
  assert.throws(() => checkRecord(limits, { ...record('x'), timestamp: now - 60_001 }, now), /before\.max\.ms/)
  // LogAppendTime: the broker sets the time itself, any timestamp is fine.
  checkRecord({ ...limits, 'message.timestamp.type': 'LogAppendTime' }, { ...record('x'), timestamp: 0 }, now)
})
