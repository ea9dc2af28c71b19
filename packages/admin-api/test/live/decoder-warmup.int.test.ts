/**
 * The live feed readies its decoder at start, before any client or record: once the alerts subject is registered
 * (here after the console started, as when Sensor Analytics starts later), the feed fetches and compiles its schema,
 * and the first alert then decodes without a registry call.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { test } from 'node:test'
import { createJsonValueEncoder, SchemaRegistryClient } from '@isobar/core'
import { startRegistryFixture } from '@isobar/registry/fixture'
import { latestSchema, TopicNames, valueSubject } from '@isobar/schemas'
import { createTestTopic, testKafkaClient, uniqueTopicName } from '@isobar/testing'
import type { LiveFeeds } from '../../src/live/feeds.ts'
import type { LiveHub } from '../../src/live/hub.ts'
import { testApp } from '../helpers.ts'

async function waitFor(what: string, probe: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

test('the alerts schema is fetched and compiled before the first alert arrives', { timeout: 180_000 }, async (t) => {
  const kafka = testKafkaClient()
  const runningFixture = await startRegistryFixture({ kafka, prefix: 'warm-schemas' })
  t.after(() => runningFixture.close())
  const running = runningFixture.running
  const client = new SchemaRegistryClient({ url: running.url, timeoutMs: 5000 })
  const fetchedIds: number[] = []
  const counting = new Proxy(client, {
    get(target, prop) {
      if (prop === 'getSchemaById')
        return (id: number) => {
          fetchedIds.push(id)
          return target.getSchemaById(id)
        }
      const value = Reflect.get(target, prop, target) as unknown
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
    },
  })

  const alerts = await createTestTopic(t, { partitions: 1, prefix: 'warm-alerts' })
  const { app, cleanup } = testApp(t, {
    registry: counting,
    live: {
      eager: true,
      feeds: {
        topics: {
          aggregates: uniqueTopicName('warm-agg'),
          alerts,
          observations: uniqueTopicName('warm-obs'),
          weatherAlerts: uniqueTopicName('warm-walerts'),
        },
        backfillMs: 0,
        lagIntervalMs: 0,
      },
    },
  })
  await app.ready()
  const { feeds, hub } = (app as unknown as { live: { feeds: LiveFeeds; hub: LiveHub } }).live

  // The subject appears after the console started: the feed keeps trying until it can ready the decoder.
  const encode = await createJsonValueEncoder({
    registry: client,
    subject: valueSubject(alerts),
    schema: latestSchema(TopicNames.SENSORS_ALERTS),
  })
  const schemaId = (await client.getVersion(valueSubject(alerts), 'latest')).id
  await waitFor('the decoder readied for the alerts topic', () => feeds.stats.warmed === 1)
  assert.deepEqual(fetchedIds, [schemaId], 'the alerts schema was fetched at start')
  assert.equal(feeds.stats.records, 0, 'no record has been consumed yet')
  assert.equal(hub.clients.size, 0, 'no client has subscribed')

  // The feed subscribes at the end of the topic: produce until the first alert comes through.
  const producer = kafka.producer()
  cleanup(() => producer.close())
  const deadline = Date.now() + 60_000
  while (feeds.stats.published === 0) {
    assert.ok(Date.now() < deadline, 'timed out waiting for the first alert')
    const now = Date.now()
    const event = {
      alertId: randomUUID(),
      ruleId: 'temperature-high',
      entityId: 'mote:1',
      state: 'firing',
      change: 'fired',
      severity: 'critical',
      field: 'temperatureC',
      value: 80,
      threshold: 35,
      message: 'temperatureC 80 above 35',
      eventTimeMs: now,
      raisedAtMs: now,
      flapping: false,
      notify: true,
    }
    await producer.send([{ topic: alerts, key: Buffer.from('temperature-high+mote:1'), value: encode(event) }])
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  const published = hub.history.snapshot({ types: new Set(['alert']) }).find((e) => e.type === 'alert')
  assert.ok(published, 'the alert is in the live view')
  assert.equal((JSON.parse(published.data) as { schemaId?: number }).schemaId, schemaId, 'decoded through the registry')
  assert.deepEqual(fetchedIds, [schemaId], 'the first alert needed no registry call')
  assert.equal(feeds.stats.skipped, 0)
})
