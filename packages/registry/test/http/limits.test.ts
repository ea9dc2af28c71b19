import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { CheckPool } from '../../src/compatibility/check-pool.ts'
import { runCheckTask } from '../../src/compatibility/check-task.ts'
import { DEFAULT_SCHEMA_LIMITS } from '../../src/compatibility/limits.ts'
import { instance, jsonSchema, type Json } from '../helpers.ts'

/** Nested anyOf through $ref: each level is a union of the level below and an array of it. */
function nestedUnion(depth: number, leaf: string): Record<string, unknown> {
  const definitions: Record<string, unknown> = { d0: { type: leaf } }
  for (let i = 1; i <= depth; i++) {
    const below = { $ref: `#/definitions/d${i - 1}` }
    definitions[`d${i}`] = {
      anyOf: [below, { type: 'array', items: below }, { type: 'object', properties: { a: below, b: below } }],
    }
  }
  return { definitions, $ref: `#/definitions/d${depth}` }
}

const flatUnion = (n: number, prefix: string) => ({
  anyOf: Array.from({ length: n }, (_, i) => ({
    type: 'object',
    properties: { [`${prefix}${i}`]: { type: 'string' } },
    required: [`${prefix}${i}`],
  })),
})

const isError = (body: Json, code: number) =>
  typeof body === 'object' && body !== null && body.error_code === code && typeof body.message === 'string'

