import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import type { CompatibilityChecker } from '../../src/compatibility/check-pool.ts'
import { settle } from '../../src/compatibility/check-pool.ts'
import { runCheckTask } from '../../src/compatibility/check-task.ts'
import { DEFAULT_SCHEMA_LIMITS } from '../../src/compatibility/limits.ts'
import { parseBasicAuthUsers } from '../../src/http/auth.ts'
import { instance, jsonSchema } from '../helpers.ts'
import { fuzzRequest, responseProblems, type FuzzRequest } from './requests.ts'

const SEED = 20_261_204

/** Runs checks inline and remembers the most work any one check did (bounded cost, counted not timed). */
function countingChecker(): CompatibilityChecker & { maxWork: number; checks: number } {
  const checker = {
    maxWork: 0,
    checks: 0,
    check(task: Parameters<CompatibilityChecker['check']>[0]) {
      const outcome = runCheckTask(task)
      checker.checks++
      checker.maxWork = Math.max(checker.maxWork, outcome.work)
      try {
        return Promise.resolve(settle(outcome))
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)))
      }
    },
    close: () => Promise.resolve(),
  }
  return checker
}

async function seeded(options: Parameters<typeof instance>[0] = {}) {
  const checker = countingChecker()
  const inst = await instance(options, { checker })
  await inst.registry.register('s1', jsonSchema({ type: 'object', properties: { a: { type: 'string' } } }))
  await inst.registry.register('s2', jsonSchema({ type: 'string' }))
  return { ...inst, checker }
}

describe('fuzz registry HTTP (in-memory store, fixed seed)', () => {
  test('thousands of hostile requests: no 5xx, catalogue errors, rejected requests change nothing', async () => {
    const { app, log, checker } = await seeded()
    const seen = new Map<number, number>()
    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (request: FuzzRequest) => {
        const before = log.records.length
        const response = await app.inject({
          method: request.method as 'GET',
          url: request.url,
          headers: request.headers,
          ...(request.payload === undefined ? {} : { payload: request.payload }),
        })
        seen.set(response.statusCode, (seen.get(response.statusCode) ?? 0) + 1)
        const problems = responseProblems(
          response.statusCode,
          response.headers['content-type'],
          response.body,
          request.method,
        )
        if (response.statusCode >= 400 && log.records.length !== before) {
          problems.push(`a rejected request wrote ${log.records.length - before} records`)
        }
        assert.deepEqual(problems, [], `${request.method} ${request.url} -> ${response.statusCode}`)
      }),
      { seed: SEED, numRuns: 4000, endOnFailure: true },
    )
    // The run reached the interesting answers, and every compatibility check stayed inside its budget.
    for (const status of [200, 404, 405, 422]) assert.ok((seen.get(status) ?? 0) > 0, `saw status ${status}`)
    assert.ok(checker.checks > 0, 'compatibility checks ran')
    assert.ok(checker.maxWork <= DEFAULT_SCHEMA_LIMITS.maxWork + 1, `max work ${checker.maxWork}`)
  })

  test('with basic auth on, no request without admin credentials changes anything', async () => {
    const users = parseBasicAuthUsers('admin:a:admin,reader:r:readonly')
    const { app, log } = await seeded({ basicAuth: { users } })
    const credentials = fc.constantFrom(
      undefined,
      `Basic ${Buffer.from('reader:r').toString('base64')}`,
      `Basic ${Buffer.from('admin:wrong').toString('base64')}`,
      'Basic !!!',
      'Bearer a',
    )
    const before = log.records.length
    await fc.assert(
      fc.asyncProperty(fuzzRequest, credentials, async (request, authorization) => {
        const response = await app.inject({
          method: request.method as 'GET',
          url: request.url,
          headers: { ...request.headers, ...(authorization ? { authorization } : {}) },
          ...(request.payload === undefined ? {} : { payload: request.payload }),
        })
        const problems = responseProblems(
          response.statusCode,
          response.headers['content-type'],
          response.body,
          request.method,
        )
        if (log.records.length !== before) problems.push('state changed without admin credentials')
        assert.deepEqual(problems, [], `${request.method} ${request.url} (${authorization}) -> ${response.statusCode}`)
      }),
      { seed: SEED + 1, numRuns: 1500, endOnFailure: true },
    )
  })
})
