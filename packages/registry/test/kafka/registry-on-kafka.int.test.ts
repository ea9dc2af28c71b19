import assert from 'node:assert/strict'
import { describe, test, type TestContext } from 'node:test'
import type { KafkaClient } from '@isobar/core'
import { testKafkaClient, uniqueTopicName } from '@isobar/testing'
import { startRegistry, type RunningRegistry } from '../../src/server.ts'
import type { Json } from '../helpers.ts'

const V1 = 'application/vnd.schemaregistry.v1+json'

function requireBroker(): void {
  if (!process.env.ISOBAR_TEST_BOOTSTRAP) {
    assert.fail('ISOBAR_TEST_BOOTSTRAP is not set: run the registry integration tests through `npm test`')
  }
}

async function http(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const response = await fetch(new URL(path, base), {
    method,
    headers: { 'content-type': V1, accept: V1 },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return { status: response.status, body: await response.json() }
}

interface Cluster {
  client: KafkaClient
  start: () => Promise<RunningRegistry>
}

function cluster(t: TestContext): Cluster {
  const client = testKafkaClient()
  const topic = uniqueTopicName('_schemas')
  const leaderTopic = uniqueTopicName('_schemas_leader')
  const groupId = uniqueTopicName('registry-leader')
  const running: RunningRegistry[] = []
  t.after(async () => {
    await Promise.allSettled(running.map((r) => r.close()))
    const admin = client.admin()
    await admin.deleteTopics([topic, leaderTopic]).catch(() => undefined)
    await admin.close()
  })
  return {
    client,
    start: async () => {
      const r = await startRegistry({
        kafka: client,
        port: 0,
        host: '127.0.0.1',
        topic,
        leaderTopic,
        groupId,
        electionWaitMs: 60_000,
      })
      running.push(r)
      return r
    },
  }
}

const schema = (n: number) => ({
  schemaType: 'JSON',
  schema: JSON.stringify({ type: 'object', properties: { [`f${n}`]: { type: 'integer' } } }),
})

describe('integration registry on Kafka', () => {
  test('two instances on one cluster: one leader, no id clash, same answers; a restart serves the same ids', async (t) => {
    requireBroker()
    const c = cluster(t)
    const a = await c.start()
    const b = await c.start()
    assert.equal([a, b].filter((r) => r.election.isLeader()).length, 1, 'exactly one leader')
    assert.equal(a.election.leaderUrl(), b.election.leaderUrl())
    await http(a.url, 'PUT', '/config', { compatibility: 'NONE' })

    const results = await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        http((n % 2 ? a : b).url, 'POST', `/subjects/s${n % 3}/versions`, schema(n)),
      ),
    )
    assert.ok(
      results.every((r) => r.status === 200),
      JSON.stringify(results),
    )
    const ids = results.map((r) => r.body.id as number)
    assert.equal(new Set(ids).size, ids.length, `ids ${ids.join(',')}`)

    for (const r of results) {
      for (const node of [a, b]) {
        const got = await http(node.url, 'GET', `/schemas/ids/${r.body.id}`)
        assert.equal(got.body.schema, r.body.schema)
      }
    }
    const subjectsA = await http(a.url, 'GET', '/subjects')
    assert.deepEqual((await http(b.url, 'GET', '/subjects')).body, subjectsA.body)

    await b.close()
    await a.close()
    const restarted = await c.start()
    for (const r of results) {
      const got = await http(restarted.url, 'GET', `/subjects/${r.body.subject}/versions/${r.body.version}`)
      assert.deepEqual([got.body.id, got.body.schema], [r.body.id, r.body.schema])
    }
    const next = await http(restarted.url, 'POST', '/subjects/new/versions', schema(99))
    assert.equal(next.body.id, Math.max(...ids) + 1)
  })
})