describe('unit registry limits: bounded cost per request', () => {
  test('nested anyOf through $ref (depth 8, 12, 30) is checked in bounded work, not exponential time', () => {
    // Before the fix the work grew ~9x per level (depth 8: ~24 s). Count work units, never time.
    const works: number[] = []
    for (const depth of [8, 12, 30]) {
      const outcome = runCheckTask({
        level: 'BACKWARD',
        candidate: { schemaType: 'JSON', text: '', parsed: nestedUnion(depth, 'integer'), references: new Map() },
        previous: [{ schemaType: 'JSON', text: '', parsed: nestedUnion(depth, 'string'), references: new Map() }],
        policy: 'STRICT',
        limits: { maxWork: DEFAULT_SCHEMA_LIMITS.maxWork, maxDepth: DEFAULT_SCHEMA_LIMITS.maxDepth },
      })
      assert.ok('ok' in outcome, `depth ${depth}: ${JSON.stringify(outcome)}`)
      assert.equal(outcome.ok.compatible, false)
      works.push(outcome.work)
    }
    // Polynomial in depth (distinct schema pairs), far from the ~9x per level it was: 4 more levels cost < 20x
    // (9^4 = 6561x before), and 30 levels stay well inside the default budget.
    assert.ok(works[1]! < works[0]! * 20, `work by depth: ${works.join(', ')}`)
    assert.ok(works[2]! < DEFAULT_SCHEMA_LIMITS.maxWork / 4, `work by depth: ${works.join(', ')}`)
  })

  test('patterns are matched in linear time: a backtracking pattern against a long name cannot stall a check', async () => {
    const { call } = await instance()
    await call('PUT', '/config/p', { compatibility: 'NONE' })
    // ^(a+)+$ against 'aaaa…!' takes exponential time in a backtracking engine (~2^n steps for n letters).
    const evil = { type: 'object', patternProperties: { '^(a+)+$': { type: 'string' } }, additionalProperties: false }
    assert.equal((await call('POST', '/subjects/p/versions', jsonSchema(evil))).status, 200)
    await call('PUT', '/config/p', { compatibility: 'BACKWARD' })
    const name = `${'a'.repeat(5_000)}!`
    const candidate = { ...evil, properties: { [name]: { type: 'string' } } }
    const check = await call('POST', '/compatibility/subjects/p/versions/latest', jsonSchema(candidate))
    assert.equal(check.status, 200, JSON.stringify(check.body))
    // Lookaround cannot be matched in linear time: refused when registered, naming the pattern.
    const lookahead = await call('POST', '/subjects/q/versions', jsonSchema({ type: 'string', pattern: '^(?=a)a+$' }))
    assert.equal(lookahead.status, 422)
    assert.ok(isError(lookahead.body, 42201), JSON.stringify(lookahead.body))
    assert.match(lookahead.body.message, /\^\(\?=a\)a\+\$.*not supported.*lookaround/)
  })

  test('a check beyond its work budget is a 422/42201 naming the limit', async () => {
    const { call } = await instance({}, { limits: { maxWork: 5_000 } })
    await call('PUT', '/config/u', { compatibility: 'NONE' })
    assert.equal((await call('POST', '/subjects/u/versions', jsonSchema(flatUnion(200, 'a')))).status, 200)
    await call('PUT', '/config/u', { compatibility: 'BACKWARD' })
    const check = await call('POST', '/compatibility/subjects/u/versions/latest', jsonSchema(flatUnion(200, 'b')))
    assert.equal(check.status, 422)
    assert.ok(isError(check.body, 42201), JSON.stringify(check.body))
    assert.match(check.body.message, /SCHEMA_REGISTRY_MAX_COMPATIBILITY_WORK/)
    // Registration under BACKWARD runs the same bounded check and writes nothing.
    const before = (await call('GET', '/subjects/u/versions')).body
    const register = await call('POST', '/subjects/u/versions', jsonSchema(flatUnion(200, 'b')))
    assert.equal(register.status, 422)
    assert.deepEqual((await call('GET', '/subjects/u/versions')).body, before)
  })

  test('2,000 flat anyOf branches, a 1 MB schema and a 100-level schema are refused with 422, not 500', async () => {
    const { call } = await instance()
    const wide = await call('POST', '/subjects/w/versions', jsonSchema(flatUnion(2000, 'a')))
    assert.equal(wide.status, 422)
    assert.ok(isError(wide.body, 42201))
    assert.match(wide.body.message, /2000 subschemas.*SCHEMA_REGISTRY_MAX_SCHEMA_BRANCHES/)

    const big = await call(
      'POST',
      '/subjects/b/versions',
      jsonSchema({ type: 'object', description: 'x'.repeat(900_000) }),
    )
    assert.equal(big.status, 422)
    assert.ok(isError(big.body, 42209), JSON.stringify(big.body).slice(0, 200))
    assert.match(big.body.message, /SCHEMA_REGISTRY_MAX_SCHEMA_BYTES/)

    let deep: Record<string, unknown> = { type: 'string' }
    for (let i = 0; i < 100; i++) deep = { type: 'object', properties: { a: deep } }
    const nested = await call('POST', '/subjects/d/versions', jsonSchema(deep))
    assert.equal(nested.status, 422)
    assert.ok(isError(nested.body, 42201))
    assert.match(nested.body.message, /SCHEMA_REGISTRY_MAX_SCHEMA_DEPTH/)
    assert.deepEqual((await call('GET', '/subjects')).body, [])
  })

  test('a body larger than the body limit is 413 in the catalogue format', async () => {
    const { call } = await instance({ bodyLimit: 64 * 1024 })
    const r = await call('POST', '/subjects/b/versions', jsonSchema({ description: 'x'.repeat(100_000) }))
    assert.equal(r.status, 413)
    assert.ok(isError(r.body, 413))
  })

  test('a flat schema with 5,000 properties registers and is checked (no stack overflow)', async () => {
    const { call } = await instance()
    const props = (n: number) => ({
      type: 'object',
      properties: Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, { type: 'string' }])),
      additionalProperties: false,
    })
    const first = await call('POST', '/subjects/flat/versions', jsonSchema(props(5000)))
    assert.equal(first.status, 200, JSON.stringify(first.body).slice(0, 200))
    const second = await call('POST', '/subjects/flat/versions', jsonSchema(props(5001)))
    assert.equal(second.status, 200, JSON.stringify(second.body).slice(0, 200))
    assert.equal(second.body.version, 2)
  })

  test('a body nested 100,000 levels deep is a 422, not a stack overflow', async () => {
    const { app } = await instance()
    const response = await app.inject({
      method: 'POST',
      url: '/subjects/x/versions',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      payload: `{"schema":"{}","references":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    })
    assert.equal(response.statusCode, 422)
    assert.ok(isError(JSON.parse(response.body), 422))
  })

  test('while a costly check runs in the worker, GET /subjects is answered', async () => {
    // A big budget so the check keeps the worker busy; the event loop stays free for other requests.
    // Its own pool: `running` counts this test's check alone.
    const { call, registry } = await instance(
      {},
      { checker: new CheckPool(), limits: { maxWork: 1_000_000, maxBranches: 2000 } },
    )
    await call('PUT', '/config/u', { compatibility: 'NONE' })
    await call('POST', '/subjects/u/versions', jsonSchema(flatUnion(1500, 'a')))
    await call('PUT', '/config/u', { compatibility: 'BACKWARD' })
    const pool = registry.checker as CheckPool
    let checkDone = false
    const costly = call('POST', '/compatibility/subjects/u/versions/latest', jsonSchema(flatUnion(1500, 'b'))).then(
      (r) => {
        checkDone = true
        return r
      },
    )
    for (let i = 0; i < 2000 && pool.running === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5))
    assert.equal(pool.running, 1, 'the check is running in the worker')
    const subjects = await call('GET', '/subjects')
    assert.deepEqual(subjects.body, ['u'])
    assert.equal(checkDone, false, 'GET /subjects was answered while the check was still running')
    const result = await costly
    assert.equal(result.status, 422, 'the check ran into its work budget')
    await pool.close()
  })

  test('a full check queue is refused with 429 at once', async () => {
    const pool = new CheckPool({ size: 1, maxQueue: 0 })
    const { call } = await instance({}, { checker: pool, limits: { maxWork: 1_000_000, maxBranches: 2000 } })
    await call('PUT', '/config/u', { compatibility: 'NONE' })
    await call('POST', '/subjects/u/versions', jsonSchema(flatUnion(1500, 'a')))
    await call('PUT', '/config/u', { compatibility: 'BACKWARD' })
    const first = call('POST', '/compatibility/subjects/u/versions/latest', jsonSchema(flatUnion(1500, 'b')))
    for (let i = 0; i < 2000 && pool.running === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5))
    const second = await call('POST', '/compatibility/subjects/u/versions/latest', jsonSchema(flatUnion(3, 'c')))
    assert.equal(second.status, 429)
    assert.ok(isError(second.body, 42901))
    assert.equal(pool.counters.refused, 1)
    await first
    await pool.close()
  })
})
