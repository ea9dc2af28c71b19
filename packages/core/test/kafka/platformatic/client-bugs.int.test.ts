/**
 * Known @platformatic/kafka 2.12.1 bugs that core works around, checked against the raw client. Each test passes
 * while the bug is there; when one fails, the client fixed it and the workaround it names can go.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { Producer } from '@platformatic/kafka'
import { createTestTopic, testBootstrapServers } from '@isobar/testing'

const base = () => ({
  clientId: 'client-bugs',
  bootstrapBrokers: testBootstrapServers().split(','),
  retries: 1,
  autocreateTopics: false,
})

test(
  'known client bug: a restarted transactional id is fenced unless producerId -1 / epoch -1 is passed',
  { timeout: 60_000 },
  async (t) => {
    // Workaround: core/src/kafka/platformatic/transaction.ts passes producerId -1n / producerEpoch -1.
    // Repro: packages/stream/test/repro/txn-reinit-repro.ts.
    const topic = await createTestTopic(t, { prefix: 'bug-reinit' })
    const transactionalId = `bug-reinit-${randomUUID()}`
    const first = new Producer({ ...base(), idempotent: true, transactionalId })
    const second = new Producer({ ...base(), idempotent: true, transactionalId })
    t.after(async () => {
      await first.close(true).catch(() => undefined)
      await second.close(true).catch(() => undefined)
    })
    const open = await first.beginTransaction()
    await open.send({ messages: [{ topic, value: Buffer.from('left open') }] })
    await assert.rejects(second.beginTransaction(), (error: Error & { errors?: Error[] }) => {
      const text = [error.message, ...(error.errors ?? []).map((e) => e.message)].join('; ')
      assert.match(text, /PRODUCER_FENCED|fence/i)
      return true
    })
  },
)

test(
  'known client bug: the client picks AddPartitionsToTxn above v3 (a broker-only API under ACLs)',
  { timeout: 60_000 },
  async (t) => {
    // Workaround: core/src/kafka/platformatic/client-api-caps.ts caps it at v3, as the Java client does.
    const topic = await createTestTopic(t, { prefix: 'bug-apt' })
    const producer = new Producer({ ...base(), idempotent: true, transactionalId: `bug-apt-${randomUUID()}` })
    t.after(() => producer.close(true).catch(() => undefined))
    // Any request makes the client learn the broker's API versions; then ask it which version it would use.
    const transaction = await producer.beginTransaction()
    await transaction.send({ messages: [{ topic, value: Buffer.from('x') }] })
    await transaction.abort()
    const version = await new Promise<number>((resolve, reject) => {
      const getApi = apiPicker(producer)
      getApi.call(producer, 'AddPartitionsToTxn', (error, api) => (error ? reject(error) : resolve(api!.version)))
    })
    assert.ok(version > 3, `the client picked v${version}: it caps the version itself, the workaround can go`)
  },
)

type GetApi = (this: unknown, name: string, callback: (error: Error | null, api?: { version: number }) => void) => void

/** The client's internal API-version picker (the same symbol client-api-caps.ts finds). */
function apiPicker(producer: object): GetApi {
  for (let proto: object | null = producer; proto !== null; proto = Object.getPrototypeOf(proto) as object | null) {
    const found = Object.getOwnPropertySymbols(proto).find((s) => s.description === 'plt.kafka.base.getApi')
    if (found !== undefined) return (proto as Record<symbol, GetApi>)[found]!
  }
  throw new Error('the client has no plt.kafka.base.getApi any more: check client-api-caps.ts')
}
