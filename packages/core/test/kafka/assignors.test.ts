import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ClusterMetadata, ExtendedGroupProtocolSubscription } from '@platformatic/kafka'
import { rangeAssigner } from '../../src/kafka/platformatic/assignors.ts'
import { createKafkaClient, parseKafkaConfig } from '../../src/index.ts'

function members(ids: string[], topics: string[]): Map<string, ExtendedGroupProtocolSubscription> {
  return new Map(ids.map((memberId) => [memberId, { memberId, version: 1, topics }]))
}

function metadata(topics: Record<string, number>): ClusterMetadata {
  return {
    topics: new Map(Object.entries(topics).map(([name, partitionsCount]) => [name, { partitionsCount }])),
  } as unknown as ClusterMetadata
}

function owned(result: ReturnType<typeof rangeAssigner>): Record<string, Record<string, number[]>> {
  return Object.fromEntries(
    result.map((r) => [r.memberId, Object.fromEntries([...r.assignments].map(([t, a]) => [t, a.partitions]))]),
  )
}

test('range: contiguous blocks per topic in member-id order, the first members take the remainder', () => {
  const result = rangeAssigner(
    'm-b',
    members(['m-c', 'm-a', 'm-b'], ['t1', 't2']),
    new Set(['t1', 't2']),
    metadata({ t1: 7, t2: 2 }),
  )
  assert.deepEqual(owned(result), {
    'm-c': { t1: [5, 6] },
    'm-a': { t1: [0, 1, 2], t2: [0] },
    'm-b': { t1: [3, 4], t2: [1] },
  })
})

test('range: a member not subscribed to a topic gets none of it; more members than partitions leaves some idle', () => {
  const subs = new Map<string, ExtendedGroupProtocolSubscription>([
    ['a', { memberId: 'a', version: 1, topics: ['t1'] }],
    ['b', { memberId: 'b', version: 1, topics: ['t1', 't2'] }],
    ['c', { memberId: 'c', version: 1, topics: ['t1'] }],
  ])
  assert.deepEqual(owned(rangeAssigner('a', subs, new Set(['t1', 't2']), metadata({ t1: 2, t2: 3 }))), {
    a: { t1: [0] },
    b: { t1: [1], t2: [0, 1, 2] },
    c: {},
  })
})

test('an assignor that does not fit the group protocol is refused at construction, naming the option', () => {
  // Construction only: nothing connects.
  const client = createKafkaClient(parseKafkaConfig({ bootstrapServers: ['127.0.0.1:1'], clientId: 'assignors' }))
  assert.throws(
    () => client.consumer({ groupId: 'g', topics: ['t'], assignor: 'range' }),
    /needs groupProtocol 'classic'/,
  )
  assert.throws(
    () => client.consumer({ groupId: 'g', topics: ['t'], groupProtocol: 'classic', remoteAssignor: 'uniform' }),
    /remoteAssignor needs groupProtocol 'consumer'/,
  )
  assert.throws(
    () => client.consumer({ groupId: 'g', topics: ['t'], groupProtocol: 'classic', assignor: 'sticky' as 'range' }),
    /unknown assignor "sticky"/,
  )
})
