import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  JsonSerde,
  displayBytes,
  displayText,
  encodeJsonFrame,
  isFramed,
  jsonMessageDecoder,
  registryMessageDecoder,
} from '@isobar/core'
import { pointSchema, stubRegistry } from './stub-registry.ts'

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

test('displayBytes ignores framing: the bytes as they are, JSON then text then base64', () => {
  assert.deepEqual(displayBytes(Buffer.from('[1,2]')), { format: 'json', data: [1, 2] })
  assert.deepEqual(displayBytes(Buffer.from('{not json')), { format: 'text', data: '{not json' })
  assert.deepEqual(displayBytes(Buffer.from('tab\tand\r\nnewline')), { format: 'text', data: 'tab\tand\r\nnewline' })
  const framed = encodeJsonFrame(7, '{"a":1}')
  assert.deepEqual(displayBytes(framed), { format: 'base64', data: framed.toString('base64') })
  assert.deepEqual(displayBytes(Buffer.alloc(0)), { format: 'text', data: '' })
})

test('displayText: UTF-8 without control characters, else undefined', () => {
  assert.equal(displayText(Buffer.from('héllo ✓')), 'héllo ✓')
  assert.equal(displayText(Buffer.from([0x61, 0x00, 0x62])), undefined)
  assert.equal(displayText(Buffer.from([0xc3])), undefined, 'truncated UTF-8 sequence')
})

test('isFramed: magic byte 0 and a whole header', () => {
  assert.equal(isFramed(Buffer.from([0, 0, 0, 0, 1])), true)
  assert.equal(isFramed(Buffer.from([0, 0, 0, 1])), false)
  assert.equal(isFramed(Buffer.from('{"a":1}')), false)
})

test('registryMessageDecoder decodes framed values through the registry and validates them', async () => {
  const registry = stubRegistry()
  const serde = new JsonSerde({ registry })
  const { schemaId } = await serde.prepare('points-value', pointSchema)
  const decoder = registryMessageDecoder(registry)
  const framed = serde.serialize('points-value', { id: 'a', valueC: 3 })
  assert.deepEqual(await decoder.decode(framed, ctx), { format: 'json', data: { id: 'a', valueC: 3 }, schemaId })
  // Not framed: the plain decoder, and the registry is not asked.
  const calls = registry.calls.length
  assert.deepEqual(await decoder.decode(Buffer.from('plain'), ctx), { format: 'text', data: 'plain' })
  assert.equal(registry.calls.length, calls)
})

test('registryMessageDecoder: a value the registry cannot explain gets the plain decoding and the reason', async () => {
  const registry = stubRegistry()
  const serde = new JsonSerde({ registry })
  const { schemaId } = await serde.prepare('points-value', pointSchema)
  const decoder = registryMessageDecoder(registry)
  const invalid = encodeJsonFrame(schemaId, JSON.stringify({ id: 'a', valueC: -500 }))
  const bad = await decoder.decode(invalid, ctx)
  assert.equal(bad.format, 'json')
  assert.deepEqual(bad.data, { id: 'a', valueC: -500 })
  assert.match(bad.decodeError ?? '', /valueC/)
  const unknown = await decoder.decode(encodeJsonFrame(999, '{"x":1}'), ctx)
  assert.deepEqual(
    { ...unknown, decodeError: typeof unknown.decodeError },
    {
      format: 'json',
      data: { x: 1 },
      schemaId: 999,
      decodeError: 'string',
    },
  )
})
