import assert from 'node:assert/strict'
import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'node:test'
import { AlertEngine, AlertRunner, fieldAccessor, parseRules, readLatestAlerts } from '@isobar/alerts'
import type { Consumer, KafkaClient } from '@isobar/core'
import { createTestTopic, testKafkaClient, uniqueTopicName } from '@isobar/testing'

interface Reading {
  sensorId: string
  eventTimeMs: number
  temperatureC: number
}

/** The client, except that the first group consumer it makes fails on its first read (a broker gone for good). */
function clientWhoseFirstGroupConsumerFails(real: KafkaClient): { client: KafkaClient; failed: () => boolean } {
  let failed = false
  const consumer: KafkaClient['consumer'] = (options) => {
    if (options.groupId === undefined || failed) return real.consumer(options)
    failed = true
    const broken = {
      close: () => Promise.resolve(),
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('broker connection lost')) }),
    }
    return broken as unknown as Consumer
  }
  const client = new Proxy(real, {
    get: (target, property): unknown => (property === 'consumer' ? consumer : Reflect.get(target, property, target)),
  })
  return { client, failed: () => failed }
}

test('an input consumer that fails is replaced: readings after the failure still raise alerts', async (t) => {
  const [readings, commands, alerts] = await Promise.all([
    createTestTopic(t, { partitions: 1, prefix: 'alert-in' }),
    createTestTopic(t, { partitions: 1, prefix: 'alert-cmd' }),
    createTestTopic(t, { partitions: 1, prefix: 'alert-out' }),
  ])
  const real = testKafkaClient()
  const { client, failed } = clientWhoseFirstGroupConsumerFails(real)
  const runner = new AlertRunner<Reading>({
    client,
    engine: new AlertEngine<Reading>({
      rules: parseRules({
        rules: [{ id: 'too-hot', type: 'threshold', metric: 'temperatureC', above: 30, severity: 'critical' }],
      }),
      accessor: fieldAccessor<Reading>({ entity: 'sensorId' }),
    }),
    inputTopics: [readings],
    groupId: uniqueTopicName('alert-reconnect'),
    from: 'earliest',
    alertsTopic: alerts,
    commandsTopic: commands,
  })
  await runner.start()
  const admin = real.admin()
  try {
    const producer = real.producer()
    const reading = { sensorId: 'sim:hot', eventTimeMs: Date.now(), temperatureC: 35 }
    await producer.send([
      { topic: readings, key: Buffer.from(reading.sensorId), value: Buffer.from(JSON.stringify(reading)) },
    ])
    await producer.close()
    let fired = false
    for (let i = 0; i < 120 && !fired; i++) {
      fired = (await readLatestAlerts(admin, alerts)).some((a) => a.entityId === 'sim:hot' && a.state === 'firing')
      if (!fired) await sleep(250)
    }
    assert.ok(failed(), 'the first input consumer failed')
    assert.ok(fired, 'the replacement consumer read the reading and the alert fired')
  } finally {
    await admin.close()
    await runner.stop()
  }
})
