import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { SchemaRegistryClient } from '@isobar/core'
import { accessFor, parseBasicAuthUsers } from '../../src/http/auth.ts'
import { registryConfigFromEnv } from '../../src/config.ts'
import { instance, jsonSchema, V1 } from '../helpers.ts'

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
const users = parseBasicAuthUsers('admin:s3cret:admin, reader:r3ad:readonly')

describe('unit registry basic auth', () => {
  test('off by default: no credentials needed', async () => {
    const { call } = await instance()
    assert.equal((await call('GET', '/subjects')).status, 200)
  })

  test('on: decided per matched route, deny by default, readonly vs admin, public health/ready/metrics', async () => {
    const { app } = await instance({ basicAuth: { users } })
    const send = (method: string, url: string, authorization?: string, body?: unknown) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: {
          ...(authorization ? { authorization } : {}),
          ...(body === undefined ? {} : { 'content-type': V1 }),
        },
        ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
      })
    const register = jsonSchema({ type: 'object' })
    for (const url of ['/health', '/ready', '/metrics']) assert.equal((await send('GET', url)).statusCode, 200, url)

    // No or wrong credentials: 401 with a challenge and the catalogue body, on matched and unmatched routes.
    for (const [method, url] of [
      ['GET', '/subjects'],
      ['POST', '/subjects/s/versions'],
      ['GET', '/no/such/route'],
      ['DELETE', '/%73ubjects/s'],
    ] as const) {
      const response = await send(method, url)
      assert.equal(response.statusCode, 401, `${method} ${url}`)
      assert.deepEqual(JSON.parse(response.body), { error_code: 401, message: 'Unauthorized' })
      assert.match(String(response.headers['www-authenticate']), /^Basic realm=/)
    }
    assert.equal((await send('GET', '/subjects', basic('admin', 'wrong'))).statusCode, 401)
    assert.equal((await send('GET', '/subjects', basic('nobody', 's3cret'))).statusCode, 401)
    assert.equal((await send('GET', '/subjects', 'Bearer s3cret')).statusCode, 401)

    // Readonly: reads, lookups and compatibility checks; no writes (percent-encoded paths included).
    const reader = basic('reader', 'r3ad')
    assert.equal((await send('GET', '/subjects', reader)).statusCode, 200)
    assert.equal((await send('POST', '/compatibility/subjects/s/versions/latest', reader, register)).statusCode, 200)
    for (const [method, url] of [
      ['POST', '/subjects/s/versions'],
      ['POST', '/%73ubjects/s/versions'],
      ['PUT', '/config'],
      ['DELETE', '/subjects/s'],
    ] as const) {
      const response = await send(method, url, reader, method === 'DELETE' ? undefined : register)
      assert.equal(response.statusCode, 403, `${method} ${url}`)
      assert.equal(JSON.parse(response.body).error_code, 403)
    }
    assert.deepEqual(JSON.parse((await send('GET', '/subjects', reader)).body), [])

    // Admin: everything.
    const admin = basic('admin', 's3cret')
    assert.equal((await send('POST', '/subjects/s/versions', admin, register)).statusCode, 200)
    assert.deepEqual(JSON.parse((await send('GET', '/subjects', reader)).body), ['s'])
  })

  test('the core registry client passes credentials (option or URL userinfo) and never shows them in errors', async () => {
    const { app } = await instance({ basicAuth: { users } })
    const address = await app.listen({ port: 0, host: '127.0.0.1' })
    try {
      const input = { schema: { type: 'object' }, schemaType: 'JSON' as const }
      const withUrl = new SchemaRegistryClient({ url: address.replace('http://', 'http://admin:s3cret@') })
      assert.equal(withUrl.url, address)
      assert.equal(await withUrl.register('c', input), 1)
      const withOption = new SchemaRegistryClient({ url: address, basicAuthUserInfo: 'admin:s3cret' })
      assert.equal(await withOption.register('c', input), 1)
      const anonymous = new SchemaRegistryClient({ url: address })
      await assert.rejects(anonymous.register('c', input), (error: Error) => !error.message.includes('s3cret'))
      const reader = new SchemaRegistryClient({ url: address.replace('http://', 'http://reader:r3ad@') })
      await assert.rejects(reader.register('d', input))
    } finally {
      await app.close()
    }
  })

  test('route access table: unknown routes need admin', () => {
    assert.equal(accessFor('GET', '/health'), 'public')
    assert.equal(accessFor('HEAD', '/ready'), 'public')
    assert.equal(accessFor('POST', '/subjects/:subject'), 'read')
    assert.equal(accessFor('POST', '/subjects/:subject/versions'), 'admin')
    assert.equal(accessFor('GET', undefined), 'admin')
  })

  test('users parse from user:password:role lists and JAAS-style files; bad entries are refused', () => {
    const fromFile = parseBasicAuthUsers('# users\nalice: pw1,admin\nbob: pw2\n')
    assert.deepEqual(fromFile.get('alice'), { password: 'pw1', role: 'admin' })
    assert.deepEqual(fromFile.get('bob'), { password: 'pw2', role: 'readonly' })
    assert.deepEqual(users.get('reader'), { password: 'r3ad', role: 'readonly' })
    assert.throws(() => parseBasicAuthUsers('carol'), /entry 1/)
    assert.throws(() => parseBasicAuthUsers('carol:pw:root'), /admin or readonly/)
  })

  test('config: limits from the environment, strict integers', () => {
    const config = registryConfigFromEnv({ SCHEMA_REGISTRY_MAX_SCHEMA_BYTES: '131072' })
    assert.equal(config.limits.maxSchemaBytes, 131072)
    assert.equal(config.port, 8081)
    assert.throws(() => registryConfigFromEnv({ SCHEMA_REGISTRY_MAX_SCHEMA_BYTES: '1e6' }), /MAX_SCHEMA_BYTES/)
    assert.throws(
      () =>
        registryConfigFromEnv({ SCHEMA_REGISTRY_BASIC_AUTH_USERS: 'a:b', SCHEMA_REGISTRY_BASIC_AUTH_USERS_FILE: 'f' }),
      /not both/,
    )
  })

  test('config: the store is kafka by default, memory on request, nothing else', () => {
    assert.equal(registryConfigFromEnv({}).store, 'kafka')
    assert.equal(registryConfigFromEnv({ ISOBAR_REGISTRY_STORE: 'memory' }).store, 'memory')
    assert.throws(() => registryConfigFromEnv({ ISOBAR_REGISTRY_STORE: 'disk' }), /ISOBAR_REGISTRY_STORE/)
  })
})
