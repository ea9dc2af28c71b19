import assert from 'node:assert/strict'
import { test } from 'node:test'
import { SerdeErrorCodes, checkJsonValue, parseJsonPayload } from '@isobar/core'

const refused = (payload: Buffer, reason: RegExp) =>
  assert.throws(
    () => parseJsonPayload(payload, 3),
    (e: Error & { code?: string }) => e.code === SerdeErrorCodes.INVALID_JSON && reason.test(e.message),
  )

test('parseJsonPayload: valid UTF-8 JSON with finite numbers is read', () => {
  assert.deepEqual(parseJsonPayload(Buffer.from('{"a":[1,2.5,{"b":-3e10}],"c":"é"}'), 3), {
    a: [1, 2.5, { b: -3e10 }],
    c: 'é',
  })
})

test('parseJsonPayload: non-finite numbers (1e999 → Infinity) are refused with their path', () => {
  refused(Buffer.from('{"temperatureC":1e999}'), /not finite\) at \/temperatureC/)
  refused(Buffer.from('{"a":[0,-1e400]}'), /not finite\) at \/a\/1/)
  refused(Buffer.from('1e999'), /not finite/)
})

test('parseJsonPayload: invalid UTF-8 is refused instead of being replaced by U+FFFD', () => {
  refused(Buffer.concat([Buffer.from('{"sensorId":"a'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]), /UTF-8/)
})

test('parseJsonPayload: nesting deeper than the limit is refused; bad JSON too', () => {
  const deep = '['.repeat(65) + ']'.repeat(65)
  refused(Buffer.from(deep), /deeper than 64/)
  assert.deepEqual(parseJsonPayload(Buffer.from('['.repeat(64) + ']'.repeat(64)), 3) !== undefined, true)
  refused(Buffer.from('{not json'), /not valid JSON/)
  refused(Buffer.from('['.repeat(200_000) + ']'.repeat(200_000)), /./)
})

test('checkJsonValue: accepts plain values', () => {
  assert.equal(checkJsonValue(null), undefined)
  assert.equal(checkJsonValue('x'), undefined)
  assert.equal(checkJsonValue({ a: { b: [1, 2, 3] } }), undefined)
  assert.match(checkJsonValue(Number.NaN) ?? '', /not finite/)
})
