import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { createTestTopic, runIsobar, testKafkaClient } from '@isobar/testing'

test('isobar groups: list, describe, lag in offsets and seconds, reset-offsets, delete', async (t) => {
  const client = testKafkaClient()
  const topic = await createTestTopic(t, { partitions: 1, prefix: 'cli-groups' })
  const group = `cli-groups-${randomUUID().slice(0, 8)}`
  const start = Date.now() - 90_000
  const producer = client.producer()
  await producer.send(
    Array.from({ length: 8 }, (_, i) => ({
      topic,
      partition: 0,
      value: Buffer.from(`${i}`),
      timestamp: start + i * 1000,
    })),
  )
  await producer.close()
  const consumer = client.consumer({ groupId: group, topics: [topic], from: 'earliest', autocommitMs: false })
  // Read three records without leaving the loop with `break`: that ends the iteration, and the member may then
  // drop its subscription before `describe` looks (seen as "Assigned: -" on a loaded machine).
  const records = consumer[Symbol.asyncIterator]()
  for (let seen = 0; seen < 3; seen++) {
    const next = await records.next()
    assert.equal(next.done, false)
    if (!next.done) await consumer.commit([next.value])
  }
  let open = true
  t.after(async () => {
    if (open) await consumer.close()
    await runIsobar(['groups', 'delete', group])
  })

  const listed = await runIsobar(['groups', 'list', '--json'])
  assert.equal(listed.exitCode, 0, listed.stderr)
  assert.ok((JSON.parse(listed.stdout) as Array<{ groupId: string }>).some((g) => g.groupId === group))

  // The coordinator reports the member's assignment once its heartbeat has confirmed it: poll, bounded by a
  // deadline (not an attempt count: each CLI run takes seconds on a loaded machine).
  const assigned = new RegExp(`Assigned: ${topic}\\[0\\]`)
  const deadline = Date.now() + 90_000
  let described = await runIsobar(['groups', 'describe', group])
  while (Date.now() < deadline && !assigned.test(described.stdout)) {
    await new Promise((resolve) => setTimeout(resolve, 500))
    described = await runIsobar(['groups', 'describe', group])
  }
  assert.equal(described.exitCode, 0, described.stderr)
  assert.match(described.stdout, assigned)

  const lag = await runIsobar(['groups', 'lag', group, '--json'])
  const [row] = JSON.parse(lag.stdout) as Array<{ lag: number; lagSeconds: number; committedOffset: number }>
  assert.equal(row?.committedOffset, 3)
  assert.equal(row?.lag, 5)
  assert.ok((row?.lagSeconds ?? 0) >= 85, `lagSeconds ${row?.lagSeconds}`)
  const text = await runIsobar(['groups', 'lag', group])
  assert.match(text.stdout, /LAG-SECONDS/)
  assert.match(text.stdout, new RegExp(`${topic}\\s+0\\s+3\\s+8\\s+5\\s+\\d+\\.\\d`))

  const refused = await runIsobar(['groups', 'reset-offsets', group, '--topic', topic, '--to-earliest'])
  assert.equal(refused.exitCode, 1)
  assert.match(refused.stderr, /member/)
  await consumer.close()
  open = false

  const reset = await runIsobar(['groups', 'reset-offsets', group, '--topic', topic, '--to-offset', '6', '--json'])
  assert.equal(reset.exitCode, 0, reset.stderr)
  assert.deepEqual(JSON.parse(reset.stdout).offsets, [{ topic, partition: 0, offset: 6 }])
  assert.equal(
    (JSON.parse((await runIsobar(['groups', 'lag', group, '--json'])).stdout) as Array<{ lag: number }>)[0]?.lag,
    2,
  )

  const usage = await runIsobar(['groups', 'reset-offsets', group, '--topic', topic])
  assert.equal(usage.exitCode, 2)

  const deleted = await runIsobar(['groups', 'delete', group])
  assert.equal(deleted.exitCode, 0, deleted.stderr)
  const gone = await runIsobar(['groups', 'describe', group])
  assert.equal(gone.exitCode, 1)
  assert.match(gone.stderr, /does not exist/)
})
