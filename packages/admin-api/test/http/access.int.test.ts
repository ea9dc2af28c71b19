import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import { createLogger } from '@isobar/core'
import { createTestTopic } from '@isobar/testing'
import { READ_TOKEN, TOKEN, testApp } from '../helpers.ts'
import { rawRequest } from '../raw-http.ts'

const admin = { authorization: `Bearer ${TOKEN}` }
const reader = { authorization: `Bearer ${READ_TOKEN}` }

test('percent-encoded, absolute-form, dot-segment and double-slash targets never reach a write route', async (t) => {
  const { app, call } = testApp(t)
  const topic = await createTestTopic(t, { partitions: 1, prefix: 'console-bypass' })
  // The router decodes these to DELETE /api/topics/:topic, so the route's own access rule applies: admin.
  for (const url of [`/%61pi/topics/${topic}`, `/ap%69/topics/${topic}`, `/%61%70%69/topics/${topic}`]) {
    const anonymous = await app.inject({ method: 'DELETE', url })
    assert.equal(anonymous.statusCode, 401, `${url}: ${anonymous.body}`)
    assert.equal(anonymous.json().error, 'ISOBAR_CONSOLE_UNAUTHORIZED')
    const readOnly = await app.inject({ method: 'DELETE', url, headers: reader })
    assert.equal(readOnly.statusCode, 403, `${url}: ${readOnly.body}`)
    assert.equal(readOnly.json().error, 'ISOBAR_CONSOLE_FORBIDDEN')
  }

  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const port = Number(new URL(url).port)
  const targets = [
    `http://127.0.0.1:${port}/api/topics/${topic}`,
    `http://127.0.0.1:${port}/%61pi/topics/${topic}`,
    `/api/./topics/${topic}`,
    `/api/x/../topics/${topic}`,
    `/api/%2e%2e/api/topics/${topic}`,
    `/api//topics/${topic}`,
    `//api/topics/${topic}`,
    `/api/topics%2F${topic}`,
    `/api/topics%5c${topic}`,
  ]
  for (const target of targets) {
    for (const headers of ['', `Authorization: Bearer ${TOKEN}\r\n`]) {
      const response = await rawRequest(
        port,
        `DELETE ${target} HTTP/1.1\r\nHost: x\r\n${headers}Connection: close\r\n\r\n`,
      )
      assert.equal(response.status, 400, `${target}: ${response.body}`)
      const body = JSON.parse(response.body) as { error: string; message: string }
      assert.equal(body.error, 'ISOBAR_CONSOLE_INVALID_REQUEST', target)
      assert.match(body.message, /request target/, target)
    }
  }
  const still = await call('GET', `/api/topics/${topic}`)
  assert.equal(still.status, 200, 'the topic survived every attempt')
})

