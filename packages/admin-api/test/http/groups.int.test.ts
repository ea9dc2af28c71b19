import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { createTestTopic, testKafkaClient } from '@isobar/testing'
import { testApp } from '../helpers.ts'

test('groups: lag after producing N and consuming M, 409 reset while active, reset changes lag, delete', async (t) => {
  const { call, cleanup } = testApp(t)
  const topic = await createTestTopic(t, { partitions: 1, prefix: 'console-groups' })
  const group = `console-groups-${randomUUID().slice(0, 8)}`
  const start = Date.now() - 300_000
  for (let i = 0; i < 10; i++) {
    const produced = await call('POST', `/api/topics/${topic}/messages`, { value: { i }, timestamp: start + i * 1000 })
    assert.equal(produced.status, 201)
    assert.equal(produced.json.offset, i)
  }

  const consumer = testKafkaClient().consumer({
    groupId: group,
    topics: [topic],
    from: 'earliest',
    autocommitMs: false,
  })
  let open = true
  cleanup(async () => {
    if (open) await consumer.close()
    await call('DELETE', `/api/groups/${group}`)
  })
  let consumed = 0
  for await (const record of consumer) {
    await consumer.commit([record])
    if (++consumed === 4) break
  }

  const listed = await call('GET', '/api/groups')
  assert.equal(
    (listed.json.groups as Array<{ groupId: string; type: string }>).find((g) => g.groupId === group)?.type,
    'consumer',
  )
  const described = await call('GET', `/api/groups/${group}`)
  assert.equal(described.status, 200)
  assert.equal(described.json.members.length, 1)
  assert.deepEqual(described.json.members[0].assignment, [{ topic, partitions: [0] }])
  assert.deepEqual(described.json.offsets, [{ topic, partition: 0, offset: 4 }])

  const lag = await call('GET', `/api/groups/${group}/lag`)
  assert.equal(lag.json.totalLag, 6)
  const [row] = lag.json.partitions
  assert.deepEqual([row.committedOffset, row.latestOffset, row.lag], [4, 10, 6])
  assert.equal(row.nextRecordTimestamp, start + 4000)
  assert.ok(row.lagSeconds >= 295, `lagSeconds ${row.lagSeconds}`)

  const refused = await call('POST', `/api/groups/${group}/offsets/reset`, { topic, to: 'earliest' })
  assert.equal(refused.status, 409)
  assert.equal(refused.json.error, 'ISOBAR_CORE_GROUP_ACTIVE')
  assert.equal((await call('DELETE', `/api/groups/${group}`)).status, 409)

  // A dry run previews the move while the group is active and changes nothing.
  const preview = await call('POST', `/api/groups/${group}/offsets/reset`, { topic, to: 'earliest', dryRun: true })
  assert.equal(preview.status, 200, preview.response.body)
  assert.equal(preview.json.dryRun, true)
  assert.equal(preview.json.activeMembers, 1)
  assert.deepEqual(preview.json.partitions, [
    { partition: 0, currentOffset: 4, newOffset: 0, earliestOffset: 0, latestOffset: 10, lagBefore: 6, lagAfter: 10 },
  ])
  assert.deepEqual([preview.json.totalLagBefore, preview.json.totalLagAfter], [6, 10])
  const byTime = await call('POST', `/api/groups/${group}/offsets/reset`, {
    topic,
    to: 'timestamp',
    timestamp: start + 7500,
    dryRun: true,
  })
  assert.deepEqual([byTime.json.partitions[0].newOffset, byTime.json.partitions[0].lagAfter], [8, 2])
  assert.equal((await call('GET', `/api/groups/${group}/lag`)).json.totalLag, 6)

  await consumer.close()
  open = false
  const toEarliest = await call('POST', `/api/groups/${group}/offsets/reset`, { topic, to: 'earliest' })
  assert.equal(toEarliest.status, 200, toEarliest.response.body)
  assert.equal(toEarliest.json.dryRun, false)
  assert.deepEqual(toEarliest.json.offsets, [{ topic, partition: 0, offset: 0 }])
  assert.deepEqual([toEarliest.json.totalLagBefore, toEarliest.json.totalLagAfter], [6, 10])
  assert.equal((await call('GET', `/api/groups/${group}/lag`)).json.totalLag, 10)

  await call('POST', `/api/groups/${group}/offsets/reset`, { topic, to: 'offset', offset: 7 })
  assert.equal((await call('GET', `/api/groups/${group}/lag`)).json.totalLag, 3)
  await call('POST', `/api/groups/${group}/offsets/reset`, { topic, to: 'timestamp', timestamp: start + 1500 })
  assert.equal((await call('GET', `/api/groups/${group}/lag`)).json.totalLag, 8)
  await call('POST', `/api/groups/${group}/offsets/reset`, { topic, to: 'latest' })
  const caughtUp = await call('GET', `/api/groups/${group}/lag`)
  assert.deepEqual([caughtUp.json.totalLag, caughtUp.json.maxLagSeconds], [0, 0])

  const deleted = await call('DELETE', `/api/groups/${group}`)
  assert.deepEqual(deleted.json, { deleted: group })
  assert.equal((await call('GET', `/api/groups/${group}`)).status, 404)
  assert.equal((await call('DELETE', `/api/groups/${group}`)).status, 404)
})

test('group routes validate their input and report unknown groups and topics', async (t) => {
  const { call } = testApp(t)
  const group = `console-missing-${randomUUID().slice(0, 8)}`
  assert.equal((await call('GET', `/api/groups/${group}`)).json.error, 'ISOBAR_CORE_GROUP_NOT_FOUND')
  assert.equal((await call('GET', `/api/groups/${group}/lag`)).status, 404)
  for (const [body, field] of [
    [{ to: 'earliest' }, 'topic'],
    [{ topic: 'x', to: 'yesterday' }, 'to'],
    [{ topic: 'x', to: 'offset' }, 'offset'],
    [{ topic: 'x', to: 'timestamp' }, 'timestamp'],
    [{ topic: 'x', to: 'offset', offset: -1 }, 'offset'],
  ] as const) {
    const bad = await call('POST', `/api/groups/${group}/offsets/reset`, body)
    assert.equal(bad.status, 400, JSON.stringify(body))
    assert.match(bad.json.message, new RegExp(field))
  }
  const unknownTopic = await call('POST', `/api/groups/${group}/offsets/reset`, {
    topic: `${group}-topic`,
    to: 'earliest',
  })
  assert.equal(unknownTopic.status, 404)
  assert.equal(unknownTopic.json.error, 'ISOBAR_CORE_TOPIC_NOT_FOUND')
})
