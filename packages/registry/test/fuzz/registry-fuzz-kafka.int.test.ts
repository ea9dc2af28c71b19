import assert from 'node:assert/strict'
import { request as httpRequest } from 'node:http'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { testKafkaClient, uniqueTopicName } from '@isobar/testing'
import { startRegistry } from '../../src/server.ts'
import { fuzzRequest, responseProblems, V1, type FuzzRequest } from './requests.ts'

/** Sends the raw request target as is (no client-side URL normalisation). */
function send(base: URL, r: FuzzRequest): Promise<{ status: number; type: string | undefined; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: base.hostname, port: base.port, method: r.method, path: r.url, headers: r.headers },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: res.headers['content-type'],
            text: Buffer.concat(chunks).toString(),
          }),
        )
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(r.payload)
  })
}

describe('fuzz registry over HTTP on the real Kafka store (fixed seed)', () => {
  test('hostile requests against a registry on Kafka: no 5xx, catalogue errors, rejected requests write nothing', async (t) => {
    if (!process.env.ISOBAR_TEST_BOOTSTRAP) assert.fail('ISOBAR_TEST_BOOTSTRAP is not set: run through `npm test`')
    const client = testKafkaClient()
    const topic = uniqueTopicName('_schemas')
    const leaderTopic = uniqueTopicName('_schemas_leader')
    const running = await startRegistry({
      kafka: client,
      port: 0,
      host: '127.0.0.1',
      topic,
      leaderTopic,
      groupId: uniqueTopicName('registry-leader'),
      electionWaitMs: 60_000,
    })
    t.after(async () => {
      await running.close()
      const admin = client.admin()
      await admin.deleteTopics([topic, leaderTopic]).catch(() => undefined)
      await admin.close()
    })
    const base = new URL(running.url)
    const seed = await send(base, {
      method: 'POST',
      url: '/subjects/s1/versions',
      headers: { 'content-type': V1 },
      payload: JSON.stringify({ schemaType: 'JSON', schema: '{"type":"object"}' }),
    })
    assert.equal(seed.status, 200)
    let writes = 0
    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (r) => {
        const before = running.registry.state.lastOffset
        const response = await send(base, r)
        const problems = responseProblems(response.status, response.type, response.text, r.method)
        const after = running.registry.state.lastOffset
        if (after !== before) writes++
        if (response.status >= 400 && after !== before) problems.push('a rejected request wrote to _schemas')
        assert.deepEqual(problems, [], `${r.method} ${r.url} -> ${response.status}`)
      }),
      { seed: 20_261_205, numRuns: 400, endOnFailure: true },
    )
    assert.ok(writes > 0, 'some fuzzed writes went through to Kafka')
  })
})
