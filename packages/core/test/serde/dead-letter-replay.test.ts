import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  DLQ_HEADERS,
  planReplay,
  REPLAYED_FROM_HEADER,
  replayDeadLetters,
  type ConsumedRecord,
  type Producer,
  type ProducerRecord,
} from '../../src/index.ts'

function deadLetter(offset: bigint, headers: Record<string, string>, value = '{"a":1}'): ConsumedRecord {
  return {
    topic: 'sensors.dlq',
    partition: 2,
    offset,
    timestamp: 1,
    key: Buffer.from('k'),
    value: Buffer.from(value),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, Buffer.from(v)])),
  }
}

const FROM_READINGS = {
  [DLQ_HEADERS.originalTopic]: 'sensors.readings',
  [DLQ_HEADERS.errorCode]: 'ISOBAR_SERDE_INVALID_JSON',
  [DLQ_HEADERS.errorMessage]: 'bad',
  'trace-id': 'abc',
}

test('a replay goes to the source topic with its key and own headers, dlq headers swapped for replayed.from', () => {
  const plan = planReplay('sensors.dlq', deadLetter(7n, FROM_READINGS))
  assert.equal(plan.problem, undefined)
  assert.equal(plan.record?.topic, 'sensors.readings')
  assert.equal(plan.record?.key?.toString(), 'k')
  assert.equal(plan.record?.value?.toString(), '{"a":1}')
  assert.deepEqual(Object.fromEntries(Object.entries(plan.record?.headers ?? {}).map(([k, v]) => [k, v.toString()])), {
    'trace-id': 'abc',
    [REPLAYED_FROM_HEADER]: 'sensors.dlq/2/7',
  })
  assert.equal(planReplay('sensors.dlq', deadLetter(7n, FROM_READINGS), { to: 'elsewhere' }).record?.topic, 'elsewhere')
})

test('a truncated dead letter is refused with the reason unless a fixed value is given; no source needs a target', () => {
  const truncated = deadLetter(8n, { ...FROM_READINGS, [DLQ_HEADERS.truncated]: 'value' }, '{"a":')
  const refused = planReplay('sensors.dlq', truncated, { hints: { fixed: 'give it in --fixed' } })
  assert.equal(refused.record, undefined)
  assert.equal(refused.problem, 'skipped: value truncated (value); give it in --fixed')
  assert.equal(planReplay('sensors.dlq', truncated).problem, 'skipped: value truncated (value); give a fixed value')
  const fixed = planReplay('sensors.dlq', truncated, { fixedValue: Buffer.from('{"a":2}') })
  assert.deepEqual([fixed.problem, fixed.fixed, fixed.record?.value?.toString()], [undefined, true, '{"a":2}'])
  const orphan = planReplay('sensors.dlq', deadLetter(9n, {}))
  assert.match(orphan.problem ?? '', /no source topic header; give a target topic/)
})

test('replay sends in order, reports where each landed, keeps going after a failure, sends nothing on a dry run', async () => {
  const sent: ProducerRecord[] = []
  const producer: Producer = {
    send: (records) => {
      const [record] = records
      if (record?.value?.toString() === 'boom') return Promise.reject(new Error('broker said no'))
      sent.push(...records)
      return Promise.resolve([{ topic: record?.topic ?? '', partition: 0, baseOffset: BigInt(sent.length - 1) }])
    },
    close: () => Promise.resolve(),
  }
  const plans = [
    planReplay('d', deadLetter(1n, FROM_READINGS)),
    planReplay('d', deadLetter(2n, FROM_READINGS, 'boom')),
    planReplay('d', deadLetter(3n, { ...FROM_READINGS, [DLQ_HEADERS.truncated]: 'reference' })),
    planReplay('d', deadLetter(4n, FROM_READINGS)),
  ]
  const dry = await replayDeadLetters(producer, plans, { dryRun: true })
  assert.deepEqual(
    dry.map((o) => o.outcome),
    ['would send', 'would send', 'skipped: value truncated (reference); give a fixed value', 'would send'],
  )
  assert.equal(sent.length, 0)
  const real = await replayDeadLetters(producer, plans)
  assert.deepEqual(
    real.map((o) => [o.outcome, o.offset]),
    [
      ['sent', 0n],
      ['failed: broker said no', null],
      ['skipped: value truncated (reference); give a fixed value', null],
      ['sent', 1n],
    ],
  )
  assert.deepEqual(
    sent.map((r) => r.headers?.[REPLAYED_FROM_HEADER]?.toString()),
    ['d/2/1', 'd/2/4'],
  )
})
