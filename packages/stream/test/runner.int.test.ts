import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, it, type TestContext } from 'node:test'
import { createTestTopic, testBootstrapServers, testKafkaClient, uniqueTopicName } from '@isobar/testing'
import { StreamRunner, type ProcessingGuarantee, type StreamRunnerStats } from '../src/index.ts'
import { batchAggregate, boundedShuffle } from './batch.ts'
import { sensorTopology, WINDOW } from './fixtures/sensor-topology.ts'
import { eventually, flushRecords, readOutputs, rowsToMap, sensorReadings, toProducerRecords } from './kafka-helpers.ts'

const PARTITIONS = 3
/** The crash tests' workers run exactly-once; switching this to 'at-least-once' makes them fail (double counts). */
const GUARANTEE_UNDER_TEST: ProcessingGuarantee = 'exactly-once'

async function setup(t: TestContext, records: number, produceNow = true) {
  const input = await createTestTopic(t, { partitions: PARTITIONS, prefix: 'stream-in' })
  const output = await createTestTopic(t, { partitions: PARTITIONS, prefix: 'stream-out' })
  const changelog = await createTestTopic(t, {
    partitions: PARTITIONS,
    prefix: 'stream-cl',
    configs: { 'cleanup.policy': 'compact' },
  })
  const ordered = sensorReadings(records, 20, records)
  const shuffled = boundedShuffle(ordered, 400, 7)
  const kafka = testKafkaClient()
  // In chunks, `pauseMs` apart, so a worker can be killed while input is still arriving.
  const produce = async (chunks: number, pauseMs: number): Promise<void> => {
    const producer = kafka.producer()
    const all = toProducerRecords(input, shuffled)
    // A poison record in the middle: parse throws on it; it must not stop its partition.
    all.splice(all.length >> 1, 0, { topic: input, key: Buffer.from('sensor-0'), value: Buffer.from('poison') })
    const size = Math.ceil(all.length / chunks)
    for (let i = 0; i < all.length; i += size) {
      await producer.send(all.slice(i, i + size))
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs))
    }
    await producer.send(flushRecords(input, PARTITIONS, ordered.at(-1)!.ts + 100_000))
    await producer.close()
  }
  if (produceNow) await produce(1, 0)
  const expected = batchAggregate(WINDOW, ordered)
  return { kafka, names: { applicationId: uniqueTopicName('stream-app'), input, output, changelog }, expected, produce }
}

