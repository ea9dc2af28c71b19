import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MAGIC_BYTE, SerdeErrorCodes, decodeFrame, encodeFrame, encodeJsonFrame } from '@isobar/core'

describe('Confluent wire format', () => {
  it('writes magic byte 0 and the schema id big-endian before the payload', () => {
    const frame = encodeJsonFrame(0x01020304, '{"a":"é"}')
    assert.deepEqual([...frame.subarray(0, 5)], [MAGIC_BYTE, 1, 2, 3, 4])
    assert.equal(frame.subarray(5).toString('utf8'), '{"a":"é"}')
    assert.deepEqual(encodeFrame(0x01020304, Buffer.from('{"a":"é"}')), frame)
  })

  it('round-trips the schema id and payload', () => {
    for (const id of [0, 1, 255, 65_536, 2 ** 31 - 1]) {
      const decoded = decodeFrame(encodeJsonFrame(id, '[1,2]'))
      assert.equal(decoded.schemaId, id)
      assert.equal(decoded.payload.toString(), '[1,2]')
    }
  })

  it('refuses schema ids outside [0, 2^31-1]', () => {
    assert.throws(() => encodeJsonFrame(-1, '{}'), RangeError)
    assert.throws(() => encodeJsonFrame(2 ** 31, '{}'), RangeError)
    assert.throws(() => encodeFrame(1.5, Buffer.alloc(0)), RangeError)
  })

  it('rejects a wrong magic byte and frames shorter than 5 bytes with MALFORMED_FRAME', () => {
    const wrongMagic = encodeJsonFrame(7, '{}')
    wrongMagic[0] = 1
    for (const bad of [wrongMagic, Buffer.from('{"json":true}'), Buffer.from([0, 0, 1]), Buffer.alloc(0), null]) {
      assert.throws(
        () => decodeFrame(bad),
        (e: { code?: string }) => e.code === SerdeErrorCodes.MALFORMED_FRAME,
      )
    }
  })
})
