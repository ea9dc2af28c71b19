/**
 * The MQTT edge against real parts: Mosquitto started under a temporary Isobar home, the ingest service as its
 * own process (so it can be SIGKILLed), the shared Kafka test broker, an in-memory registry.
 */
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { DLQ_HEADERS, decodeFrame, type ConsumedRecord } from '@isobar/core'
import {
  mqttDeviceName,
  mqttReadingsTopic,
  startMosquitto,
  stopMosquitto,
  type RunningMosquitto,
} from '@isobar/kafka-local'
import { REPO_ROOT, testBootstrapServers } from '@isobar/testing'
import mqtt, { type MqttClient } from 'mqtt'
import { ingestFixture, reading, readTopic, type IngestFixture } from '../helpers.ts'

const MQTT_PORT = 30610
const METRICS_PORT = 30611
const SENSORS = ['sim:s01.z1.temperature-00001', 'sim:s01.z1.humidity-00002', 'sim:s01.z2.co2-00003']

async function startBroker(t: TestContext): Promise<RunningMosquitto & { homeDir: string }> {
  const homeDir = await mkdtemp(join(tmpdir(), 'isobar-mqtt-'))
  const devices = SENSORS.map(mqttDeviceName)
  const mosquitto = await startMosquitto({ homeDir, port: MQTT_PORT, devices })
  t.after(async () => {
    await stopMosquitto({ homeDir })
    await rm(homeDir, { recursive: true, force: true })
  })
  return { ...mosquitto, homeDir }
}

function startBridge(t: TestContext, broker: RunningMosquitto, fixture: IngestFixture, clientId: string): ChildProcess {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'packages/ingest/src/main.ts')], {
    env: {
      ...process.env,
      KAFKA_BOOTSTRAP_SERVERS: testBootstrapServers(),
      SCHEMA_REGISTRY_URL: fixture.registryUrl,
      MQTT_URL: broker.url,
      MQTT_USERNAME: broker.credentials.bridge.username,
      MQTT_PASSWORD: broker.credentials.bridge.password,
      MQTT_CLIENT_ID: clientId,
      MQTT_MAX_IN_FLIGHT: '50',
      INGEST_READINGS_TOPIC: fixture.readings,
      INGEST_DLQ_TOPIC: fixture.deadLetter,
      METRICS_PORT: String(METRICS_PORT),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
  })
  return child
}