describe('StreamRunner against Kafka', () => {
  for (const guarantee of ['at-least-once', 'exactly-once'] as ProcessingGuarantee[]) {
    it(
      `${guarantee}: committed output equals the batch computation; a poison record goes to onPoison`,
      { timeout: 60_000 },
      async (t) => {
        const { kafka, names, expected } = await setup(t, 2_000)
        const runner = new StreamRunner({
          kafka,
          topology: sensorTopology(names),
          guarantee,
          instanceId: 'i1',
          commitIntervalMs: 200,
          onPoison: (record, error) => {
            poisoned.push(`${String(record.value)}: ${(error as Error).name}`)
          },
        })
        const poisoned: string[] = []
        await runner.start()
        try {
          const rows = await readOutputs(kafka, names.output, expected.size, 40_000)
          assert.equal(rows.length, expected.size)
          assert.ok(rows.every((r) => r.final))
          assert.deepEqual(rowsToMap(rows), expected)
          assert.equal(runner.stats().rebuilds, 0)
          assert.deepEqual(poisoned, ['poison: SyntaxError'])
          assert.equal(runner.stats().poison, 1)
        } finally {
          await runner.stop()
        }
        // stop() committed everything consumed: the group's offsets are the ends of the input partitions.
        const admin = kafka.admin()
        try {
          const ends = (await admin.listOffsets(names.input)).map((o): [number, bigint] => [o.partition, o.latest])
          // Transaction markers land shortly after the commit returns: poll, bounded.
          const offsets = await eventually(
            () => admin.groupOffsets(names.applicationId),
            (o) => o.reduce((sum, p) => sum + p.offset, 0n) === ends.reduce((sum, [, end]) => sum + end, 0n),
          )
          assert.deepEqual(new Map(offsets.map((o): [number, bigint] => [o.partition, o.offset])), new Map(ends))
        } finally {
          await admin.close()
        }
      },
    )
  }

  it(
    'exactly-once: a second instance joining mid-stream (rebalance) changes nothing in the committed output',
    { timeout: 60_000 },
    async (t) => {
      const { kafka, names, expected, produce } = await setup(t, 3_000, false)
      const options = {
        kafka,
        topology: sensorTopology(names),
        guarantee: 'exactly-once' as const,
        commitIntervalMs: 100,
      }
      const a = new StreamRunner({ ...options, instanceId: 'a' })
      const b = new StreamRunner({ ...options, instanceId: 'b' })
      await a.start()
      try {
        const producing = produce(30, 150)
        await eventually(
          () => Promise.resolve(a.stats()),
          (s) => s.commits >= 3,
          20_000,
        )
        await b.start()
        await producing
        const rows = await readOutputs(kafka, names.output, expected.size, 40_000)
        assert.equal(rows.length, expected.size)
        assert.deepEqual(rowsToMap(rows), expected)
        assert.ok(b.stats().processed > 0, 'the second instance took over partitions')
        t.diagnostic(`instance a: ${JSON.stringify(a.stats())}; instance b: ${JSON.stringify(b.stats())}`)
      } finally {
        await Promise.all([a.stop(), b.stop()])
      }
      const again = await readOutputs(kafka, names.output, expected.size + 1, 3_000)
      assert.equal(again.length, expected.size, 'no window committed twice')
    },
  )

  const crashes: Array<{ name: string; selfKillAtCommit?: number }> = [
    { name: 'SIGKILLed by the test mid-stream' },
    { name: 'SIGKILLed right before its 5th transaction commits', selfKillAtCommit: 5 },
  ]
  for (const crash of crashes) {
    it(
      `exactly-once: a worker ${crash.name}, then restarted, commits each window once with the batch value`,
      { timeout: 60_000 },
      async (t) => {
        const { kafka, names, expected, produce } = await setup(t, 3_000, false)
        const base = { bootstrap: testBootstrapServers(), instanceId: 'w1', guarantee: GUARANTEE_UNDER_TEST, ...names }
        const script = fileURLToPath(new URL('./fixtures/worker.ts', import.meta.url))
        await produce(1, 0)
        const first = startWorker(script, JSON.stringify({ ...base, crashBeforeCommit: crash.selfKillAtCommit }))
        t.after(() => first.child.kill('SIGKILL'))
        const exited = new Promise<NodeJS.Signals | null>((resolve) =>
          first.child.once('exit', (_code, signal) => resolve(signal)),
        )
        if (crash.selfKillAtCommit === undefined) {
          // Every 100 records is one commit: the kill lands while commits follow each other.
          await first.waitFor((s) => s.commits >= 4, 30_000)
          first.child.kill('SIGKILL')
        }
        assert.equal(await exited, 'SIGKILL')
        // Mid-stream: some input committed, not all (3 000 readings, a poison record, 3 flush records).
        const admin = kafka.admin()
        const offsets = await eventually(
          () => admin.groupOffsets(names.applicationId),
          (o) => o.length > 0,
        ).finally(() => admin.close())
        const committedAtKill = offsets.reduce((sum, o) => sum + o.offset, 0n)
        assert.ok(committedAtKill > 0n && committedAtKill < 3_004n, `killed mid-stream (${committedAtKill} committed)`)

        const restartedAt = Date.now()
        const second = startWorker(script, JSON.stringify(base))
        t.after(() => second.child.kill('SIGKILL'))
        const complete = await readOutputs(kafka, names.output, expected.size, 40_000)
        assert.equal(complete.length, expected.size, 'no window lost')
        const restarted = second.last()
        t.diagnostic(
          `killed with ${committedAtKill} of 3004 input records committed; ` +
            `the restarted worker restored ${restarted?.restoredRecords} changelog records; ` +
            `output complete ${Date.now() - restartedAt} ms after the restart`,
        )
        second.child.kill('SIGTERM')
        await new Promise((resolve) => second.child.once('exit', resolve))
        // Everything committed by now: one more than expected would be a window committed twice.
        const rows = await readOutputs(kafka, names.output, expected.size + 1, 3_000)
        assert.equal(rows.length, expected.size, 'no window committed twice')
        assert.deepEqual(rowsToMap(rows), expected)
        assert.ok((restarted?.restoredRecords ?? 0) > 0, 'the restarted worker restored state from the changelog')
      },
    )
  }
})

function startWorker(script: string, args: string) {
  const child: ChildProcess = spawn(process.execPath, [script, args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let latest: StreamRunnerStats | undefined
  let buffer = ''
  const waiters: Array<{ test: (s: StreamRunnerStats) => boolean; resolve: (s: StreamRunnerStats) => void }> = []
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[worker] ${chunk.toString()}`))
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString()
    const lines = buffer.split('\n')
    buffer = lines.pop()!
    for (const line of lines) {
      latest = JSON.parse(line) as StreamRunnerStats
      for (const w of [...waiters]) {
        if (!w.test(latest)) continue
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve(latest)
      }
    }
  })
  return {
    child,
    last: () => latest,
    waitFor: (test: (s: StreamRunnerStats) => boolean, timeoutMs: number) =>
      new Promise<StreamRunnerStats>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`worker never reached the state (last: ${JSON.stringify(latest)})`)),
          timeoutMs,
        )
        waiters.push({ test, resolve: (s) => (clearTimeout(timer), resolve(s)) })
      }),
  }
}
