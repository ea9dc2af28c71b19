import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { RegistryRequestError, SchemaRegistryClient, SerdeErrorCodes } from '@isobar/core'

interface Seen {
  method: string
  url: string
  contentType: string | undefined
  body: string
}

const seen: Seen[] = []
let hits = 0
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  let body = ''
  req.on('data', (d: Buffer) => (body += d.toString()))
  req.on('end', () => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'], body })
    const reply = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' })
      res.end(JSON.stringify(value))
    }
    if (req.url === '/schemas/ids/1') {
      hits++
      return reply(200, { schema: '{"type":"string"}', schemaType: 'JSON' })
    }
    if (req.url === '/schemas/ids/2') return reply(404, { error_code: 40403, message: 'Schema 2 not found' })
    if (req.url === '/subjects/a%2Fb-value/versions' && req.method === 'POST') return reply(200, { id: 7 })
    if (req.url?.startsWith('/subjects/bad-value/versions')) {
      return reply(409, { error_code: 409, message: 'Schema being registered is incompatible' })
    }
    if (req.url === '/boom') return reply(500, 'not json')
    return reply(404, { error_code: 404, message: 'HTTP 404 Not Found' })
  })
})
let client: SchemaRegistryClient

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  client = new SchemaRegistryClient({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` })
})
after(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('SchemaRegistryClient', () => {
  it('registers with the Confluent content type, JSON schemaType and an encoded subject', async () => {
    assert.equal(await client.register('a/b-value', { schema: { type: 'string' } }), 7)
    const request = seen.at(-1)
    assert.equal(request?.contentType, 'application/vnd.schemaregistry.v1+json')
    assert.deepEqual(JSON.parse(request?.body ?? ''), { schema: '{"type":"string"}', schemaType: 'JSON' })
  })

  it('caches schemas by id, sharing concurrent misses', async () => {
    const all = await Promise.all([client.getSchemaById(1), client.getSchemaById(1), client.getSchemaById(1)])
    await client.getSchemaById(1)
    assert.equal(hits, 1)
    assert.equal(all[0]?.schema, '{"type":"string"}')
  })

  it('turns Confluent error bodies into RegistryRequestError with error_code, unknown ids into UNKNOWN_SCHEMA_ID', async () => {
    await assert.rejects(
      client.getSchemaById(2),
      (e: { code?: string }) => e.code === SerdeErrorCodes.UNKNOWN_SCHEMA_ID,
    )
    await assert.rejects(
      client.register('bad-value', { schema: '{}' }),
      (e: unknown) =>
        e instanceof RegistryRequestError &&
        e.errorCode === 409 &&
        e.status === 409 &&
        !e.retriable &&
        /incompatible/.test(e.message),
    )
    await assert.rejects(
      client.getVersion('missing'),
      (e: unknown) => e instanceof RegistryRequestError && e.errorCode === 404,
    )
  })

  it('reports an unreachable registry as a retriable error', async () => {
    const down = new SchemaRegistryClient({ url: 'http://127.0.0.1:1', timeoutMs: 2000 })
    await assert.rejects(
      down.listSubjects(),
      (e: unknown) =>
        e instanceof RegistryRequestError && e.retriable && e.status === 0 && /not reachable/.test(e.message),
    )
  })
})
