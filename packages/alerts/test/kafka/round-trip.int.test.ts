import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'node:test'
import {
  AlertEngine,
  AlertRunner,
  fieldAccessor,
  parseRules,
  readLatestAlerts,
  type AlertEvent,
  type CommandResult,
} from '@isobar/alerts'
import { createTestTopic, runIsobar, testKafkaClient, uniqueTopicName } from '@isobar/testing'

interface Reading {
  sensorId: string
  eventTimeMs: number
  temperatureC: number
}

async function waitForAlert(topic: string, check: (a: AlertEvent) => boolean, what: string): Promise<AlertEvent> {
  const admin = testKafkaClient().admin()
  try {
    for (let i = 0; i < 60; i++) {
      const found = (await readLatestAlerts(admin, topic)).find(check)
      if (found) return found
      await sleep(250)
    }
  } finally {
    await admin.close()
  }
  throw new Error(`timed out waiting for ${what}`)
}

test('alert commands round trip through Kafka: the CLI acks and silences, the engine adapter applies them', async (t) => {
  const [readings, commands, alerts] = await Promise.all([
    createTestTopic(t, { partitions: 2, prefix: 'alert-in' }),
    createTestTopic(t, { partitions: 1, prefix: 'alert-cmd' }),
    createTestTopic(t, { partitions: 3, prefix: 'alert-out' }),
  ])
  const client = testKafkaClient()
  const results: CommandResult[] = []
  const runner = new AlertRunner<Reading>({
    client,
    engine: new AlertEngine<Reading>({
      rules: parseRules({
        rules: [{ id: 'too-hot', type: 'threshold', metric: 'temperatureC', above: 30, severity: 'critical' }],
      }),
      accessor: fieldAccessor<Reading>({ entity: 'sensorId' }),
    }),
    inputTopics: [readings],
    groupId: uniqueTopicName('alert-engine'),
    from: 'earliest',
    alertsTopic: alerts,
    commandsTopic: commands,
    onCommand: (r) => results.push(r),
  })
  await runner.start()
  try {
    await roundTrip(client, readings, commands, alerts, results)
  } finally {
    // Before the topics are deleted (t.after hooks): a consumer on a deleted topic would not close promptly.
    await runner.stop()
  }
})

async function roundTrip(
  client: ReturnType<typeof testKafkaClient>,
  readings: string,
  commands: string,
  alerts: string,
  results: CommandResult[],
): Promise<void> {
  const producer = client.producer()
  await producer.send(
    [
      { sensorId: 'sim:t1', eventTimeMs: Date.now(), temperatureC: 35 },
      { sensorId: 'sim:t2', eventTimeMs: Date.now(), temperatureC: 20 },
    ].map((r) => ({ topic: readings, key: Buffer.from(r.sensorId), value: Buffer.from(JSON.stringify(r)) })),
  )
  await producer.close()
  const fired = await waitForAlert(alerts, (a) => a.entityId === 'sim:t1', 'the firing alert')
  assert.deepEqual(
    [fired.ruleId, fired.state, fired.change, fired.severity, fired.value],
    ['too-hot', 'firing', 'fired', 'critical', 35],
  )

  const ack = await runIsobar([
    'alerts',
    'ack',
    'too-hot+sim:t1',
    '--by',
    'alice',
    '--commands-topic',
    commands,
    '--json',
  ])
  assert.equal(ack.exitCode, 0, ack.stderr)
  assert.equal(JSON.parse(ack.stdout).command.action, 'acknowledge')
  const acked = await waitForAlert(alerts, (a) => a.acknowledgedBy === 'alice', 'the acknowledgement')
  assert.deepEqual([acked.alertId, acked.change, acked.state], [fired.alertId, 'acknowledged', 'firing'])

  const silence = await runIsobar([
    'alerts',
    'silence',
    'too-hot',
    '--for',
    '1h',
    '--by',
    'bob',
    '--commands-topic',
    commands,
  ])
  assert.equal(silence.exitCode, 0, silence.stderr)
  const silenced = await waitForAlert(alerts, (a) => a.change === 'silenced', 'the silence')
  assert.ok(silenced.silencedUntilMs! > Date.now() + 50 * 60_000)

  const list = await runIsobar(['alerts', 'list', '--topic', alerts, '--json'])
  assert.equal(list.exitCode, 0, list.stderr)
  const listed = JSON.parse(list.stdout)
  assert.equal(listed.length, 1, 'one alert per rule+entity')
  assert.deepEqual(
    [listed[0].ruleId, listed[0].entityId, listed[0].acknowledgedBy, listed[0].silencedUntilMs],
    ['too-hot', 'sim:t1', 'alice', silenced.silencedUntilMs],
  )
  assert.deepEqual(
    results.map((r) => r.status),
    ['applied', 'applied'],
  )
  const keyCheck = await runIsobar([
    'consume',
    alerts,
    '--from-beginning',
    '--max-messages',
    '3',
    '--timeout-ms',
    '10000',
    '--json',
  ])
  assert.deepEqual(
    keyCheck.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { key: string }).key),
    ['too-hot+sim:t1', 'too-hot+sim:t1', 'too-hot+sim:t1'],
  )
}

test('isobar alerts ack refuses a key without an entity', async () => {
  const result = await runIsobar(['alerts', 'ack', 'too-hot'])
  assert.equal(result.exitCode, 2)
  assert.match(result.stderr, /ruleId\+entityId/)
})
