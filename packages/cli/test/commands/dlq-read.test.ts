import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DLQ_HEADERS, encodeJsonFrame, type ConsumedRecord } from '@isobar/core'
import { deadLetterLine, describeDeadLetter } from '../../src/commands/dlq-read.ts'
import { toJson } from '../../src/commands/consume.ts'

const record = (value: Buffer | null, key: Buffer | null = Buffer.from('k')): ConsumedRecord => ({
  topic: 'x.dlq',
  partition: 0,
  offset: 4n,
  timestamp: 1_700_000_000_000,
  key,
  value,
  headers: { [DLQ_HEADERS.errorCode]: Buffer.from('ISOBAR_SERDE_INVALID_JSON') },
})

test('dead-letter values are shown with core display rule: JSON, else UTF-8 text, else base64', async () => {
  const json = await describeDeadLetter(record(Buffer.from('{"a":1}')))
  assert.deepEqual([json.value, json.valueEncoding], [{ a: 1 }, 'json'])
  const text = await describeDeadLetter(record(Buffer.from('{not json')))
  assert.deepEqual([text.value, text.valueEncoding], ['{not json', 'utf8'])
  const framed = encodeJsonFrame(3, '{"a":1}')
  const raw = await describeDeadLetter(record(framed, Buffer.from([0xff])))
  assert.deepEqual([raw.value, raw.valueEncoding, raw.key], [framed.toString('base64'), 'base64', '/w=='])
  const none = await describeDeadLetter(record(null))
  assert.equal(none.valueEncoding, 'null')
  assert.match(deadLetterLine(none), /ISOBAR_SERDE_INVALID_JSON .* NULL$/)
})

test('consume --json: text stays text, binary and framed values become base64', () => {
  const framed = encodeJsonFrame(3, '{"a":1}')
  assert.deepEqual(
    [toJson(record(Buffer.from('héllo'))).value, toJson(record(Buffer.from('héllo'))).valueEncoding],
    ['héllo', undefined],
  )
  const out = toJson(record(framed, Buffer.from([0xfe, 0x00])))
  assert.deepEqual(
    [out.value, out.valueEncoding, out.key, out.keyEncoding],
    [framed.toString('base64'), 'base64', Buffer.from([0xfe, 0x00]).toString('base64'), 'base64'],
  )
})
