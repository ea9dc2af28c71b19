/**
 * Device to aggregates: readings published over MQTT (some sent twice with the same sequence, as a device or a
 * restarted bridge redelivers) go through the bridge into the readings topic, duplicates and all, and Sensor
 * Analytics (its main.ts, spawned) counts each reading once in the sensor minutes.
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { decodeFrame, MAGIC_BYTE } from '@isobar/core'
import { mqttDeviceName, mqttReadingsTopic, startMosquitto, stopMosquitto } from '@isobar/kafka-local'
import { createTestTopic, REPO_ROOT, testBootstrapServers, testKafkaClient, uniqueTopicName } from '@isobar/testing'
import mqtt from 'mqtt'
import { ingestFixture, readTopic } from '../helpers.ts'

const MQTT_PORT = 30615
const BRIDGE_METRICS = 30616
const ANALYTICS_METRICS = 30617
const SENSORS = ['sim:s02.z1.temperature-00001', 'sim:s02.z1.temperature-00002']
const PANE_MS = 1000

function spawnService(t: TestContext, script: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [join(REPO_ROOT, script)], {
    env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: testBootstrapServers(), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
  })
  return child
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return true
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  return false
}

const ready = (port: number) => () =>
  fetch(`http://127.0.0.1:${port}/ready`).then(
    (r) => r.ok,
    () => false,
  )

test('MQTT readings, duplicates included, are counted once each in the sensor minutes', async (t) => {
  const homeDir = await mkdtemp(join(tmpdir(), 'isobar-mqtt-agg-'))
  const broker = await startMosquitto({ homeDir, port: MQTT_PORT, devices: SENSORS.map(mqttDeviceName) })
  t.after(async () => {
    await stopMosquitto({ homeDir })
    await rm(homeDir, { recursive: true, force: true })
  })
  const fixture = await ingestFixture(t)
  const aggregates = await createTestTopic(t, { prefix: 'ingest-agg', partitions: 3 })
  const applicationId = uniqueTopicName('ingest-analytics')
  t.after(async () => {
    const groups = [applicationId, `${applicationId}-zone-1m`, `${applicationId}-hop-0m`]
    const admin = testKafkaClient().admin()
    await admin
      .deleteTopics([`${applicationId}-panes`, `${applicationId}-late`, ...groups.map((g) => `${g}-changelog`)])
      .catch(() => undefined)
    await admin.close()
  })
  spawnService(t, 'packages/ingest/src/main.ts', {
    SCHEMA_REGISTRY_URL: fixture.registryUrl,
    MQTT_URL: broker.url,
    MQTT_USERNAME: broker.credentials.bridge.username,
    MQTT_PASSWORD: broker.credentials.bridge.password,
    MQTT_CLIENT_ID: `bridge-${fixture.readings}`,
    INGEST_READINGS_TOPIC: fixture.readings,
    INGEST_DLQ_TOPIC: fixture.deadLetter,
    METRICS_PORT: String(BRIDGE_METRICS),
  })
  spawnService(t, 'packages/sensor-analytics/src/analytics/main.ts', {
    SCHEMA_REGISTRY_URL: fixture.registryUrl,
    METRICS_PORT: String(ANALYTICS_METRICS),
    ANALYTICS_CONFIG: JSON.stringify({
      applicationId,
      topics: { readings: fixture.readings, aggregates, deadLetter: fixture.deadLetter, partitions: 3 },
      windowing: { paneMs: PANE_MS, hopSizeMs: 5000, graceMs: 500, idleMs: 3000 },
      from: 'earliest',
      alerts: { enabled: false },
    }),
  })
  assert.ok(await waitFor(ready(BRIDGE_METRICS), 120_000), 'bridge ready')
  assert.ok(await waitFor(ready(ANALYTICS_METRICS), 180_000), 'analytics ready')

  // 5 panes × 4 readings per sensor, event times in the recent past; every third reading is sent twice.
  const start = Math.floor((Date.now() - 60_000) / PANE_MS) * PANE_MS
  let sent = 0
  const clients = await Promise.all(
    SENSORS.map(async (sensorId) => {
      const username = mqttDeviceName(sensorId)
      const client = await mqtt.connectAsync(broker.url, {
        protocolVersion: 5,
        username,
        password: broker.credentials.devices[username] ?? '',
      })
      t.after(() => client.endAsync(true))
      return { sensorId, client, topic: mqttReadingsTopic('s02', 's02.z1', sensorId) }
    }),
  )
  // In event-time order across sensors: a partition's event time only moves forward (grace 500 ms).
  for (let sequence = 0; sequence < 20; sequence++) {
    for (const { sensorId, client, topic } of clients) {
      const payload = JSON.stringify({
        sensorId,
        sequence,
        eventTimeMs: start + Math.floor(sequence / 4) * PANE_MS + (sequence % 4) * 10,
        temperatureC: 20 + sequence,
      })
      const copies = sequence % 3 === 0 ? 2 : 1
      for (let c = 0; c < copies; c++, sent++) await client.publishAsync(topic, payload, { qos: 1 })
    }
  }
  // Later readings close the panes.
  for (const { sensorId, client, topic } of clients) {
    const later = { sensorId, sequence: 20, eventTimeMs: start + 10 * PANE_MS, temperatureC: 0 }
    await client.publishAsync(topic, JSON.stringify(later), { qos: 1 })
    sent++
  }
  assert.equal((await readTopic(fixture.readings, sent)).length, sent, 'the readings topic keeps the duplicates')

  type Row = {
    sensorId: string
    field: string
    scope: string
    windowKind: string
    windowStartMs: number
    count: number
  }
  let rows: Row[] = []
  const complete = await waitFor(async () => {
    const records = await readTopic(aggregates, 0, 5_000)
    rows = records
      .map((r) => {
        const value = r.value ?? Buffer.alloc(0)
        const json = value[0] === MAGIC_BYTE ? decodeFrame(value).payload : value
        return JSON.parse(json.toString()) as Row
      })
      .filter((r) => r.scope === 'sensor' && r.windowKind === 'tumbling' && r.field === 'temperatureC')
      .filter((r) => r.windowStartMs < start + 5 * PANE_MS)
    return rows.length >= SENSORS.length * 5
  }, 180_000)
  assert.ok(complete, `sensor minutes: ${rows.length} of ${SENSORS.length * 5}`)
  for (const sensorId of SENSORS) {
    const mine = rows.filter((r) => r.sensorId === sensorId).sort((a, b) => a.windowStartMs - b.windowStartMs)
    assert.deepEqual(
      mine.map((r) => r.count),
      [4, 4, 4, 4, 4],
      sensorId,
    )
  }
})
