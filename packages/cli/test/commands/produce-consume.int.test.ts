import assert from 'node:assert/strict'
import { test } from 'node:test'
import { runKafkaTool } from '@isobar/kafka-local'
import { createTestTopic, runIsobar, testBootstrapServers, testKafkaLibDir } from '@isobar/testing'

const COUNT = 1000
const lines = (prefix: string): string[] => Array.from({ length: COUNT }, (_, i) => `key-${i % 37}:${prefix}-${i}`)

test('1,000 records produced by isobar are read back by Kafka’s console consumer', async (t) => {
  const topic = await createTestTopic(t, { partitions: 3, prefix: 'cli-to-java' })
  const produced = await runIsobar(['produce', topic, '--key-separator', ':', '--header', 'source=isobar', '--json'], {
    input: `${lines('v').join('\n')}\n`,
  })
  assert.equal(produced.exitCode, 0, produced.stderr)
  assert.deepEqual(JSON.parse(produced.stdout), {
    topic,
    records: COUNT,
    acknowledged: COUNT,
    failed: 0,
    seconds: JSON.parse(produced.stdout).seconds,
    errors: [],
  })

  const consumed = await runKafkaTool(
    'kafka-console-consumer',
    [
      '--bootstrap-server',
      testBootstrapServers(),
      '--topic',
      topic,
      '--from-beginning',
      '--max-messages',
      String(COUNT),
      '--timeout-ms',
      '30000',
      '--property',
      'print.key=true',
      '--property',
      'key.separator=:',
      '--property',
      'print.headers=true',
    ],
    { libDir: testKafkaLibDir(), timeoutMs: 90_000 },
  )
  assert.equal(consumed.exitCode, 0, consumed.stderr)
  // The tool may print notices on stdout; records are the lines that carry our header.
  const got = consumed.stdout
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('source:'))
  assert.equal(got.length, COUNT, consumed.stdout.slice(0, 300))
  // print.headers puts "source:isobar" first, then key:value.
  assert.ok(
    got.every((line) => line.startsWith('source:isobar')),
    got[0],
  )
  const pairs = got.map((line) => line.replace(/^source:isobar[:\t]/, '')).sort()
  assert.deepEqual(pairs, lines('v').sort())
})

test('1,000 records produced by Kafka’s console producer are read by isobar consume --json', async (t) => {
  const topic = await createTestTopic(t, { partitions: 2, prefix: 'java-to-cli' })
  const produced = await runKafkaTool(
    'kafka-console-producer',
    [
      '--bootstrap-server',
      testBootstrapServers(),
      '--topic',
      topic,
      '--property',
      'parse.key=true',
      '--property',
      'key.separator=:',
    ],
    { libDir: testKafkaLibDir(), input: `${lines('j').join('\n')}\n`, timeoutMs: 90_000 },
  )
  assert.equal(produced.exitCode, 0, produced.stderr)

  const consumed = await runIsobar(['consume', topic, '--from-beginning', '--max-messages', String(COUNT), '--json'])
  assert.equal(consumed.exitCode, 0, consumed.stderr)
  const records = consumed.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { key: string; value: string; partition: number; offset: string })
  assert.equal(records.length, COUNT)
  assert.deepEqual(records.map((r) => `${r.key}:${r.value}`).sort(), lines('j').sort())
  assert.ok(records.every((r) => r.partition === 0 || r.partition === 1))
})

test('the same keys land on the same partitions as with Kafka’s console producer', async (t) => {
  const javaTopic = await createTestTopic(t, { partitions: 12, prefix: 'part-java' })
  const ourTopic = await createTestTopic(t, { partitions: 12, prefix: 'part-isobar' })
  const input = `${Array.from({ length: 200 }, (_, i) => `station-${i}:x`).join('\n')}\n`
  const java = await runKafkaTool(
    'kafka-console-producer',
    [
      '--bootstrap-server',
      testBootstrapServers(),
      '--topic',
      javaTopic,
      '--property',
      'parse.key=true',
      '--property',
      'key.separator=:',
    ],
    { libDir: testKafkaLibDir(), input, timeoutMs: 90_000 },
  )
  assert.equal(java.exitCode, 0, java.stderr)
  assert.equal((await runIsobar(['produce', ourTopic, '--key-separator', ':'], { input })).exitCode, 0)

  const partitionsOf = async (topic: string): Promise<Map<string, number>> => {
    const out = await runIsobar(['consume', topic, '--from-beginning', '--max-messages', '200', '--json'])
    assert.equal(out.exitCode, 0, out.stderr)
    return new Map(
      out.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { key: string; partition: number })
        .map((r) => [r.key, r.partition]),
    )
  }
  const [javaMap, ourMap] = await Promise.all([partitionsOf(javaTopic), partitionsOf(ourTopic)])
  assert.equal(javaMap.size, 200)
  assert.deepEqual([...ourMap.entries()].sort(), [...javaMap.entries()].sort())
  assert.ok(new Set(javaMap.values()).size > 6, 'keys spread over many partitions')
})

test('consume in a group commits what it printed, so the next run continues after it', async (t) => {
  const topic = await createTestTopic(t, { prefix: 'cli-group' })
  const input = `${Array.from({ length: 10 }, (_, i) => `m${i}`).join('\n')}\n`
  assert.equal((await runIsobar(['produce', topic], { input })).exitCode, 0)
  const group = `g-${topic}`
  const first = await runIsobar([
    'consume',
    topic,
    '--group',
    group,
    '--from-beginning',
    '--max-messages',
    '4',
    '--json',
  ])
  const second = await runIsobar([
    'consume',
    topic,
    '--group',
    group,
    '--from-beginning',
    '--max-messages',
    '6',
    '--json',
  ])
  const values = (out: string): string[] =>
    out
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { value: string }).value)
  assert.deepEqual(values(first.stdout), ['m0', 'm1', 'm2', 'm3'])
  assert.deepEqual(values(second.stdout), ['m4', 'm5', 'm6', 'm7', 'm8', 'm9'])
})
