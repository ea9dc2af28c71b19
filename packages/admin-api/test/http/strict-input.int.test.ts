import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createTestTopic, uniqueTopicName } from '@isobar/testing'
import { TOKEN, testApp } from '../helpers.ts'
import { rawRequest } from '../raw-http.ts'

const admin = { authorization: `Bearer ${TOKEN}` }

function assertCatalogue(body: string, code: RegExp, what: string): { error: string; message: string } {
  const parsed = JSON.parse(body) as { error: string; message: string }
  assert.deepEqual(Object.keys(parsed).sort(), ['error', 'message'], `${what}: ${body}`)
  assert.match(parsed.error, code, what)
  assert.equal(typeof parsed.message, 'string')
  return parsed
}

test('bodies are never coerced: a wrong JSON type is a 400 naming the field, and nothing is created', async (t) => {
  const { call } = testApp(t)
  const topic = await createTestTopic(t, { partitions: 1, prefix: 'console-strict' })
  const name = uniqueTopicName('console-strict-new')
  for (const [url, body, field] of [
    ['/api/topics', { name: false }, 'name'],
    ['/api/topics', { name: 12 }, 'name'],
    ['/api/topics', { name, partitions: '3' }, 'partitions'],
    ['/api/topics', { name, partitions: true }, 'partitions'],
    ['/api/topics', { name, replicationFactor: null }, 'replicationFactor'],
    [`/api/topics/${topic}/messages`, { value: 1, partition: null }, 'partition'],
    [`/api/topics/${topic}/messages`, { value: 1, key: false }, 'key'],
    [`/api/topics/${topic}/messages`, { value: 1, key: 7 }, 'key'],
    [`/api/topics/${topic}/messages`, { value: 1, headers: { h: 1 } }, 'h'],
    [`/api/topics/${topic}/messages`, { value: 1, timestamp: '1700000000000' }, 'timestamp'],
    [`/api/topics/${topic}/partitions`, { count: '4' }, 'count'],
    ['/api/groups/g/offsets/reset', { topic, to: 'offset', offset: '5' }, 'offset'],
    ['/api/session', { token: 5 }, 'token'],
  ] as const) {
    const response = await call('POST', url, body)
    assert.equal(response.status, 400, `${url} ${JSON.stringify(body)}: ${response.response.body}`)
    const parsed = assertCatalogue(response.response.body, /^ISOBAR_CONSOLE_INVALID_REQUEST$/, url)
    assert.match(parsed.message, new RegExp(field), parsed.message)
  }
  assert.equal((await call('GET', '/api/topics/false')).status, 404, 'no topic "false"')
  assert.equal((await call('GET', `/api/topics/${name}`)).status, 404)
  const read = await call('GET', `/api/topics/${topic}/messages?partition=0&from=earliest`)
  assert.deepEqual(read.json.messages, [], 'nothing was produced')
})

test('query strings: only exact spellings of declared numbers and booleans are accepted', async (t) => {
  const { call } = testApp(t)
  const topic = await createTestTopic(t, { partitions: 1, prefix: 'console-query' })
  assert.equal((await call('GET', `/api/topics/${topic}/messages?partition=0&limit=5`)).status, 200)
  for (const query of [
    'partition=1e0',
    'partition=%200',
    'partition=0x0',
    'partition=0&partition=1',
    'partition=',
    'partition=0&limit=abc',
    'partition=0&limit=2.5',
    'partition=0&unknown=1',
  ]) {
    const response = await call('GET', `/api/topics/${topic}/messages?${query}`)
    assert.equal(response.status, 400, `${query}: ${response.response.body}`)
    assertCatalogue(response.response.body, /^ISOBAR_CONSOLE_INVALID_REQUEST$/, query)
  }
  const internal = await call('GET', '/api/topics?internal=true')
  assert.equal(internal.status, 200, internal.response.body)
  const offsets = (internal.json.topics as Array<{ name: string; internal: boolean }>).find(
    (x) => x.name === '__consumer_offsets',
  )
  assert.equal(offsets?.internal, true)
  const plain = await call('GET', '/api/topics?internal=false')
  assert.equal(
    (plain.json.topics as Array<{ internal: boolean }>).some((x) => x.internal),
    false,
  )
  for (const query of ['internal=yes', 'internal=1', 'internal=TRUE', 'other=1']) {
    assert.equal((await call('GET', `/api/topics?${query}`)).status, 400, query)
  }
})