test('roles: the read token reads, the admin token writes, undeclared routes need admin, public routes none', async (t) => {
  const { app, call, cleanup } = testApp(t)
  // A route registered without access config, and a public static asset outside /api (a future web app).
  app.get('/api/undeclared', () => ({ ran: true }))
  app.get('/app/index.html', { config: { access: 'public' } }, (_request, reply) =>
    reply.type('text/html').send('<html></html>'),
  )

  assert.equal((await app.inject({ method: 'GET', url: '/api/topics', headers: reader })).statusCode, 200)
  assert.equal((await app.inject({ method: 'GET', url: '/api/topics' })).statusCode, 401)
  const name = `console-roles-${Date.now()}`
  cleanup(() => call('DELETE', `/api/topics/${name}`))
  const refused = await app.inject({ method: 'POST', url: '/api/topics', headers: reader, payload: { name } })
  assert.equal(refused.statusCode, 403)
  assert.deepEqual(Object.keys(refused.json()).sort(), ['error', 'message'])
  assert.equal((await call('GET', `/api/topics/${name}`)).status, 404, 'nothing was created')
  assert.equal((await call('POST', '/api/topics', { name })).status, 201)

  assert.equal((await app.inject({ method: 'GET', url: '/api/undeclared' })).statusCode, 401)
  assert.equal((await app.inject({ method: 'GET', url: '/api/undeclared', headers: reader })).statusCode, 403)
  assert.deepEqual((await app.inject({ method: 'GET', url: '/api/undeclared', headers: admin })).json(), { ran: true })

  const page = await app.inject({ method: 'GET', url: '/app/index.html' })
  assert.equal(page.statusCode, 200)
  assert.equal(page.body, '<html></html>')
  assert.equal((await app.inject({ method: 'HEAD', url: '/app/index.html' })).statusCode, 200)
  // HEAD routes Fastify adds for GET routes carry the same access.
  assert.equal((await app.inject({ method: 'HEAD', url: '/api/topics' })).statusCode, 401)
  assert.equal((await app.inject({ method: 'HEAD', url: '/api/undeclared', headers: reader })).statusCode, 403)
  assert.equal((await app.inject({ method: 'HEAD', url: '/api/topics', headers: reader })).statusCode, 200)
  for (const url of ['/health', '/metrics', '/api/openapi.json', '/api/docs']) {
    assert.equal((await app.inject({ method: 'GET', url })).statusCode, 200, url)
  }
})

test('unmatched routes answer 404, and known paths with another method 405 with Allow, without executing', async (t) => {
  const { app } = testApp(t)
  const missing = await app.inject({ method: 'GET', url: '/api/nothing-here' })
  assert.equal(missing.statusCode, 404)
  assert.equal(missing.json().error, 'ISOBAR_CONSOLE_ROUTE_NOT_FOUND')
  for (const headers of [{}, admin]) {
    const wrong = await app.inject({ method: 'PUT', url: '/api/topics', headers })
    assert.equal(wrong.statusCode, 405, wrong.body)
    assert.equal(wrong.json().error, 'ISOBAR_CONSOLE_METHOD_NOT_ALLOWED')
    assert.deepEqual(wrong.headers.allow?.toString().split(', ').sort(), ['GET', 'HEAD', 'POST'])
  }
  const put = await app.inject({ method: 'PUT', url: '/api/topics/some-topic', headers: admin })
  assert.equal(put.statusCode, 405)
  assert.deepEqual(put.headers.allow?.toString().split(', ').sort(), ['DELETE', 'GET', 'HEAD'])
})

