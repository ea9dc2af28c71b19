import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { MemorySchemaLog } from '../../src/store/schema-log.ts'
import { instance, jsonSchema, type TestInstance } from '../helpers.ts'

const schemaN = (n: number) => ({ type: 'object', properties: { [`field${n}`]: { type: 'string' } } })

async function snapshot(node: TestInstance, maxId: number): Promise<unknown[]> {
  const out: unknown[] = []
  for (let id = 1; id <= maxId; id++) out.push((await node.call('GET', `/schemas/ids/${id}`)).body)
  for (const subject of (await node.call('GET', '/subjects?deleted=true')).body as string[]) {
    out.push((await node.call('GET', `/subjects/${encodeURIComponent(subject)}/versions?deleted=true`)).body)
  }
  return out
}

describe('unit registry: several instances on one log', () => {
  test('concurrent writers through two instances never share an id; a restart serves the same ids', async () => {
    // Delayed delivery makes both instances allocate from the same stale state, so records really conflict.
    const log = new MemorySchemaLog({ latencyMs: 5 })
    const a = await instance({ log })
    const b = await instance({ log })
    await a.call('PUT', '/config', { compatibility: 'NONE' })
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        (n % 2 === 0 ? a : b).call('POST', `/subjects/s${n % 3}/versions`, jsonSchema(schemaN(n))),
      ),
    )
    assert.ok(
      results.every((r) => r.status === 200),
      JSON.stringify(results.filter((r) => r.status !== 200)),
    )
    const ids = results.map((r) => r.body.id as number)
    assert.equal(new Set(ids).size, 20, `ids ${ids.join(',')}`)
    const versions = results.map((r) => `${r.body.subject}/${r.body.version}`)
    assert.equal(new Set(versions).size, 20, `versions ${versions.join(',')}`)
    assert.ok(log.records.length > 21, 'some writes conflicted and were repaired')
    // Both instances agree on every id and every subject.
    const maxId = Math.max(...ids)
    assert.deepEqual(await snapshot(a, maxId), await snapshot(b, maxId))
    for (const r of results) {
      const got = await b.call('GET', `/schemas/ids/${r.body.id}`)
      assert.equal(got.body.schema, r.body.schema)
    }
    // Compaction keeps winners (rejected records were repaired); a restarted instance agrees.
    log.compact()
    const restarted = await instance({ log })
    assert.deepEqual(await snapshot(restarted, maxId), await snapshot(a, maxId))
    log.compact(true)
    const again = await instance({ log })
    assert.deepEqual(await snapshot(again, maxId), await snapshot(a, maxId))
  })

  test('a conflicting record from another writer is rejected and the loser retries', async () => {
    const log = new MemorySchemaLog()
    const a = await instance({ log })
    await a.call('POST', '/subjects/s/versions', jsonSchema(schemaN(1)))
    // Another writer claims id 2 and then version 2 of s with a stale view.
    const key2 = Buffer.from('{"keytype":"SCHEMA","subject":"t","version":1,"magic":1}')
    await log.append(
      key2,
      Buffer.from(
        JSON.stringify({
          subject: 't',
          version: 1,
          id: 1,
          schemaType: 'JSON',
          schema: '{"type":"string"}',
          deleted: false,
        }),
      ),
    )
    assert.equal((await a.call('GET', '/subjects/t/versions')).body.error_code, 40401, 'id clash rejected')
    const r = await a.call('POST', '/subjects/t/versions', jsonSchema({ type: 'string' }))
    assert.deepEqual([r.status, r.body.id, r.body.version], [200, 2, 1])
    log.compact(true)
    const restarted = await instance({ log })
    assert.equal((await restarted.call('GET', '/subjects/t/versions/1')).body.id, 2)
    assert.equal((await restarted.call('GET', '/schemas/ids/1')).body.schema, JSON.stringify(schemaN(1)))
  })

  test('followers forward writes to the leader; reads are served locally', async () => {
    const log = new MemorySchemaLog()
    const leader = await instance({ log })
    const forwarded: string[] = []
    const fetchToLeader: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : input)
      forwarded.push(`${init?.method} ${url.pathname}`)
      const r = await leader.app.inject({
        method: (init?.method ?? 'GET') as 'GET',
        url: url.pathname + url.search,
        headers: init?.headers as Record<string, string>,
        ...(typeof init?.body === 'string' ? { payload: init.body } : {}),
      })
      return new Response(r.body, {
        status: r.statusCode,
        headers: { 'content-type': String(r.headers['content-type']) },
      })
    }
    const follower = await instance({
      log,
      leadership: { isLeader: () => false, leaderUrl: () => 'http://leader.invalid:8081' },
      fetch: fetchToLeader,
    })
    const r = await follower.call('POST', '/subjects/f/versions', jsonSchema({ type: 'string' }))
    assert.deepEqual([r.status, r.body.id], [200, 1])
    const bad = await follower.call('POST', '/subjects/f/versions', jsonSchema({ type: 'integer' }))
    assert.deepEqual([bad.status, bad.body.error_code], [409, 409])
    await follower.call('PUT', '/config/f', { compatibility: 'NONE' })
    await follower.call('DELETE', '/subjects/f')
    assert.deepEqual(forwarded, [
      'POST /subjects/f/versions',
      'POST /subjects/f/versions',
      'PUT /config/f',
      'DELETE /subjects/f',
    ])
    await follower.call('GET', '/subjects?deleted=true')
    assert.equal(forwarded.length, 4)
    assert.equal(log.records.length, 3)
  })

  test('unknown or unreachable leader gives retriable 5xx codes', async () => {
    const unknown = await instance({ leadership: { isLeader: () => false, leaderUrl: () => undefined } })
    const r1 = await unknown.call('POST', '/subjects/x/versions', jsonSchema({ type: 'string' }))
    assert.deepEqual([r1.status, r1.body.error_code], [500, 50004])
    const unreachable = await instance({
      leadership: { isLeader: () => false, leaderUrl: () => 'http://127.0.0.1:1' },
      fetch: () => Promise.reject(new Error('connect ECONNREFUSED')),
    })
    const r2 = await unreachable.call('PUT', '/config', { compatibility: 'NONE' })
    assert.deepEqual([r2.status, r2.body.error_code], [500, 50003])
    assert.match(r2.body.message, /ECONNREFUSED/)
  })

  test('a broken log answers 500/50001 and the server keeps serving reads', async () => {
    const log = new MemorySchemaLog()
    const node = await instance({ log })
    await node.call('POST', '/subjects/s/versions', jsonSchema({ type: 'string' }))
    log.shutDown()
    const r = await node.call('POST', '/subjects/t/versions', jsonSchema({ type: 'string', maxLength: 1 }))
    assert.deepEqual([r.status, r.body.error_code], [500, 50001])
    assert.equal((await node.call('GET', '/subjects/s/versions/1')).status, 200)
  })

  test('garbage records in the log are skipped', async () => {
    const log = new MemorySchemaLog()
    await log.append(Buffer.from('not json'), Buffer.from('x'))
    await log.append(Buffer.from('{"keytype":"SCHEMA","subject":"s","version":1,"magic":1}'), Buffer.from('{"oops":1}'))
    await log.append(Buffer.from('{"keytype":"WHATEVER","magic":0}'), Buffer.from('{}'))
    await log.append(Buffer.from('{"keytype":"NOOP","magic":0}'), null)
    const node = await instance({ log })
    assert.deepEqual((await node.call('GET', '/subjects')).body, [])
    assert.equal((await node.call('POST', '/subjects/s/versions', jsonSchema({ type: 'string' }))).body.id, 1)
  })
})