test('produce: an out-of-range timestamp is a 400 before any Kafka call, and before the produce', async (t) => {
  const { call } = testApp(t)
  const missing = uniqueTopicName('console-ts-missing')
  // A topic that does not exist: a 400 (not 404) shows validation ran before Kafka was asked anything.
  for (const timestamp of [-1, 8_640_000_000_000_001, 2 ** 53 - 1, 1e17]) {
    const response = await call('POST', `/api/topics/${missing}/messages`, { value: 1, timestamp })
    assert.equal(response.status, 400, `${timestamp}: ${response.response.body}`)
    assert.match(response.json.message, /timestamp/)
  }
  const topic = await createTestTopic(t, { partitions: 1, prefix: 'console-ts' })
  const ahead = await call('POST', `/api/topics/${topic}/messages`, { value: 1, timestamp: Date.now() + 7_200_000 })
  assert.equal(ahead.status, 400, ahead.response.body)
  assert.match(ahead.json.message, /message\.timestamp\.after\.max\.ms/)
  const now = await call('POST', `/api/topics/${topic}/messages`, { value: 1, timestamp: Date.now() })
  assert.equal(now.status, 201)
  assert.equal(now.json.offset, 0, 'the refused record was never written')
})

test("Fastify's own errors are answered in the catalogue format and never echo the request", async (t) => {
  const { app } = testApp(t, { bodyLimit: 4096 })
  const longGroup = 'g'.repeat(1200)
  const long = await app.inject({ method: 'GET', url: `/api/groups/${longGroup}`, headers: admin })
  assert.equal(long.statusCode, 414)
  assertCatalogue(long.body, /^ISOBAR_CONSOLE_URI_TOO_LONG$/, 'max param length')
  assert.equal(long.body.includes('gggg'), false, 'the URL is not echoed')

  const badUrl = await app.inject({ method: 'GET', url: '/api/topics/%zz', headers: admin })
  assert.equal(badUrl.statusCode, 400)
  assertCatalogue(badUrl.body, /^ISOBAR_CONSOLE_INVALID_REQUEST$/, 'bad url')

  const json = { ...admin, 'content-type': 'application/json' }
  const badJson = await app.inject({ method: 'POST', url: '/api/topics', headers: json, payload: '{"name": ' })
  assert.equal(badJson.statusCode, 400)
  assertCatalogue(badJson.body, /^ISOBAR_CONSOLE_INVALID_REQUEST$/, 'bad json')
  const big = JSON.stringify({ name: 'x', configs: { a: 'b'.repeat(5000) } })
  const tooLarge = await app.inject({ method: 'POST', url: '/api/topics', headers: json, payload: big })
  assert.equal(tooLarge.statusCode, 413)
  assertCatalogue(tooLarge.body, /^ISOBAR_CONSOLE_PAYLOAD_TOO_LARGE$/, 'too large')
  const xml = { ...admin, 'content-type': 'application/xml' }
  const wrongType = await app.inject({ method: 'POST', url: '/api/topics', headers: xml, payload: '<a/>' })
  assert.equal(wrongType.statusCode, 415)
  assertCatalogue(wrongType.body, /^ISOBAR_CONSOLE_UNSUPPORTED_MEDIA_TYPE$/, 'content type')

  const port = Number(new URL(await app.listen({ port: 0, host: '127.0.0.1' })).port)
  const overflow = await rawRequest(port, `GET /api/topics HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)
  assert.equal(overflow.status, 431)
  assertCatalogue(overflow.body, /^ISOBAR_CONSOLE_HEADERS_TOO_LARGE$/, 'header overflow')
  const chunked = await rawRequest(
    port,
    'POST /api/topics HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
      `Authorization: Bearer ${TOKEN}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
  )
  assert.equal(chunked.status, 400)
  assertCatalogue(chunked.body, /^ISOBAR_CONSOLE_INVALID_REQUEST$/, 'bad chunking')
  const param = await rawRequest(port, `GET /api/groups/${longGroup} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)
  assert.equal(param.status, 414)
  assert.equal(param.body.includes('gggg'), false)
})

test('the OpenAPI document declares a success response with a schema for every operation', async (t) => {
  const { app } = testApp(t)
  type Operation = { responses: Record<string, { content?: unknown; description?: string }> }
  const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
    paths: Record<string, Record<string, Operation>>
  }>()
  let operations = 0
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      operations++
      const success = Object.entries(operation.responses).filter(([status]) => /^2\d\d$/.test(status))
      assert.ok(success.length > 0, `${method} ${path} declares no success response`)
      for (const [status, response] of success) {
        if (status !== '204') assert.ok(response.content, `${method} ${path} ${status} has no schema`)
      }
      assert.ok(operation.responses['400'], `${method} ${path}: no error response`)
    }
  }
  assert.ok(operations >= 18, `${operations} operations`)
})

test('/metrics counts client mistakes apart from Kafka failures', async (t) => {
  const { app, call } = testApp(t)
  const count = async (pattern: RegExp): Promise<number> => {
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body
    return text
      .split('\n')
      .filter((l) => pattern.test(l))
      .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0)
  }
  const kafka = /^isobar_console_kafka_admin_errors_total\{/
  const client =
    /^isobar_console_admin_client_errors_total\{operation="describeTopics",code="ISOBAR_CORE_TOPIC_NOT_FOUND"/
  const [kafkaBefore, clientBefore] = [await count(kafka), await count(client)]
  assert.equal((await call('GET', `/api/topics/${uniqueTopicName('console-metrics-none')}`)).status, 404)
  assert.equal((await call('DELETE', `/api/topics/${uniqueTopicName('console-metrics-none')}`)).status, 404)
  assert.equal(await count(client), clientBefore + 2)
  assert.equal(await count(kafka), kafkaBefore, 'a missing topic is not a Kafka failure')
})

test('bodies nested deeper than the limit are a 400 before any work; ordinary nesting is fine', async (t) => {
  const { app, call } = testApp(t)
  const topic = await createTestTopic(t, { partitions: 1, prefix: 'console-deep' })
  const json = { ...admin, 'content-type': 'application/json' }
  for (const depth of [65, 5000, 200_000]) {
    const payload = `{"value":${'['.repeat(depth)}${']'.repeat(depth)}}`
    const response = await app.inject({ method: 'POST', url: `/api/topics/${topic}/messages`, headers: json, payload })
    assert.equal(response.statusCode, 400, `depth ${depth}: ${response.body}`)
    assert.match(assertCatalogue(response.body, /^ISOBAR_CONSOLE_INVALID_REQUEST$/, 'deep').message, /nest/)
  }
  // Brackets inside strings are not nesting.
  const text = await call('POST', `/api/topics/${topic}/messages`, { value: { note: '['.repeat(500) } })
  assert.equal(text.status, 201, text.response.body)
  const nested = await call('POST', `/api/topics/${topic}/messages`, {
    value: JSON.parse('['.repeat(60) + ']'.repeat(60)),
  })
  assert.equal(nested.status, 201, nested.response.body)
})

test("produce: what the topic's configs forbid is a 400 before the produce (no key on a compacted topic, too large)", async (t) => {
  const { call } = testApp(t)
  const compacted = await createTestTopic(t, {
    partitions: 1,
    prefix: 'console-compact',
    configs: { 'cleanup.policy': 'compact' },
  })
  const noKey = await call('POST', `/api/topics/${compacted}/messages`, { value: { a: 1 } })
  assert.equal(noKey.status, 400, noKey.response.body)
  assert.match(noKey.json.message, /key/)
  assert.match(noKey.json.message, /cleanup\.policy/)
  const keyed = await call('POST', `/api/topics/${compacted}/messages`, { key: 'k', value: { a: 1 } })
  assert.equal(keyed.status, 201, keyed.response.body)
  assert.equal(keyed.json.offset, 0)

  const small = await createTestTopic(t, {
    partitions: 1,
    prefix: 'console-small',
    configs: { 'max.message.bytes': '2000' },
  })
  const big = await call('POST', `/api/topics/${small}/messages`, { value: 'x'.repeat(5000), valueEncoding: 'string' })
  assert.equal(big.status, 400, big.response.body)
  assert.match(big.json.message, /max\.message\.bytes/)
  const fits = await call('POST', `/api/topics/${small}/messages`, { value: 'x'.repeat(500), valueEncoding: 'string' })
  assert.equal(fits.status, 201, fits.response.body)
  assert.equal(fits.json.offset, 0, 'the refused record was never written')
})
