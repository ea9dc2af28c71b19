import assert from 'node:assert/strict'
import { test } from 'node:test'
import { DLQ_HEADERS, REPLAYED_FROM_HEADER } from '@isobar/core'
import { createTestTopic, testKafkaClient } from '@isobar/testing'
import { READ_TOKEN, testApp } from '../helpers.ts'

function headers(values: Record<string, string>): Record<string, Buffer> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Buffer.from(v)]))
}

test('DLQ re-publish: selected dead letters go back to their source topic; truncated ones only with a fixed value', async (t) => {
  const { app, call } = testApp(t)
  const source = await createTestTopic(t, { partitions: 1, prefix: 'console-dlq-source' })
  const dlq = await createTestTopic(t, { partitions: 1, prefix: 'console-dlq' })
  const kafka = testKafkaClient()
  const producer = kafka.producer()
  const why = { [DLQ_HEADERS.errorCode]: 'ISOBAR_SERDE_INVALID_JSON', [DLQ_HEADERS.errorMessage]: 'not JSON' }
  await producer.send([
    {
      topic: dlq,
      key: Buffer.from('sensor-1'),
      value: Buffer.from('{"temperature": 21.5}'),
      headers: headers({ ...why, [DLQ_HEADERS.originalTopic]: source, trace: 't-1' }),
    },
    {
      topic: dlq,
      key: Buffer.from('sensor-2'),
      value: Buffer.from('{"temp'),
      headers: headers({ ...why, [DLQ_HEADERS.originalTopic]: source, [DLQ_HEADERS.truncated]: 'value' }),
    },
    {
      topic: dlq,
      key: null,
      value: Buffer.from('{}'),
      headers: headers({ ...why, [DLQ_HEADERS.originalTopic]: `${source}-gone` }),
    },
  ])
  await producer.close()
  const url = `/api/topics/${dlq}/dlq/replay`

  const preview = await call('POST', url, {
    records: [0, 1, 2, 9].map((offset) => ({ partition: 0, offset })),
    dryRun: true,
  })
  assert.equal(preview.status, 200, preview.response.body)
  assert.deepEqual(
    (preview.json.results as Array<{ offset: number; to: string | null; outcome: string }>).map((r) => [
      r.offset,
      r.outcome,
    ]),
    [
      [0, 'would send'],
      [1, 'skipped: value truncated (value); give its fixedValue'],
      [2, `skipped: the target topic ${source}-gone does not exist`],
      [9, 'skipped: no record at offset 9 (deleted or compacted)'],
    ],
  )
  assert.equal(preview.json.sent, 0)

  const refused = await call('POST', url, {
    records: [
      { partition: 0, offset: 0 },
      { partition: 0, offset: 1 },
    ],
  })
  assert.equal(refused.status, 400)
  assert.match(refused.json.message, /^Nothing re-published: 0@1 value truncated \(value\); give its fixedValue$/)
  const admin = kafka.admin()
  t.after(() => admin.close())
  assert.equal((await admin.listOffsets(source))[0]?.latest, 0n, 'nothing was sent')

  const replayed = await call('POST', url, {
    records: [
      { partition: 0, offset: 0 },
      { partition: 0, offset: 1, fixedValue: { temperature: 19 } },
    ],
  })
  assert.equal(replayed.status, 200, replayed.response.body)
  assert.equal(replayed.json.sent, 2)
  assert.deepEqual(
    (replayed.json.results as Array<Record<string, unknown>>).map((r) => [r.to, r.fixed, r.outcome, r.replayedOffset]),
    [
      [source, false, 'sent', 0],
      [source, true, 'sent', 1],
    ],
  )
  const back = await admin.readRecords({ topic: source, partition: 0, from: 'earliest', limit: 10 })
  assert.deepEqual(
    back.records.map((r) => [
      r.key?.toString(),
      r.value?.toString(),
      Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, v.toString()])),
    ]),
    [
      ['sensor-1', '{"temperature": 21.5}', { trace: 't-1', [REPLAYED_FROM_HEADER]: `${dlq}/0/0` }],
      ['sensor-2', '{"temperature":19}', { [REPLAYED_FROM_HEADER]: `${dlq}/0/1` }],
    ],
  )

  for (const [body, words] of [
    [{ records: [] }, 'records'],
    [
      {
        records: [
          { partition: 0, offset: 0 },
          { partition: 0, offset: 0 },
        ],
      },
      'twice',
    ],
    [{ records: [{ partition: 3, offset: 0 }] }, 'no partition 3'],
    [{ records: [{ partition: 0, offset: '0' }] }, 'offset'],
    [{ records: [{ partition: 0, offset: 0, fixedValue: 1, fixedValueBase64: 'AA==' }] }, 'records'],
    [{ records: [{ partition: 0, offset: 0 }], extra: true }, 'extra'],
  ] as const) {
    const bad = await call('POST', url, body)
    assert.equal(bad.status, 400, JSON.stringify(body))
    assert.match(bad.json.message, new RegExp(words), bad.json.message)
  }
  const missingTarget = await call('POST', url, { records: [{ partition: 0, offset: 0 }], to: `${source}-nope` })
  assert.equal(missingTarget.status, 404)
  const readOnly = await app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${READ_TOKEN}` },
    payload: { records: [{ partition: 0, offset: 0 }], dryRun: true },
  })
  assert.equal(readOnly.statusCode, 403)
})
