import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { describe, test } from 'node:test'
import { instance, V1, type Json } from '../helpers.ts'

type Row = Record<string, unknown>
const rows = (body: Json): Row[] => body as Row[]

const avro = (schema: string, extra: Record<string, unknown> = {}) => ({ schema, ...extra })
const isError = (body: Json, code: number) =>
  typeof body === 'object' && body !== null && body.error_code === code && typeof body.message === 'string'

describe('unit registry HTTP: Confluent parity', () => {
  test('an Avro schema is identified by its canonical form: key order and whitespace never matter', async () => {
    const { call } = await instance()
    await call('PUT', '/config/a', { compatibility: 'NONE' })
    const first = await call(
      'POST',
      '/subjects/a/versions',
      avro('{"type":"record","name":"R","fields":[{"name":"x","type":"int"},{"name":"y","type":{"type":"string"}}]}'),
    )
    assert.equal(first.status, 200)
    const reordered =
      '{ "fields": [ {"type": "int", "name": "x"}, {"type": "string", "name": "y"} ],\n  "name": "R", "type": "record" }'
    const again = await call('POST', '/subjects/a/versions', avro(reordered))
    assert.equal(again.status, 200)
    assert.deepEqual([again.body.id, again.body.version], [first.body.id, first.body.version])
    const lookup = await call('POST', '/subjects/a', avro(reordered))
    assert.equal(lookup.status, 200)
    assert.equal(lookup.body.id, first.body.id)
    assert.deepEqual((await call('GET', '/subjects/a/versions')).body, [1])
    // Stored in the canonical attribute order.
    assert.equal(
      lookup.body.schema,
      '{"type":"record","name":"R","fields":[{"name":"x","type":"int"},{"name":"y","type":"string"}]}',
    )
  })

  test('nested references are followed: a reference whose schema has references (Avro and JSON)', async () => {
    const { call } = await instance()
    for (const s of ['inner', 'middle', 'outer']) await call('PUT', `/config/${s}`, { compatibility: 'NONE' })
    const inner = await call('POST', '/subjects/inner/versions', avro('{"type":"fixed","name":"ns.Id","size":4}'))
    assert.equal(inner.status, 200)
    const middle = await call(
      'POST',
      '/subjects/middle/versions',
      avro('{"type":"record","name":"ns.Mid","fields":[{"name":"id","type":"ns.Id"}]}', {
        references: [{ name: 'ns.Id', subject: 'inner', version: 1 }],
      }),
    )
    assert.equal(middle.status, 200, JSON.stringify(middle.body))
    const outer = await call(
      'POST',
      '/subjects/outer/versions',
      avro('{"type":"record","name":"ns.Out","fields":[{"name":"m","type":"ns.Mid"}]}', {
        references: [{ name: 'ns.Mid', subject: 'middle', version: 1 }],
      }),
    )
    assert.equal(outer.status, 200, JSON.stringify(outer.body))

    const jsonRef = (schema: unknown, references: unknown[] = []) => ({
      schemaType: 'JSON',
      schema: JSON.stringify(schema),
      references,
    })
    await call('POST', '/subjects/j1/versions', jsonRef({ $id: 'https://x/c.json', type: 'string' }))
    await call(
      'POST',
      '/subjects/j2/versions',
      jsonRef({ $id: 'https://x/b.json', type: 'object', properties: { c: { $ref: 'https://x/c.json' } } }, [
        { name: 'https://x/c.json', subject: 'j1', version: 1 },
      ]),
    )
    const top = await call(
      'POST',
      '/subjects/j3/versions',
      jsonRef({ type: 'object', properties: { b: { $ref: 'https://x/b.json' } } }, [
        { name: 'https://x/b.json', subject: 'j2', version: 1 },
      ]),
    )
    assert.equal(top.status, 200, JSON.stringify(top.body))
    // The nested reference takes part in the diff: the inner type changing under a new j2 version is seen.
    const check = await call(
      'POST',
      '/compatibility/subjects/j3/versions/latest?verbose=true',
      jsonRef({ type: 'object', properties: { b: { $ref: 'https://x/b.json' } } }, [
        { name: 'https://x/b.json', subject: 'j2', version: 1 },
      ]),
    )
    assert.equal(check.body.is_compatible, true)
    const missing = await call('POST', '/subjects/j4/versions', jsonRef({ $ref: 'https://x/nowhere.json' }))
    assert.equal(missing.status, 422)
  })

  test('GET /schemas lists schemas with subjectPrefix, deleted, latestOnly, offset and limit', async () => {
    const { call } = await instance()
    const js = (n: number) => ({ schemaType: 'JSON', schema: JSON.stringify({ type: 'object', maxProperties: n }) })
    await call('PUT', '/config', { compatibility: 'NONE' })
    await call('POST', '/subjects/a-1/versions', js(1))
    await call('POST', '/subjects/a-1/versions', js(2))
    await call('POST', '/subjects/b-1/versions', js(3))
    await call('DELETE', '/subjects/b-1/versions/1')
    const all = await call('GET', '/schemas')
    assert.equal(all.status, 200)
    assert.deepEqual(
      rows(all.body).map((s) => [s.subject, s.version, s.id]),
      [
        ['a-1', 1, 1],
        ['a-1', 2, 2],
      ],
    )
    assert.equal(all.body[0].schemaType, 'JSON')
    assert.equal((await call('GET', '/schemas?deleted=true')).body.length, 3)
    assert.deepEqual(
      rows((await call('GET', '/schemas?latestOnly=true')).body).map((s) => s.version),
      [2],
    )
    assert.deepEqual(
      rows((await call('GET', '/schemas?subjectPrefix=b&deleted=true')).body).map((s) => s.subject),
      ['b-1'],
    )
    assert.deepEqual(
      rows((await call('GET', '/schemas?deleted=true&offset=1&limit=1')).body).map((s) => s.id),
      [2],
    )
    assert.ok(isError((await call('GET', '/schemas?limit=abc')).body, 422))
  })

  test('a JSON body that is not an object is 422 (error_code 422), like Confluent', async () => {
    const { app, call } = await instance()
    for (const payload of ['-1', '"x"', '[]', 'null', 'true']) {
      const response = await app.inject({
        method: 'POST',
        url: '/subjects/s/versions',
        headers: { 'content-type': V1 },
        payload,
      })
      assert.equal(response.statusCode, 422, payload)
      assert.ok(isError(JSON.parse(response.body), 422), payload)
    }
    assert.equal((await call('PUT', '/config', -1)).status, 422)
    assert.deepEqual((await call('GET', '/subjects')).body, [])
  })

  test('responses carry exactly application/vnd.schemaregistry.v1+json, errors included', async () => {
    const { call } = await instance()
    for (const [method, url] of [
      ['GET', '/subjects'],
      ['GET', '/nope'],
      ['GET', '/subjects/x/versions'],
      ['GET', '/config'],
    ] as const) {
      assert.equal((await call(method, url)).type, V1, `${method} ${url}`)
    }
  })

  test('Fastify and routing errors keep the catalogue format: bad URL encoding, wrong method (405 + Allow)', async () => {
    const { app } = await instance()
    const bad = await app.inject({ method: 'GET', url: '/subjects/%E0%A4%A/versions' })
    assert.equal(bad.statusCode, 400)
    assert.ok(isError(JSON.parse(bad.body), 400))
    assert.equal(bad.headers['content-type'], V1)
    assert.ok(!bad.body.includes('%E0'), 'the raw target is not echoed')

    const wrong = await app.inject({ method: 'PATCH', url: '/subjects/s/versions' })
    assert.equal(wrong.statusCode, 405)
    assert.ok(isError(JSON.parse(wrong.body), 405))
    assert.equal(wrong.headers.allow, 'GET, HEAD, POST')
    const badJson = await app.inject({
      method: 'POST',
      url: '/subjects/s/versions',
      headers: { 'content-type': V1 },
      payload: '{"schema": ',
    })
    assert.equal(badJson.statusCode, 400)
    assert.ok(isError(JSON.parse(badJson.body), 400))
  })

  test('errors of the HTTP parser itself (header overflow, bad chunking) are answered in the catalogue format', async () => {
    const { app } = await instance()
    const address = new URL(await app.listen({ port: 0, host: '127.0.0.1' }))
    const raw = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(Number(address.port), '127.0.0.1', () => socket.write(text))
        let out = ''
        socket.on('data', (chunk) => (out += chunk.toString()))
        socket.on('end', () => resolve(out))
        socket.on('error', reject)
      })
    try {
      const overflow = await raw(`GET /subjects HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`)
      assert.match(overflow, /^HTTP\/1\.1 431 /)
      assert.match(overflow, /\{"error_code":431,"message":"HTTP 431 Request Header Fields Too Large"\}$/)
      const chunked = await raw(
        'POST /subjects/s/versions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
      )
      assert.match(chunked, /^HTTP\/1\.1 400 /)
      assert.match(chunked, /"error_code":400/)
    } finally {
      await app.close()
    }
  })

  test('/health answers; /ready reports caught up and leader known', async () => {
    const view: { leader?: string } = {}
    const { call } = await instance({ leadership: { isLeader: () => false, leaderUrl: () => view.leader } })
    assert.deepEqual((await call('GET', '/health')).body, { status: 'UP' })
    const notReady = await call('GET', '/ready')
    assert.equal(notReady.status, 503)
    assert.ok(isError(notReady.body, 50301))
    assert.match(notReady.body.message, /no registry leader known/)
    view.leader = 'http://127.0.0.1:1'
    const ready = await call('GET', '/ready')
    assert.equal(ready.status, 200)
    assert.equal(ready.body.status, 'READY')
  })
})
