import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'node:test'
import {
  AlertEngine,
  AlertRunner,
  alertCommandRecord,
  createAlertCommand,
  decodeAlertEvent,
  fieldAccessor,
  parseRules,
  type AlertEvent,
} from '@isobar/alerts'
import type { Admin, KafkaClient, Producer } from '@isobar/core'
import { createTestTopic, testKafkaClient, uniqueTopicName } from '@isobar/testing'

interface Reading {
  sensorId: string
  eventTimeMs: number
  temperatureC: number
}

/**
 * The real client, except that its producers fail the first `failures` sends that carry an alert event of
 * `entityId` (what the runner sees when the brokers stay down for longer than the producer's retries).
 */
function clientFailingSendsFor(
  real: KafkaClient,
  entityId: string,
  failures: number,
): { client: KafkaClient; failed: () => number; failNext: (n: number) => void } {
  let failed = 0
  let limit = failures
  const producer: KafkaClient['producer'] = (options) => {
    const inner = real.producer(options)
    const flaky: Producer = {
      send: (records) => {
        const hit = records.some((r) => r.key?.toString('utf8').endsWith(`+${entityId}`))
        if (hit && failed < limit) {
          failed++
          return Promise.reject(new Error('produce failed 6 times: Connection to 127.0.0.1:29394 failed'))
        }
        return inner.send(records)
      },
      close: () => inner.close(),
    }
    return flaky
  }
  const client = new Proxy(real, {
    get: (target, property): unknown => (property === 'producer' ? producer : Reflect.get(target, property, target)),
  })
  return { client, failed: () => failed, failNext: (n) => (limit = failed + n) }
}

async function alertEvents(admin: Admin, topic: string): Promise<AlertEvent[]> {
  const result = await admin.readRecords({ topic, partition: 0, from: 'earliest', limit: 1000 })
  return result.records.flatMap((r) => {
    const event = decodeAlertEvent(r.value)
    return event ? [event] : []
  })
}

async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (await check()) return
    await sleep(250)
  }
  assert.fail(`timed out waiting until ${what}`)
}

test('an alert event that is not delivered is published once the input is read again', async (t) => {
  const [readings, commands, alerts] = await Promise.all([
    createTestTopic(t, { partitions: 1, prefix: 'alert-in' }),
    createTestTopic(t, { partitions: 1, prefix: 'alert-cmd' }),
    createTestTopic(t, { partitions: 1, prefix: 'alert-out' }),
  ])
  const real = testKafkaClient()
  const { client, failed } = clientFailingSendsFor(real, 'sim:b', 2)
  const groupId = uniqueTopicName('alert-undelivered')
  const runner = new AlertRunner<Reading>({
    client,
    engine: new AlertEngine<Reading>({
      rules: parseRules({
        rules: [{ id: 'too-hot', type: 'threshold', metric: 'temperatureC', above: 30, severity: 'critical' }],
      }),
      accessor: fieldAccessor<Reading>({ entity: 'sensorId', time: 'eventTimeMs' }),
    }),
    inputTopics: [readings],
    groupId,
    from: 'earliest',
    alertsTopic: alerts,
    commandsTopic: commands,
    // Nothing is committed before the failure, so the re-read also covers sim:a, whose alert was published.
    commitIntervalMs: 600_000,
  })
  await runner.start()
  const admin = real.admin()
  const producer = real.producer()
  let stopped = false
  try {
    const send = (sensorId: string): Promise<unknown> => {
      const reading: Reading = { sensorId, eventTimeMs: Date.now(), temperatureC: 35 }
      return producer.send([
        { topic: readings, key: Buffer.from(sensorId), value: Buffer.from(JSON.stringify(reading)) },
      ])
    }
    const fired = async (entityId: string): Promise<number> =>
      (await alertEvents(admin, alerts)).filter((e) => e.entityId === entityId && e.change === 'fired').length

    await send('sim:a')
    await waitFor('sim:a fired', async () => (await fired('sim:a')) > 0)
    await send('sim:b')
    await waitFor('sim:b fired after its failed publishes', async () => (await fired('sim:b')) > 0)
    assert.equal(failed(), 2, 'the first two publishes of the sim:b alert failed')
    assert.ok(runner.inputRestarts >= 1, 'the input was read again after the undelivered event')

    // A later reading is evaluated after the re-read, so every re-read record has been handled by then.
    await send('sim:c')
    await waitFor('sim:c fired', async () => (await fired('sim:c')) > 0)
    assert.equal(await fired('sim:a'), 1, 'the re-read does not fire sim:a twice')
    assert.equal(await fired('sim:b'), 1, 'sim:b fired exactly once')

    await runner.stop()
    stopped = true
    const committed = (await admin.groupOffsets(groupId)).find((o) => o.topic === readings)
    assert.equal(committed?.offset, 3n, 'every reading is committed once its alert event was acknowledged')
  } finally {
    await producer.close()
    await admin.close()
    if (!stopped) await runner.stop()
  }
})

test('an operator command whose alert event is not delivered is applied again after the re-read', async (t) => {
  const [readings, commands, alerts] = await Promise.all([
    createTestTopic(t, { partitions: 1, prefix: 'alert-in' }),
    createTestTopic(t, { partitions: 1, prefix: 'alert-cmd' }),
    createTestTopic(t, { partitions: 1, prefix: 'alert-out' }),
  ])
  const real = testKafkaClient()
  const { client, failNext } = clientFailingSendsFor(real, 'sim:a', 0)
  const runner = new AlertRunner<Reading>({
    client,
    engine: new AlertEngine<Reading>({
      rules: parseRules({
        rules: [{ id: 'too-hot', type: 'threshold', metric: 'temperatureC', above: 30, severity: 'critical' }],
      }),
      accessor: fieldAccessor<Reading>({ entity: 'sensorId', time: 'eventTimeMs' }),
    }),
    inputTopics: [readings],
    groupId: uniqueTopicName('alert-cmd-undelivered'),
    from: 'earliest',
    alertsTopic: alerts,
    commandsTopic: commands,
  })
  await runner.start()
  const admin = real.admin()
  const producer = real.producer()
  try {
    const changes = async (): Promise<string[]> =>
      (await alertEvents(admin, alerts)).filter((e) => e.entityId === 'sim:a').map((e) => e.change)
    const reading: Reading = { sensorId: 'sim:a', eventTimeMs: Date.now(), temperatureC: 35 }
    await producer.send([{ topic: readings, key: Buffer.from('sim:a'), value: Buffer.from(JSON.stringify(reading)) }])
    await waitFor('sim:a fired', async () => (await changes()).includes('fired'))

    failNext(1) // the acknowledged event's first publish fails
    const ack = createAlertCommand({ action: 'acknowledge', ruleId: 'too-hot', entityId: 'sim:a', issuedBy: 'test' })
    await producer.send([alertCommandRecord(commands, ack)])
    await waitFor('the acknowledgement published after the re-read', async () =>
      (await changes()).includes('acknowledged'),
    )
    assert.ok(runner.inputRestarts >= 1, 'the undelivered event made the runner re-read')
    assert.deepEqual(await changes(), ['fired', 'acknowledged'], 'acknowledged once, not fired again')
  } finally {
    await producer.close()
    await admin.close()
    await runner.stop()
  }
})
