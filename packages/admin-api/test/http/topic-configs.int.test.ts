import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createTestTopic } from '@isobar/testing'
import { testApp } from '../helpers.ts'

interface Entry {
  name: string
  value: string | null
  source: string
  readOnly: boolean
}

test('topic configs: overrides told from inherited values, edited, reverted, refused in words', async (t) => {
  const { call } = testApp(t)
  const topic = await createTestTopic(t, { partitions: 2, prefix: 'console-configs' })
  const entry = async (name: string): Promise<Entry | undefined> => {
    const listed = await call('GET', `/api/topics/${topic}/configs`)
    assert.equal(listed.status, 200, listed.response.body)
    return (listed.json.configs as Entry[]).find((e) => e.name === name)
  }
  const before = await entry('retention.ms')
  assert.ok(before && before.source !== 'topic', JSON.stringify(before))

  const set = await call('PATCH', `/api/topics/${topic}/configs`, { set: { 'retention.ms': '7200000' } })
  assert.equal(set.status, 200, set.response.body)
  assert.equal(set.json.configs['retention.ms'], '7200000')
  assert.deepEqual(
    { value: (await entry('retention.ms'))?.value, source: (await entry('retention.ms'))?.source },
    { value: '7200000', source: 'topic' },
  )

  const reverted = await call('PATCH', `/api/topics/${topic}/configs`, { remove: ['retention.ms'] })
  assert.equal(reverted.status, 200)
  assert.equal(reverted.json.configs['retention.ms'], before.value)

  // The broker's own refusal, explained: the value and the config are named.
  const badValue = await call('PATCH', `/api/topics/${topic}/configs`, { set: { 'retention.ms': 'soon' } })
  assert.equal(badValue.status, 400)
  assert.match(badValue.json.message, /retention\.ms/)
  assert.match(badValue.json.message, /soon/)
  const unknown = await call('PATCH', `/api/topics/${topic}/configs`, { set: { 'retention.days': '1' } })
  assert.equal(unknown.status, 400)
  assert.match(unknown.json.message, /"retention\.days" is not a topic config/)
  const both = await call('PATCH', `/api/topics/${topic}/configs`, {
    set: { 'retention.ms': '1000' },
    remove: ['retention.ms'],
  })
  assert.equal(both.status, 400)
  assert.match(both.json.message, /both set and removed/)
  const coerced = await call('PATCH', `/api/topics/${topic}/configs`, { set: { 'retention.ms': 7200000 } })
  assert.equal(coerced.status, 400)
  assert.equal((await entry('retention.ms'))?.source, before.source)
})

test('partitions: only added; a decrease or the same count is refused naming the current count', async (t) => {
  const { call } = testApp(t)
  const topic = await createTestTopic(t, { partitions: 2, prefix: 'console-partitions' })
  for (const count of [1, 2]) {
    const refused = await call('POST', `/api/topics/${topic}/partitions`, { count })
    assert.equal(refused.status, 400)
    assert.equal(refused.json.error, 'ISOBAR_CONSOLE_INVALID_REQUEST')
    assert.match(refused.json.message, /more than the 2 partitions .* never remove them/)
  }
  const grown = await call('POST', `/api/topics/${topic}/partitions`, { count: 3 })
  assert.equal(grown.status, 200)
  assert.equal(grown.json.partitions.length, 3)
  assert.equal((await call('GET', `/api/topics/${topic}`)).json.partitions.length, 3)
})

test('the read-only token reads configs but may not edit them', async (t) => {
  const { app } = testApp(t)
  const topic = await createTestTopic(t, { partitions: 1, prefix: 'console-configs-ro' })
  const headers = { authorization: 'Bearer test-read-token-456' }
  const read = await app.inject({ method: 'GET', url: `/api/topics/${topic}/configs`, headers })
  assert.equal(read.statusCode, 200)
  for (const [method, url, payload] of [
    ['PATCH', `/api/topics/${topic}/configs`, { set: { 'retention.ms': '1000' } }],
    ['POST', `/api/topics/${topic}/partitions`, { count: 5 }],
  ] as const) {
    const refused = await app.inject({ method, url, headers, payload })
    assert.equal(refused.statusCode, 403, `${method} ${url}`)
  }
})
