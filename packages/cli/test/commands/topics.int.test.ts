import assert from 'node:assert/strict'
import { test } from 'node:test'
import { runKafkaTool } from '@isobar/kafka-local'
import { runIsobar, testBootstrapServers, testKafkaLibDir, uniqueTopicName } from '@isobar/testing'

test('a topic created by isobar is seen, with its partitions and configs, by Kafka’s own kafka-topics', async (t) => {
  const topic = uniqueTopicName('cli-topics')
  t.after(() => runIsobar(['topics', 'delete', topic]))
  const created = await runIsobar([
    'topics',
    'create',
    topic,
    '--partitions',
    '3',
    '--config',
    'retention.ms=3600000',
    '--json',
  ])
  assert.equal(created.exitCode, 0, created.stderr)
  assert.deepEqual(JSON.parse(created.stdout).created, topic)

  const described = await runKafkaTool(
    'kafka-topics',
    ['--bootstrap-server', testBootstrapServers(), '--describe', '--topic', topic],
    {
      libDir: testKafkaLibDir(),
      timeoutMs: 60_000,
    },
  )
  assert.equal(described.exitCode, 0, described.stderr)
  assert.match(
    described.stdout,
    new RegExp(`Topic: ${topic}\\s+TopicId: \\S+\\s+PartitionCount: 3\\s+ReplicationFactor: 1`),
  )
  assert.match(described.stdout, /retention\.ms=3600000/)

  const listed = await runIsobar(['topics', 'list', '--json'])
  assert.ok((JSON.parse(listed.stdout) as string[]).includes(topic))

  const altered = await runIsobar([
    'topics',
    'alter-config',
    topic,
    '--config',
    'retention.ms=7200000',
    '--partitions',
    '4',
    '--json',
  ])
  assert.equal(altered.exitCode, 0, altered.stderr)
  assert.equal(JSON.parse(altered.stdout).configs['retention.ms'], '7200000')
  const after = JSON.parse((await runIsobar(['topics', 'describe', topic, '--json'])).stdout) as Array<{
    partitions: unknown[]
  }>
  assert.equal(after[0]?.partitions.length, 4)

  const deleted = await runIsobar(['topics', 'delete', topic])
  assert.equal(deleted.exitCode, 0, deleted.stderr)
})

test('an unknown topic, a duplicate and bad arguments give one-line errors and non-zero exits', async () => {
  const missing = await runIsobar(['topics', 'describe', 'no-such-topic-xyz'])
  assert.equal(missing.exitCode, 1)
  assert.match(missing.stderr, /^isobar: Topic "no-such-topic-xyz" does not exist\n$/)

  const badNumber = await runIsobar(['topics', 'create', 'x', '--partitions', 'many'])
  assert.equal(badNumber.exitCode, 2)
  assert.match(badNumber.stderr, /--partitions must be an integer >= 1, got "many"/)

  const unknownOption = await runIsobar(['topics', 'list', '--colour'])
  assert.equal(unknownOption.exitCode, 2)
  assert.equal(
    unknownOption.stderr,
    "isobar topics list: unknown option '--colour' (see `isobar topics list --help`)\n",
  )

  const topic = uniqueTopicName('cli-dup')
  assert.equal((await runIsobar(['topics', 'create', topic])).exitCode, 0)
  const duplicate = await runIsobar(['topics', 'create', topic])
  assert.equal(duplicate.exitCode, 1)
  assert.match(duplicate.stderr, /already exists/)
  assert.equal((await runIsobar(['topics', 'create', topic, '--if-not-exists'])).exitCode, 0)
  await runIsobar(['topics', 'delete', topic])
})

test('an unreachable broker is reported with its address and how to start one', async () => {
  const result = await runIsobar(['topics', 'list'], {
    env: { KAFKA_BOOTSTRAP_SERVERS: '127.0.0.1:1' },
    timeoutMs: 30_000,
  })
  assert.equal(result.exitCode, 1)
  assert.match(
    result.stderr,
    /Kafka is not reachable at 127\.0\.0\.1:1\. Start a local one with `npx isobar kafka start`/,
  )
})

test('every command answers --help with exit 0', async () => {
  for (const args of [
    ['--help'],
    ['topics', '--help'],
    ['topics', 'create', '--help'],
    ['produce', '--help'],
    ['consume', '--help'],
    ['kafka', 'start', '--help'],
    ['kafka', 'tool', '--help'],
  ]) {
    const result = await runIsobar(args)
    assert.equal(result.exitCode, 0, `${args.join(' ')}: ${result.stderr}`)
    assert.match(result.stdout, /Usage: isobar/)
  }
})
