import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import {
  DLQ_HEADERS,
  DeadLetterRouter,
  InvalidJsonError,
  MalformedFrameError,
  createMetricsRegistry,
  sha256Hex,
  type ConsumedRecord,
} from '@isobar/core'
import { createTestTopic, runIsobar, testKafkaClient } from '@isobar/testing'
import type { DeadLetterView } from '../../src/commands/dlq-read.ts'

const LIMIT = 16_384

test('isobar dlq inspect shows reasons, sources, sizes and hashes; replay sends them back (fixed when truncated)', async (t) => {
  const source = await createTestTopic(t, { partitions: 2, prefix: 'dlq-src' })
  const dlq = await createTestTopic(t, {
    partitions: 1,
    prefix: 'dlq-dlq',
    configs: { 'max.message.bytes': String(LIMIT) },
  })
  const kafka = testKafkaClient()
  const producer = kafka.producer()
  t.after(() => producer.close())
  const router = new DeadLetterRouter({
    producer,
    metrics: createMetricsRegistry('dlq-cli-test', { runtimeMetrics: false }),
    deadLetterTopic: () => dlq,
    maxRecordBytes: LIMIT,
  })
  const consumed = (offset: number, value: Buffer): ConsumedRecord => ({
    topic: source,
    partition: 1,
    offset: BigInt(offset),
    timestamp: 1_700_000_000_000,
    key: Buffer.from(`k${offset}`),
    value,
    headers: { trace: Buffer.from(`t${offset}`) },
  })
  const huge = Buffer.alloc(LIMIT, 0x7b)
  await router.consumed(consumed(5, Buffer.from('{not json')), new InvalidJsonError(0, new Error('bad')))
  await router.consumed(consumed(6, Buffer.from([0xff, 1, 2])), new MalformedFrameError('unknown magic byte 1'))
  await router.consumed(consumed(7, huge), new InvalidJsonError(0, new Error('bad')))

  const inspect = await runIsobar(['dlq', 'inspect', dlq, '--json', '--raw'])
  assert.equal(inspect.exitCode, 0, inspect.stderr)
  const views = inspect.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as DeadLetterView)
  assert.equal(views.length, 3)
  assert.deepEqual(
    views.map((v) => [v.code, v.source.topic, v.source.partition, v.source.offset, v.truncated]),
    [
      ['ISOBAR_SERDE_INVALID_JSON', source, 1, '5', null],
      ['ISOBAR_SERDE_MALFORMED_FRAME', source, 1, '6', null],
      ['ISOBAR_SERDE_INVALID_JSON', source, 1, '7', 'value'],
    ],
  )
  assert.equal(views[0]!.value, '{not json')
  assert.equal(views[1]!.valueEncoding, 'base64')
  assert.equal(views[2]!.size, huge.length)
  assert.equal(views[2]!.sha256, sha256Hex(huge))
  assert.match(views[0]!.reason ?? '', /not valid JSON/)
  const text = await runIsobar(['dlq', 'inspect', dlq, '--max-messages', '1', '--raw'])
  assert.equal(text.exitCode, 0, text.stderr)
  assert.match(text.stdout, /^p0 @0 ISOBAR_SERDE_INVALID_JSON from .*\/1@5 9 B sha256=[0-9a-f]{12} reason="/)
  assert.equal(text.stdout.trim().split('\n').length, 1)

  // Dry run: nothing sent.
  const dry = await runIsobar(['dlq', 'replay', dlq, '--filter-code', 'ISOBAR_SERDE_MALFORMED_FRAME', '--dry-run'])
  assert.equal(dry.exitCode, 0, dry.stderr)
  assert.match(dry.stdout, /→ .*: would send/, dry.stderr)
  // The truncated one cannot go as is …
  const refused = await runIsobar(['dlq', 'replay', dlq, '--offsets', '0:2', '--json'])
  assert.equal(refused.exitCode, 1)
  assert.match(refused.stdout, /skipped: value truncated/)
  // … but with its fixed value it does; and the malformed one as is.
  const fixed = join(tmpdir(), `dlq-fixed-${process.pid}.jsonl`)
  await writeFile(fixed, `${JSON.stringify({ partition: 0, offset: '2', value: { fixed: true } })}\n`)
  const replay = await runIsobar(['dlq', 'replay', dlq, '--offsets', '0:1,0:2', '--fixed', fixed, '--json'])
  assert.equal(replay.exitCode, 0, replay.stderr + replay.stdout)
  const outcomes = replay.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)
  assert.deepEqual(
    outcomes.map((o) => [o.offset, o.to, o.fixed, o.outcome]),
    [
      ['1', source, false, 'sent'],
      ['2', source, true, 'sent'],
    ],
  )
  const back: ConsumedRecord[] = []
  for (const partition of [0, 1]) {
    await kafka.readCommitted({ topic: source, partition, timeoutMs: 10_000, onRecords: (r) => back.push(...r) })
  }
  const byKey = new Map(back.map((r) => [r.key!.toString(), r]))
  assert.equal(back.length, 2)
  assert.deepEqual(byKey.get('k6')!.value, Buffer.from([0xff, 1, 2]))
  assert.equal(byKey.get('k7')!.value!.toString(), '{"fixed":true}')
  assert.equal(byKey.get('k6')!.headers.trace!.toString(), 't6', 'original headers kept')
  assert.equal(byKey.get('k6')!.headers[DLQ_HEADERS.errorCode], undefined, 'dlq headers removed')
  assert.equal(byKey.get('k6')!.headers['isobar.dlq.replayed.from']!.toString(), `${dlq}/0/1`)
})

test('isobar dlq: usage errors are one line with exit code 2; --help documents the commands', async () => {
  const missing = await runIsobar(['dlq', 'inspect'])
  assert.equal(missing.exitCode, 2)
  assert.match(
    missing.stderr,
    /^isobar dlq inspect: missing required argument 'dlq-topic' \(see `isobar dlq inspect --help`\)\n$/,
  )
  const offsets = await runIsobar(['dlq', 'replay', 'x.dlq', '--offsets', '12'])
  assert.equal(offsets.exitCode, 2)
  assert.match(offsets.stderr, /--offsets expects partition:offset, got "12"/)
  assert.equal(offsets.stderr.trim().split('\n').length <= 2, true)
  const unknown = await runIsobar(['dlq', 'inspect', 'x.dlq', '--bogus'])
  assert.equal(unknown.exitCode, 2)
  const help = await runIsobar(['dlq', 'replay', '--help'])
  assert.equal(help.exitCode, 0)
  assert.match(help.stdout, /--filter-code/)
  const group = await runIsobar(['--help'])
  assert.match(group.stdout, /dlq +Dead-letter topics/)
})
