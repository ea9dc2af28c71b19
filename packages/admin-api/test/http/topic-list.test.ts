import assert from 'node:assert/strict'
import { test } from 'node:test'
import { TopicNotFoundError, type Admin, type KafkaClient, type TopicDescription } from '@isobar/core'
import { buildConsoleApp } from '../../src/index.ts'

// A pure unit test: a fake admin whose topic list changes between the listing and the describe, as on a busy
// cluster where topics are deleted at any moment.
test('the topic list is read again when a listed topic disappears before it is described', async (t) => {
  let listings = 0
  const describe = (name: string): TopicDescription => ({
    name,
    id: `id-${name}`,
    internal: false,
    partitions: [{ partition: 0, leader: 1, replicas: [1], isr: [1] }],
  })
  const admin = {
    listTopics: () => Promise.resolve(++listings === 1 ? ['a', 'gone'] : ['a']),
    describeTopics: (names: string[]) =>
      names.includes('gone') ? Promise.reject(new TopicNotFoundError('gone')) : Promise.resolve(names.map(describe)),
    close: () => Promise.resolve(),
  } as unknown as Admin
  const kafka = { admin: () => admin, producer: () => assert.fail('no producer') } as unknown as KafkaClient
  const app = buildConsoleApp({ kafka, token: 'admin-token' })
  t.after(() => app.close())
  const response = await app.inject({
    method: 'GET',
    url: '/api/topics',
    headers: { authorization: 'Bearer admin-token' },
  })
  assert.equal(response.statusCode, 200, response.body)
  assert.deepEqual(response.json(), { topics: [{ name: 'a', internal: false, partitions: 1, replicationFactor: 1 }] })
  assert.equal(listings, 2)
})
