import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SerdeErrorCodes } from '@isobar/core'
import { decodePaneRecord } from '../../src/analytics/output.ts'

const code = (value: Buffer): string | undefined => {
  try {
    decodePaneRecord(value)
    return undefined
  } catch (error) {
    return (error as { code?: string }).code
  }
}

test('pane records on the internal topic are checked like any consumed payload', () => {
  const watermark = { watermark: { source: 0, sources: 3, time: 5, idle: false } }
  assert.deepEqual(decodePaneRecord(Buffer.from(JSON.stringify(watermark))), watermark)
  assert.equal(code(Buffer.from('{"start":1e999,"pane":{"sensorId":"s"}}')), SerdeErrorCodes.INVALID_JSON)
  assert.equal(code(Buffer.from([0x7b, 0xff, 0x7d])), SerdeErrorCodes.INVALID_JSON)
  assert.equal(
    code(Buffer.from(`{"start":1,"pane":${'['.repeat(100)}${']'.repeat(100)}}`)),
    SerdeErrorCodes.INVALID_JSON,
  )
  assert.throws(() => decodePaneRecord(Buffer.from('{"start":1}')), /not a pane record/)
})