test('session: login with a token sets an HttpOnly cookie that authenticates like the token of its role', async (t) => {
  const { app, call, cleanup } = testApp(t)
  const bad = await app.inject({ method: 'POST', url: '/api/session', payload: { token: 'nope' } })
  assert.equal(bad.statusCode, 401)
  assert.equal(bad.json().error, 'ISOBAR_CONSOLE_UNAUTHORIZED')
  assert.equal(bad.headers['set-cookie'], undefined)
  assert.equal((await app.inject({ method: 'POST', url: '/api/session', payload: { token: 5 } })).statusCode, 400)
  // What a cross-site form could send never logs in.
  for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    const form = await app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { 'content-type': contentType },
      payload: JSON.stringify({ token: TOKEN }),
    })
    assert.ok(form.statusCode === 400 || form.statusCode === 415, `${contentType}: ${form.statusCode}`)
    assert.equal(form.headers['set-cookie'], undefined)
  }

  const login = await app.inject({ method: 'POST', url: '/api/session', payload: { token: TOKEN } })
  assert.equal(login.statusCode, 200)
  assert.deepEqual(login.json(), { role: 'admin' })
  const setCookie = String(login.headers['set-cookie'])
  assert.match(setCookie, /^isobar_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/$/)
  const cookie = setCookie.split(';', 1)[0] ?? ''

  assert.deepEqual((await app.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).json(), {
    role: 'admin',
  })
  assert.equal((await app.inject({ method: 'GET', url: '/api/topics', headers: { cookie } })).statusCode, 200)
  const name = `console-session-${Date.now()}`
  cleanup(() => call('DELETE', `/api/topics/${name}`))
  const csrf = await app.inject({ method: 'POST', url: '/api/topics', headers: { cookie }, payload: { name } })
  assert.equal(csrf.statusCode, 403, csrf.body)
  assert.match(csrf.json().message, /X-Requested-With/)
  assert.equal((await call('GET', `/api/topics/${name}`)).status, 404)
  const created = await app.inject({
    method: 'POST',
    url: '/api/topics',
    headers: { cookie, 'x-requested-with': 'isobar' },
    payload: { name },
  })
  assert.equal(created.statusCode, 201, created.body)

  const readLogin = await app.inject({ method: 'POST', url: '/api/session', payload: { token: READ_TOKEN } })
  assert.deepEqual(readLogin.json(), { role: 'read' })
  const readCookie = String(readLogin.headers['set-cookie']).split(';', 1)[0] ?? ''
  assert.notEqual(readCookie, cookie)
  assert.deepEqual((await app.inject({ method: 'GET', url: '/api/session', headers: { cookie: readCookie } })).json(), {
    role: 'read',
  })
  const readWrite = await app.inject({
    method: 'DELETE',
    url: `/api/topics/${name}`,
    headers: { cookie: readCookie, 'x-requested-with': 'isobar' },
  })
  assert.equal(readWrite.statusCode, 403)

  const logout = await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } })
  assert.equal(logout.statusCode, 204)
  assert.match(String(logout.headers['set-cookie']), /^isobar_session=; .*Max-Age=0/)
  assert.equal((await app.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).statusCode, 401)
  assert.equal((await app.inject({ method: 'GET', url: '/api/topics', headers: { cookie } })).statusCode, 401)
  const forged = { cookie: `isobar_session=${'A'.repeat(43)}` }
  assert.equal((await app.inject({ method: 'GET', url: '/api/session', headers: forged })).statusCode, 401)
  assert.equal((await app.inject({ method: 'GET', url: '/api/session', headers: reader })).json().role, 'read')
})

test('tokens, session ids and cookies never reach the logs', async (t) => {
  const lines: string[] = []
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'))
      callback()
    },
  })
  const logger = createLogger({ service: 'console-test', level: 'trace', destination })
  const { app } = testApp(t, { logger })
  // Even a handler that logs the request headers leaks nothing: the logger redacts them.
  app.get('/api/log-probe', { config: { access: 'read' } }, (request) => {
    request.log.info({ headers: request.headers, req: { headers: request.headers } }, 'probe')
    return { logged: true }
  })
  const login = await app.inject({ method: 'POST', url: '/api/session', payload: { token: TOKEN } })
  const cookie = String(login.headers['set-cookie']).split(';', 1)[0] ?? ''
  const id = cookie.split('=')[1] ?? ''
  assert.equal(id.length, 43)
  await app.inject({ method: 'GET', url: '/api/topics', headers: { cookie } })
  await app.inject({ method: 'GET', url: '/api/topics', headers: reader })
  await app.inject({ method: 'POST', url: '/api/topics', headers: { ...reader, cookie }, payload: { name: 'x' } })
  await app.inject({ method: 'POST', url: '/api/session', payload: { token: `${TOKEN}-wrong` } })
  assert.equal(
    (await app.inject({ method: 'GET', url: '/api/log-probe', headers: { ...admin, cookie } })).statusCode,
    200,
  )
  assert.ok(
    lines.some((l) => l.includes('"probe"') && l.includes('[redacted]')),
    'the probe logged redacted headers',
  )
  // The request log itself is written (so the check below looks at real output).
  assert.ok(
    lines.some((l) => l.includes('/api/topics')),
    'requests are logged',
  )
  const text = lines.join('')
  for (const secret of [TOKEN, READ_TOKEN, id]) assert.equal(text.includes(secret), false, `a secret leaked: ${secret}`)
})
