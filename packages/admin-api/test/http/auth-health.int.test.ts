import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createKafkaClient, parseKafkaConfig } from '@isobar/core'
import { testKafkaClient } from '@isobar/testing'
import { buildConsoleApp } from '../../src/index.ts'
import { TOKEN, testApp } from '../helpers.ts'

test('/api refuses requests without the right bearer token; /health, /ready, /metrics need none', async (t) => {
  const { app, call } = testApp(t)
  const none = await app.inject({ method: 'GET', url: '/api/topics' })
  assert.equal(none.statusCode, 401)
  assert.equal(none.json().error, 'ISOBAR_CONSOLE_UNAUTHORIZED')
  for (const authorization of ['Bearer wrong', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
    const wrong = await app.inject({ method: 'GET', url: '/api/cluster', headers: { authorization } })
    assert.equal(wrong.statusCode, 401, authorization)
  }
  // Unknown routes execute nothing, so they answer 404 without a token (the routes are public in the OpenAPI doc).
  assert.equal((await app.inject({ method: 'GET', url: '/api/nothing-here' })).statusCode, 404)

  const cluster = await call('GET', '/api/cluster')
  assert.equal(cluster.status, 200)
  assert.ok(cluster.json.brokers.length >= 1)
  assert.equal(typeof cluster.json.clusterId, 'string')
  const brokers = await call('GET', '/api/brokers')
  assert.equal((brokers.json.brokers as Array<{ controller: boolean }>).filter((b) => b.controller).length <= 1, true)
  assert.equal(brokers.json.brokers[0].host, '127.0.0.1')

  assert.deepEqual((await app.inject({ method: 'GET', url: '/health' })).json(), { status: 'ok' })
  const ready = await app.inject({ method: 'GET', url: '/ready' })
  assert.equal(ready.statusCode, 200)
  assert.equal(ready.json().kafka, 'ok')
})

test('unknown routes and malformed bodies get JSON errors, never a crash', async (t) => {
  const { app, call } = testApp(t)
  const missing = await call('GET', '/api/nothing-here')
  assert.equal(missing.status, 404)
  assert.equal(missing.json.error, 'ISOBAR_CONSOLE_ROUTE_NOT_FOUND')
  const outside = await app.inject({ method: 'GET', url: '/nope' })
  assert.equal(outside.statusCode, 404)
  assert.equal(outside.json().error, 'ISOBAR_CONSOLE_ROUTE_NOT_FOUND')
  // A deep link into the browser console gets its page, which routes it.
  const deepLink = await app.inject({ method: 'GET', url: '/topics/sensors.aggregates?tab=messages' })
  assert.equal(deepLink.statusCode, 200)
  assert.match(String(deepLink.headers['content-type']), /^text\/html/)

  const malformed = await app.inject({
    method: 'POST',
    url: '/api/topics',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    payload: '{"name": ',
  })
  assert.equal(malformed.statusCode, 400)
  assert.equal(malformed.json().error, 'ISOBAR_CONSOLE_INVALID_REQUEST')
  const wrongType = await app.inject({
    method: 'POST',
    url: '/api/topics',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/xml' },
    payload: '<name>x</name>',
  })
  assert.equal(wrongType.statusCode, 415)
  assert.equal(typeof wrongType.json().message, 'string')
  // The app still answers after all of that.
  assert.equal((await call('GET', '/api/topics')).status, 200)
})

test('/ready is 503 when Kafka or the configured registry does not answer', async (t) => {
  const unreachable = createKafkaClient(
    parseKafkaConfig({ bootstrapServers: ['127.0.0.1:1'], clientId: 'console-test', connectTimeoutMs: 500 }),
  )
  const down = buildConsoleApp({ kafka: unreachable, token: TOKEN, readiness: { timeoutMs: 2000 } })
  t.after(() => down.close())
  const kafkaDown = await down.inject({ method: 'GET', url: '/ready' })
  assert.equal(kafkaDown.statusCode, 503)
  assert.equal(kafkaDown.json().error, 'ISOBAR_CONSOLE_NOT_READY')
  assert.match(kafkaDown.json().message, /Kafka/)
  const failing = await down.inject({
    method: 'GET',
    url: '/api/topics',
    headers: { authorization: `Bearer ${TOKEN}` },
  })
  assert.ok(failing.statusCode >= 500, `status ${failing.statusCode}`)
  assert.equal(typeof failing.json().error, 'string')

  const noRegistry = buildConsoleApp({
    kafka: testKafkaClient(),
    token: TOKEN,
    readiness: { registry: () => Promise.reject(new Error('connection refused')) },
  })
  t.after(() => noRegistry.close())
  const registryDown = await noRegistry.inject({ method: 'GET', url: '/ready' })
  assert.equal(registryDown.statusCode, 503)
  assert.match(registryDown.json().message, /registry/i)
})

test('the OpenAPI document lists every route and the docs page is served with its assets', async (t) => {
  const { app } = testApp(t)
  const openapi = await app.inject({ method: 'GET', url: '/api/openapi.json' })
  assert.equal(openapi.statusCode, 200)
  const doc = JSON.parse(openapi.body) as { openapi: string; paths: Record<string, Record<string, unknown>> }
  assert.match(doc.openapi, /^3\./)
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`))
  for (const expected of [
    'get /api/cluster',
    'get /api/brokers',
    'get /api/topics',
    'post /api/topics',
    'get /api/topics/{topic}',
    'delete /api/topics/{topic}',
    'patch /api/topics/{topic}/configs',
    'post /api/topics/{topic}/partitions',
    'get /api/topics/{topic}/messages',
    'post /api/topics/{topic}/messages',
    'get /api/groups',
    'get /api/groups/{group}',
    'get /api/groups/{group}/lag',
    'post /api/groups/{group}/offsets/reset',
    'delete /api/groups/{group}',
  ]) {
    assert.ok(operations.includes(expected), `${expected} missing from ${operations.join(', ')}`)
  }
  const docs = await app.inject({ method: 'GET', url: '/api/docs' })
  assert.equal(docs.statusCode, 200)
  assert.match(docs.body, /swagger-ui/i)
  const css = await app.inject({ method: 'GET', url: '/api/docs/static/swagger-ui.css' })
  assert.equal(css.statusCode, 200)
  assert.ok(css.body.length > 1000)
})

test('/metrics counts HTTP requests by route and status, and refused Kafka admin calls', async (t) => {
  const { app, call } = testApp(t)
  const count = async (pattern: RegExp): Promise<number> => {
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body
    const line = text.split('\n').find((l) => pattern.test(l))
    return line ? Number(line.split(' ').at(-1)) : 0
  }
  const ok = /^isobar_console_http_requests_total\{method="GET",route="\/api\/topics",status_code="200"/
  const notFound =
    /^isobar_console_admin_client_errors_total\{operation="describeTopics",code="ISOBAR_CORE_TOPIC_NOT_FOUND"/
  const before = await count(ok)
  const errorsBefore = await count(notFound)
  await call('GET', '/api/topics')
  await call('GET', '/api/topics')
  assert.equal((await call('GET', '/api/topics/console-metrics-no-such-topic')).status, 404)
  assert.equal(await count(ok), before + 2)
  assert.equal(await count(notFound), errorsBefore + 1)
  assert.match(
    (await app.inject({ method: 'GET', url: '/metrics' })).body,
    /isobar_console_http_request_duration_seconds_bucket/,
  )
})
