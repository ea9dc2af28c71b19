import assert from 'node:assert/strict'
import { test } from 'node:test'
import { jsonMessageDecoder } from '../src/index.ts'

const ctx = { topic: 't', part: 'value' as const }

test('JSON payloads decode to their value', async () => {
  assert.deepEqual(await jsonMessageDecoder.decode(Buffer.from('{"t":21.5}'), ctx), {
    format: 'json',
    data: { t: 21.5 },
  })
})

test('Confluent wire format: the schema id is read and the JSON body decoded', async () => {
  const framed = Buffer.concat([Buffer.from([0, 0, 0, 1, 2]), Buffer.from('{"a":1}')])
  assert.deepEqual(await jsonMessageDecoder.decode(framed, ctx), { format: 'json', data: { a: 1 }, schemaId: 258 })
})

test('a framed non-JSON body (e.g. Avro) is shown as base64 with its schema id', async () => {
  const framed = Buffer.from([0, 0, 0, 0, 9, 0x02, 0xff])
  assert.deepEqual(await jsonMessageDecoder.decode(framed, ctx), {
    format: 'base64',
    data: framed.toString('base64'),
    schemaId: 9,
  })
})

test('plain UTF-8 text stays text; binary becomes base64', async () => {
  assert.deepEqual(await jsonMessageDecoder.decode(Buffer.from('station-1'), ctx), {
    format: 'text',
    data: 'station-1',
  })
  const binary = Buffer.from([0xff, 0xfe, 0x01])
  assert.deepEqual(await jsonMessageDecoder.decode(binary, ctx), { format: 'base64', data: binary.toString('base64') })
  const controls = Buffer.from([0x41, 0x01, 0x42])
  assert.equal((await jsonMessageDecoder.decode(controls, ctx)).format, 'base64')
})
