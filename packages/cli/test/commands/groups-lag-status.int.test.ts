import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { createTestTopic, runIsobar, testKafkaClient } from '@isobar/testing'

interface StatusRow {
  partition: number
  committedOffset: number
  lag: number
  status: string
  reason: string
}

test('isobar groups lag: STOP where a group without members lags, OK where it caught up', async (t) => {
  const client = testKafkaClient()
  const topic = await createTestTopic(t, { partitions: 2, prefix: 'cli-lag-status' })
  const group = `cli-lag-status-${randomUUID().slice(0, 8)}`
  const producer = client.producer()
  const send = (partition: number, count: number) =>
    producer.send(Array.from({ length: count }, (_, i) => ({ topic, partition, value: Buffer.from(`${i}`) })))
  await send(0, 3)
  await send(1, 2)
  const consumer = client.consumer({ groupId: group, topics: [topic], from: 'earliest', autocommitMs: false })
  let seen = 0
  for await (const record of consumer) {
    await consumer.commit([record])
    if (++seen === 5) break
  }
  await consumer.close()
  t.after(() => runIsobar(['groups', 'delete', group]))
  await send(0, 4)
  await producer.close()

  // The member can linger a moment after leaving: retry, bounded.
  const args = ['groups', 'lag', group, '--samples', '2', '--interval', '200', '--json']
  let result = await runIsobar(args)
  for (let attempt = 0; attempt < 10 && !result.stdout.includes('"status":"STOP"'); attempt++) {
    result = await runIsobar(args)
  }
  assert.equal(result.exitCode, 0, result.stderr)
  const report = JSON.parse(result.stdout) as {
    group: string
    status: string
    samples: number
    partitions: StatusRow[]
  }
  assert.equal(report.group, group)
  assert.equal(report.status, 'STOP')
  assert.equal(report.samples, 2)
  assert.deepEqual(
    report.partitions.map((p) => [p.partition, p.committedOffset, p.lag, p.status]),
    [
      [0, 3, 4, 'STOP'],
      [1, 2, 0, 'OK'],
    ],
  )
  assert.match(report.partitions[0]?.reason ?? '', /no members/)

  const text = await runIsobar(['groups', 'lag', group, '--samples', '1'])
  assert.equal(text.exitCode, 0, text.stderr)
  assert.match(text.stdout, /LAG-SECONDS\s+STATUS/)
  assert.match(text.stdout, new RegExp(`${topic}\\s+0\\s+3\\s+7\\s+4\\s+\\d+\\.\\d\\s+STOP`))
  assert.match(text.stdout, new RegExp(`${topic}\\s+1\\s+2\\s+2\\s+0\\s+0\\.0\\s+OK`))
  assert.match(text.stdout, /^Status: STOP$/m)

  // Without --samples/--interval, --json keeps the array shape of before, rows now carrying their status.
  const plain = await runIsobar(['groups', 'lag', group, '--json'])
  const rows = JSON.parse(plain.stdout) as StatusRow[]
  assert.ok(Array.isArray(rows))
  assert.deepEqual(
    rows.map((r) => r.status),
    ['STOP', 'OK'],
  )
})

test('isobar groups lag: a bad --samples or --interval is a one-line usage error, exit 2', async () => {
  for (const bad of [['--samples', '0'], ['--samples', 'x'], ['--interval=-5'], ['--interval', '1.5']]) {
    const result = await runIsobar(['groups', 'lag', 'some-group', ...bad])
    assert.equal(result.exitCode, 2, `${bad.join(' ')}: ${result.stderr}`)
    assert.match(result.stderr, /^isobar: groups lag: --(samples|interval) must be an integer >= [01], got /)
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr)
  }
})
