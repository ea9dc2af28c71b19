import assert from 'node:assert/strict'
import { test } from 'node:test'
import { uniqueTopicName } from '@isobar/testing'
import { testApp } from '../helpers.ts'

test('topics: create, list, describe, alter configs, add partitions, delete, with their error cases', async (t) => {
  const { call, cleanup } = testApp(t)
  const name = uniqueTopicName('console-topics')
  cleanup(() => call('DELETE', `/api/topics/${name}`))

  const created = await call('POST', '/api/topics', { name, partitions: 2, configs: { 'retention.ms': '3600000' } })
  assert.equal(created.status, 201, created.response.body)
  assert.equal(created.json.partitions.length, 2)
  assert.equal(created.json.configs['retention.ms'], '3600000')

  const duplicate = await call('POST', '/api/topics', { name })
  assert.equal(duplicate.status, 409)
  assert.equal(duplicate.json.error, 'ISOBAR_CORE_TOPIC_EXISTS')

  const never = `${name}-never`
  cleanup(() => call('DELETE', `/api/topics/${never}`))
  for (const [body, field] of [
    [{ partitions: 2 }, 'name'],
    [{ name: never, partitions: 0 }, 'partitions'],
    [{ name: 'bad name!' }, 'name'],
    [{ name: never, configs: { 'retention.ms': { days: 1 } } }, 'retention.ms'],
    [{ name: never, partition: 3 }, 'partition'],
  ] as const) {
    const bad = await call('POST', '/api/topics', body)
    assert.equal(bad.status, 400, JSON.stringify(body))
    assert.equal(bad.json.error, 'ISOBAR_CONSOLE_INVALID_REQUEST')
    assert.match(bad.json.message, new RegExp(field.replace('.', '\\.')), bad.json.message)
  }

  assert.equal((await call('GET', `/api/topics/${never}`)).status, 404)

  const listed = await call('GET', '/api/topics')
  assert.deepEqual(
    (listed.json.topics as Array<{ name: string }>).find((x) => x.name === name),
    { name, internal: false, partitions: 2, replicationFactor: 1 },
  )

  const described = await call('GET', `/api/topics/${name}`)
  assert.equal(described.status, 200)
  const [p0] = described.json.partitions
  assert.equal(p0.leader, p0.replicas[0])
  assert.deepEqual(p0.isr, p0.replicas)
  assert.equal(typeof p0.sizeBytes, 'number')
  assert.equal(p0.latestOffset, 0)
  assert.equal(described.json.configs['cleanup.policy'], 'delete')

  const altered = await call('PATCH', `/api/topics/${name}/configs`, {
    set: { 'retention.ms': '7200000' },
    remove: ['cleanup.policy'],
  })
  assert.equal(altered.status, 200)
  assert.equal(altered.json.configs['retention.ms'], '7200000')
  const invalidValue = await call('PATCH', `/api/topics/${name}/configs`, { set: { 'retention.ms': 'soon' } })
  assert.equal(invalidValue.status, 400)
  assert.equal((await call('PATCH', `/api/topics/${name}/configs`, {})).status, 400)

  const grown = await call('POST', `/api/topics/${name}/partitions`, { count: 4 })
  assert.equal(grown.status, 200)
  assert.equal(grown.json.partitions.length, 4)
  const shrink = await call('POST', `/api/topics/${name}/partitions`, { count: 2 })
  assert.equal(shrink.status, 400)
  const badCount = await call('POST', `/api/topics/${name}/partitions`, { count: 'many' })
  assert.equal(badCount.status, 400)
  assert.match(badCount.json.message, /count/)

  const deleted = await call('DELETE', `/api/topics/${name}`)
  assert.deepEqual(deleted.json, { deleted: name })
  assert.equal((await call('DELETE', `/api/topics/${name}`)).status, 404)
})

test('unknown topics are 404 on every topic route', async (t) => {
  const { call } = testApp(t)
  const missing = uniqueTopicName('console-missing')
  for (const [method, url, body] of [
    ['GET', `/api/topics/${missing}`, undefined],
    ['DELETE', `/api/topics/${missing}`, undefined],
    ['PATCH', `/api/topics/${missing}/configs`, { set: { 'retention.ms': '1000' } }],
    ['POST', `/api/topics/${missing}/partitions`, { count: 3 }],
    ['GET', `/api/topics/${missing}/messages?partition=0`, undefined],
    ['POST', `/api/topics/${missing}/messages`, { value: { a: 1 } }],
  ] as const) {
    const response = await call(method, url, body)
    assert.equal(response.status, 404, `${method} ${url}: ${response.response.body}`)
    assert.equal(response.json.error, 'ISOBAR_CORE_TOPIC_NOT_FOUND')
  }
  // The produce above must not have auto-created the topic.
  assert.equal((await call('GET', `/api/topics/${missing}`)).status, 404)
})