async function waitReady(timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${METRICS_PORT}/ready`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error('ingest did not become ready')
}

async function device(
  t: TestContext,
  broker: RunningMosquitto,
  sensorId: string,
  password?: string,
): Promise<MqttClient> {
  const username = mqttDeviceName(sensorId)
  const client = await mqtt.connectAsync(broker.url, {
    protocolVersion: 5,
    clientId: `dev-${username}`,
    username,
    password: password ?? broker.credentials.devices[username] ?? '',
    reconnectPeriod: 0,
  })
  t.after(() => client.endAsync(true))
  return client
}

function topicOf(sensorId: string): string {
  const zone = sensorId.includes('.z2.') ? 's01.z2' : 's01.z1'
  return mqttReadingsTopic('s01', zone, sensorId)
}

async function publishAll(client: MqttClient, sensorId: string, from: number, to: number): Promise<void> {
  for (let sequence = from; sequence < to; sequence++) {
    await client.publishAsync(topicOf(sensorId), JSON.stringify(reading(sensorId, sequence)), { qos: 1 })
  }
}

function sequencesBySensor(records: ConsumedRecord[]): Map<string, number[]> {
  const seen = new Map<string, number[]>()
  for (const record of records) {
    const value = JSON.parse(decodeFrame(record.value).payload.toString()) as { sensorId: string; sequence: number }
    assert.equal(record.key?.toString(), value.sensorId)
    seen.set(value.sensorId, [...(seen.get(value.sensorId) ?? []), value.sequence])
  }
  return seen
}

test('MQTT readings at QoS 1 land once each in the readings topic; a malformed one goes to the DLQ', async (t) => {
  const broker = await startBroker(t)
  const fixture = await ingestFixture(t)
  startBridge(t, broker, fixture, `bridge-${fixture.readings}`)
  await waitReady()
  const perSensor = 100
  const clients = await Promise.all(SENSORS.map((s) => device(t, broker, s)))
  await Promise.all(clients.map((c, i) => publishAll(c, SENSORS[i] ?? '', 0, perSensor)))
  // A malformed payload and a reading that claims another sensor's identity.
  const [first] = clients
  assert.ok(first)
  await first.publishAsync(topicOf(SENSORS[0] ?? ''), '{"sensorId": "sim:s01.z1.temperature-00001", ', { qos: 1 })
  await first.publishAsync(topicOf(SENSORS[0] ?? ''), JSON.stringify(reading(SENSORS[1] ?? '', 1)), { qos: 1 })

  const records = await readTopic(fixture.readings, SENSORS.length * perSensor)
  assert.equal(records.length, SENSORS.length * perSensor)
  for (const [sensorId, sequences] of sequencesBySensor(records)) {
    assert.deepEqual(
      [...sequences].sort((a, b) => a - b),
      Array.from({ length: perSensor }, (_, i) => i),
      sensorId,
    )
    assert.equal(decodeFrame(records[0]?.value ?? null).schemaId, fixture.schemaId)
  }
  const dead = await readTopic(fixture.deadLetter, 2)
  assert.equal(dead.length, 2)
  const header = (r: ConsumedRecord | undefined, name: string) => r?.headers[name]?.toString()
  const codes = dead.map((r) => header(r, DLQ_HEADERS.errorCode)).sort()
  assert.deepEqual(codes, ['ISOBAR_INGEST_IDENTITY_MISMATCH', 'ISOBAR_SERDE_INVALID_JSON'])
  for (const r of dead) {
    assert.equal(header(r, 'isobar.mqtt.topic'), topicOf(SENSORS[0] ?? ''))
    assert.equal(header(r, 'isobar.mqtt.client.id'), mqttDeviceName(SENSORS[0] ?? ''))
    assert.ok((header(r, DLQ_HEADERS.errorMessage) ?? '').length > 0)
    assert.equal(header(r, DLQ_HEADERS.originalTopic), fixture.readings)
  }
  const metrics = await fetch(`http://127.0.0.1:${METRICS_PORT}/metrics`).then((r) => r.text())
  assert.match(metrics, /isobar_ingest_mqtt_acks_total\{[^}]*\} 302/)
})

test('the bridge SIGKILLed mid-stream and restarted loses no reading; duplicates stay within the window', async (t) => {
  const broker = await startBroker(t)
  const fixture = await ingestFixture(t)
  const clientId = `bridge-${fixture.readings}`
  const bridge = startBridge(t, broker, fixture, clientId)
  await waitReady()
  const perSensor = 400
  const clients = await Promise.all(SENSORS.map((s) => device(t, broker, s)))
  const publishing = Promise.all(clients.map((c, i) => publishAll(c, SENSORS[i] ?? '', 0, perSensor)))
  // Kill once part of the stream is in Kafka: mid-stream by construction, whatever the machine's speed.
  await readTopic(fixture.readings, 150)
  bridge.kill('SIGKILL')
  await new Promise((resolve) => bridge.once('exit', resolve))
  // Devices keep publishing into Mosquitto (the persistent session queues); then the bridge comes back.
  await publishing
  startBridge(t, broker, fixture, clientId)
  await waitReady()
  const total = SENSORS.length * perSensor
  const records = await readTopic(fixture.readings, total)
  const bySensor = sequencesBySensor(records)
  let duplicates = 0
  for (const sensorId of SENSORS) {
    const sequences = bySensor.get(sensorId) ?? []
    const distinct = new Set(sequences)
    assert.equal(distinct.size, perSensor, `${sensorId}: every sequence present`)
    duplicates += sequences.length - distinct.size
  }
  assert.equal(records.length, total + duplicates)
  assert.ok(duplicates <= 50, `duplicates ${duplicates} bounded by the in-flight window (50)`)
})

test("Mosquitto's ACL refuses a device publishing as another sensor, and a wrong password", async (t) => {
  const broker = await startBroker(t)
  const [own, other] = SENSORS
  assert.ok(own && other)
  const client = await device(t, broker, own)
  // MQTT 5: Mosquitto answers a denied QoS 1 publish with PUBACK reason 0x87 (not authorised).
  await assert.rejects(
    client.publishAsync(topicOf(other), JSON.stringify(reading(other, 1)), { qos: 1 }),
    (error: Error & { code?: number }) => error.code === 135,
  )
  await assert.rejects(device(t, broker, own, 'not-the-password'), /Bad User Name or Password|Not authorized/i)
})
