import assert from 'node:assert/strict'
import { test, type TestContext } from 'node:test'
import {
  DLQ_HEADERS,
  type Admin,
  type ConfigEntry,
  type ConsumedRecord,
  type KafkaClient,
  type ProducerRecord,
} from '@isobar/core'
import { buildConsoleApp } from '../../src/index.ts'
import { configChangeProblem } from '../../src/http/topic-config-routes.ts'

// Pure unit tests: a fake admin and producer stand in for Kafka.
const TOKEN = 'admin-token'

function app(t: TestContext, admin: Partial<Admin>, sent: ProducerRecord[] = []) {
  const producer = {
    send: (records: ProducerRecord[]) => {
      sent.push(...records)
      return Promise.resolve(
        records.map((r, i) => ({ topic: r.topic, partition: 0, baseOffset: BigInt(sent.length - 1 + i) })),
      )
    },
    close: () => Promise.resolve(),
  }
  const kafka = {
    admin: () => ({ close: () => Promise.resolve(), ...admin }) as Admin,
    producer: () => producer,
  } as unknown as KafkaClient
  const built = buildConsoleApp({ kafka, token: TOKEN })
  t.after(() => built.close())
  return async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const response = await built.inject({
      method,
      url,
      headers: { authorization: `Bearer ${TOKEN}` },
      ...(payload ? { payload } : {}),
    })
    return { status: response.statusCode, json: response.json<Record<string, unknown>>() }
  }
}

const cluster = () =>
  Promise.resolve({ clusterId: 'c', controllerId: 3, brokers: [{ nodeId: 3, host: 'h', port: 9092, rack: null }] })

test('a cluster that does not describe its quorum is said so, with the controller id that is known', async (t) => {
  const call = app(t, {
    describeCluster: cluster,
    describeQuorum: () => Promise.reject(new Error('UNSUPPORTED_VERSION')),
  })
  const quorum = await call('GET', '/api/cluster/quorum')
  assert.equal(quorum.status, 200)
  assert.deepEqual(
    { ...quorum.json, reason: undefined },
    {
      supported: false,
      reason: undefined,
      controllerId: 3,
      leaderId: null,
      leaderEpoch: null,
      highWatermark: null,
      voters: [],
      observers: [],
    },
  )
  assert.match(String(quorum.json.reason), /did not describe its quorum: UNSUPPORTED_VERSION/)
})

test('a config change naming unknown, read-only or both-set-and-removed configs is refused in words', () => {
  const entries: ConfigEntry[] = [
    { name: 'retention.ms', value: '1', source: 'default', readOnly: false, sensitive: false },
    { name: 'segment.ms', value: '1', source: 'default', readOnly: true, sensitive: false },
  ]
  assert.equal(configChangeProblem(entries, { set: { 'retention.ms': '5' } }), undefined)
  assert.equal(configChangeProblem(entries, { remove: ['retention.ms'] }), undefined)
  assert.equal(
    configChangeProblem(entries, { set: { 'retention.hours': '5' } }),
    '"retention.hours" is not a topic config',
  )
  assert.equal(configChangeProblem(entries, { set: { 'segment.ms': '5' } }), 'segment.ms is read-only')
  assert.equal(
    configChangeProblem(entries, { set: { 'retention.ms': '5' }, remove: ['retention.ms'] }),
    'retention.ms cannot be both set and removed',
  )
})

test('DLQ re-publish: the route plans with core, refuses a truncated one whole, sends the rest in order', async (t) => {
  const deadLetter = (offset: number, extra: Record<string, string> = {}): ConsumedRecord => ({
    topic: 'x.dlq',
    partition: 0,
    offset: BigInt(offset),
    timestamp: 0,
    key: Buffer.from(`k${offset}`),
    value: Buffer.from(`{"n":${offset}}`),
    headers: Object.fromEntries(
      Object.entries({ [DLQ_HEADERS.originalTopic]: 'x', ...extra }).map(([k, v]) => [k, Buffer.from(v)]),
    ),
  })
  const letters = [deadLetter(0), deadLetter(1, { [DLQ_HEADERS.truncated]: 'value' })]
  const sent: ProducerRecord[] = []
  const call = app(
    t,
    {
      describeTopics: (names: string[]) =>
        Promise.resolve(
          names.map((name) => ({
            name,
            id: name,
            internal: false,
            partitions: [{ partition: 0, leader: 1, replicas: [1], isr: [1] }],
          })),
        ),
      listTopics: () => Promise.resolve(['x', 'x.dlq']),
      readRecords: (options) => {
        const offset = Number((options.from as { offset: bigint }).offset)
        const record = letters[offset]
        return Promise.resolve({
          records: record ? [record] : [],
          nextOffset: 0n,
          earliestOffset: 0n,
          latestOffset: 2n,
        })
      },
    },
    sent,
  )
  const refused = await call('POST', '/api/topics/x.dlq/dlq/replay', {
    records: [
      { partition: 0, offset: 0 },
      { partition: 0, offset: 1 },
    ],
  })
  assert.equal(refused.status, 400)
  assert.equal(refused.json.message, 'Nothing re-published: 0@1 value truncated (value); give its fixedValue')
  assert.equal(sent.length, 0)
  const done = await call('POST', '/api/topics/x.dlq/dlq/replay', {
    records: [
      { partition: 0, offset: 1, fixedValueBase64: Buffer.from('{"n":1,"fixed":true}').toString('base64') },
      { partition: 0, offset: 0 },
    ],
  })
  assert.equal(done.status, 200, JSON.stringify(done.json))
  assert.equal(done.json.sent, 2)
  assert.deepEqual(
    sent.map((r) => [r.topic, r.value?.toString(), r.headers?.['isobar.dlq.replayed.from']?.toString()]),
    [
      ['x', '{"n":1,"fixed":true}', 'x.dlq/0/1'],
      ['x', '{"n":0}', 'x.dlq/0/0'],
    ],
  )
})
