import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createTestTopic } from '@isobar/testing'
import { testApp } from '../helpers.ts'

const offsets = (body: { messages: Array<{ offset: number }> }): number[] => body.messages.map((m) => m.offset)

test('messages: produce JSON, text and wire-format bytes, read them back by offset, timestamp and newest', async (t) => {
  const { call } = testApp(t)
  const topic = await createTestTopic(t, { partitions: 2, prefix: 'console-messages' })
  const start = Date.now() - 60_000
  const framed = Buffer.concat([Buffer.from([0, 0, 0, 0, 42]), Buffer.from('{"t":3}')])
  const bodies = [
    { value: { station: 'a', t: 1 }, key: 'station-a', headers: { source: 'test' } },
    { value: 'plain text', valueEncoding: 'string' },
    { value: framed.toString('base64'), valueEncoding: 'base64' },
    { value: Buffer.from([0xff, 0x00, 0xfe]).toString('base64'), valueEncoding: 'base64' },
    { value: null },
  ]
  for (const [i, body] of bodies.entries()) {
    const produced = await call('POST', `/api/topics/${topic}/messages`, {
      ...body,
      partition: 1,
      timestamp: start + i * 10_000,
    })
    assert.equal(produced.status, 201, produced.response.body)
    assert.deepEqual(produced.json, { topic, partition: 1, offset: i })
  }

  const all = await call('GET', `/api/topics/${topic}/messages?partition=1&from=earliest&limit=10`)
  assert.equal(all.status, 200)
  const values = (all.json.messages as Array<{ value: unknown }>).map((m) => m.value)
  assert.deepEqual(values, [
    { format: 'json', data: { station: 'a', t: 1 } },
    { format: 'text', data: 'plain text' },
    { format: 'json', data: { t: 3 }, schemaId: 42 },
    { format: 'base64', data: Buffer.from([0xff, 0x00, 0xfe]).toString('base64') },
    { format: 'json', data: null },
  ])
  assert.deepEqual(all.json.messages[0].key, { format: 'text', data: 'station-a' })
  assert.deepEqual(all.json.messages[0].headers, { source: 'test' })
  assert.equal(all.json.messages[2].timestamp, start + 20_000)
  assert.equal(all.json.nextOffset, 5)

  const byOffset = await call('GET', `/api/topics/${topic}/messages?partition=1&offset=2&limit=2`)
  assert.deepEqual(offsets(byOffset.json), [2, 3])
  const byTime = await call('GET', `/api/topics/${topic}/messages?partition=1&timestamp=${start + 25_000}`)
  assert.deepEqual(offsets(byTime.json), [3, 4])
  const newest = await call('GET', `/api/topics/${topic}/messages?partition=1&limit=1`)
  assert.deepEqual(offsets(newest.json), [4])
  const empty = await call('GET', `/api/topics/${topic}/messages?partition=0`)
  assert.deepEqual(empty.json.messages, [])
})

test('message routes reject bad input with 400 naming the field', async (t) => {
  const { call } = testApp(t)
  const topic = await createTestTopic(t, { partitions: 1, prefix: 'console-messages-bad' })
  const cases: Array<['GET' | 'POST', string, unknown, string]> = [
    ['GET', `/api/topics/${topic}/messages`, undefined, 'partition'],
    ['GET', `/api/topics/${topic}/messages?partition=0&limit=0`, undefined, 'limit'],
    ['GET', `/api/topics/${topic}/messages?partition=0&offset=1&timestamp=5`, undefined, 'timestamp'],
    ['GET', `/api/topics/${topic}/messages?partition=0&from=middle`, undefined, 'from'],
    ['GET', `/api/topics/${topic}/messages?partition=3`, undefined, 'Partition 3'],
    ['POST', `/api/topics/${topic}/messages`, { key: 'k' }, 'value'],
    ['POST', `/api/topics/${topic}/messages`, { value: 5, valueEncoding: 'string' }, 'value'],
    ['POST', `/api/topics/${topic}/messages`, { value: 1, partition: 7 }, 'partition'],
  ]
  for (const [method, url, body, field] of cases) {
    const response = await call(method, url, body)
    assert.equal(response.status, 400, `${method} ${url} ${JSON.stringify(body)}: ${response.response.body}`)
    assert.match(response.json.message, new RegExp(field), response.json.message)
  }
})
