import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it, type TestContext } from 'node:test'
import { DLQ_HEADERS, DeadLetterRouter, createMetricsRegistry, type ConsumedRecord } from '@isobar/core'
import { createTestTopic, testKafkaClient, uniqueTopicName } from '@isobar/testing'
import { StreamRunner, type ProcessingGuarantee } from '../src/index.ts'
import { batchAggregate } from './batch.ts'
import { sensorTopology, WINDOW } from './fixtures/sensor-topology.ts'
import { eventually, flushRecords, readOutputs, rowsToMap, sensorReadings, toProducerRecords } from './kafka-helpers.ts'

const LIMIT = 65_536

/** Input and dead-letter topics with a small max.message.bytes; a poison value close to it sits in the input. */
async function setup(t: TestContext) {
  const small = { 'max.message.bytes': String(LIMIT) }
  const input = await createTestTopic(t, { partitions: 2, prefix: 'dl-in', configs: small })
  const output = await createTestTopic(t, { partitions: 2, prefix: 'dl-out' })
  const changelog = await createTestTopic(t, {
    partitions: 2,
    prefix: 'dl-cl',
    configs: { 'cleanup.policy': 'compact' },
  })
  const dlq = await createTestTopic(t, { partitions: 1, prefix: 'dl-dlq', configs: small })
  const kafka = testKafkaClient()
  const ordered = sensorReadings(600, 10, 11)
  const records = toProducerRecords(input, ordered)
  const poison = Buffer.alloc(LIMIT - 300, 0x7b) // '{{{…': not JSON, and with its headers too big for the DLQ
  records.splice(300, 0, {
    topic: input,
    key: Buffer.from('sensor-1'),
    value: poison,
    headers: { h: Buffer.from('1') },
  })
  const producer = kafka.producer()
  // The poison record alone: with others in one batch it would exceed the input topic's limit.
  for (const chunk of [records.slice(0, 300), records.slice(300, 301), records.slice(301)]) await producer.send(chunk)
  await producer.send(flushRecords(input, 2, ordered.at(-1)!.ts + 100_000))
  await producer.close()
  const names = { applicationId: uniqueTopicName('dl-app'), input, output, changelog }
  return { kafka, names, dlq, poison, expected: batchAggregate(WINDOW, ordered) }
}

async function readDeadLetters(t: TestContext, topic: string, atLeast: number): Promise<ConsumedRecord[]> {
  const kafka = testKafkaClient()
  return eventually(
    async () => {
      const out: ConsumedRecord[] = []
      await kafka.readCommitted({ topic, partition: 0, timeoutMs: 10_000, onRecords: (r) => out.push(...r) })
      return out
    },
    (r) => r.length >= atLeast,
    20_000,
  ).finally(() => t.diagnostic(`read ${topic}`))
}

describe('StreamRunner dead letters (issue #10 point 3)', () => {
  for (const [guarantee, knowsLimit] of [
    ['exactly-once', true],
    ['exactly-once', false],
    ['at-least-once', false],
  ] as Array<[ProcessingGuarantee, boolean]>) {
    const what = knowsLimit
      ? 'a poison value too big for the DLQ goes as a truncated copy with its size and hash; the stage goes on'
      : 'the DLQ limit unknown: the failed commit is retried with a reference; one dead letter, the stage goes on'
    it(`${guarantee}: ${what}`, { timeout: 90_000 }, async (t) => {
      const { kafka, names, dlq, poison, expected } = await setup(t)
      const router = new DeadLetterRouter({
        producer: kafka.producer(),
        metrics: createMetricsRegistry('dl-test', { runtimeMetrics: false }),
        deadLetterTopic: () => dlq,
        ...(knowsLimit ? { maxRecordBytes: LIMIT } : {}),
      })
      const runner = new StreamRunner({
        kafka,
        topology: sensorTopology(names),
        guarantee,
        instanceId: 'i1',
        commitIntervalMs: 200,
        deadLetter: (record, error, attempt) => router.deadLetter(record, error, attempt),
        // Right after a failure is reported the runner counts it (synchronously): read its health then.
        onError: () => queueMicrotask(() => failing.push(runner.health())),
      })
      const failing: Array<ReturnType<typeof runner.health>> = []
      await runner.start()
      try {
        const rows = await readOutputs(kafka, names.output, expected.size, 60_000)
        assert.deepEqual(rowsToMap(rows), expected, 'every valid record aggregated')
        // The dead letter is committed with the stage's next commit (after the outputs, at-least-once).
        const health = await eventually(
          () => Promise.resolve({ ...runner.health(), deadLetters: runner.stats().deadLetters }),
          (h) => h.deadLetters === 1 && h.ready && h.consecutiveFailures === 0,
          30_000,
        )
        assert.equal(health.deadLetters, 1)
        assert.equal(health.consecutiveFailures, 0)
        assert.equal(runner.stats().poison >= 1, true)
        if (knowsLimit) assert.equal(runner.stats().rebuilds, 0, 'nothing failed')
        else {
          assert.ok(runner.stats().rebuilds >= 1, 'the first attempt failed (record too large)')
          // While failing, the runner said so, with the reason and the poison record's position.
          const first = failing[0]!
          assert.equal(first.ready, false)
          assert.ok(first.consecutiveFailures >= 1)
          assert.match(first.lastError ?? '', /larger than|too large/i)
          assert.equal(first.failingAt?.[0]?.topic, names.input)
        }
      } finally {
        await runner.stop()
      }
      const dead = await readDeadLetters(t, dlq, 1)
      assert.equal(dead.length, 1, 'exactly one dead letter, whatever failed before')
      const header = (name: keyof typeof DLQ_HEADERS) => dead[0]!.headers[DLQ_HEADERS[name]]?.toString()
      assert.equal(header('truncated'), knowsLimit ? 'value' : 'reference')
      assert.equal(header('originalSize'), String(poison.length))
      assert.equal(header('originalSha256'), createHash('sha256').update(poison).digest('hex'))
      assert.equal(header('originalTopic'), names.input)
      assert.match(header('originalOffset') ?? '', /^\d+$/)
      assert.match(header('errorMessage') ?? '', /JSON/)
      if (knowsLimit) assert.deepEqual(dead[0]!.value, poison.subarray(0, dead[0]!.value!.length))
      else assert.equal(dead[0]!.value, null)
    })
  }
})
