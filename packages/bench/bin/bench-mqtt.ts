/**
 * MQTT → Kafka through the real edge: Mosquitto under a temporary home, the ingest service as its own process,
 * N device connections (one per sensor, own credentials) publishing at QoS 1, a Kafka consumer timing each
 * reading from the device's eventTimeMs (set just before publishing) to the moment it reads it. Fresh topics
 * (deleted afterwards), an in-memory registry:
 *   KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 node packages/ingest/bin/bench-mqtt.ts --devices 1000 --rate 1 --duration 60
 *   … --devices 100 --rate max --duration 30       # the bridge's saturation point (each device 10 in flight)
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { createKafkaClient, decodeFrame, JsonSerde, kafkaConfigFromEnv, SchemaRegistryClient } from '@isobar/core'
import { mqttDeviceName, mqttReadingsTopic, startMosquitto, stopMosquitto } from '@isobar/kafka-local'
import { startRegistryProcess } from '../src/registry-process.ts'
import { latestSchema } from '@isobar/schemas'
import mqtt, { type MqttClient } from 'mqtt'

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '1' },
    duration: { type: 'string', default: '60' },
    'mqtt-port': { type: 'string', default: '30640' },
    'metrics-port': { type: 'string', default: '30641' },
  },
})
const devices = Number(values.devices)
const max = values.rate === 'max'
const perDeviceHz = max ? 0 : Number(values.rate)
const durationMs = Number(values.duration) * 1000
const mqttPort = Number(values['mqtt-port'])
const metricsPort = Number(values['metrics-port'])
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const kafkaConfig = kafkaConfigFromEnv(process.env, { clientId: 'isobar-bench-mqtt' })
const kafka = createKafkaClient(kafkaConfig)
const suffix = Math.random().toString(36).slice(2, 8)
const readings = `bench-mqtt-readings-${suffix}`
const deadLetter = `bench-mqtt-dlq-${suffix}`
const admin = kafka.admin()
await admin.createTopics([
  { name: readings, partitions: 6, replicationFactor: 1, configs: {} },
  { name: deadLetter, partitions: 1, replicationFactor: 1, configs: {} },
])
// A throwaway in-memory registry as its own process (services are imported by nothing).
const registryProcess = await startRegistryProcess(
  fileURLToPath(new URL('../../registry/src/main.ts', import.meta.url)),
)
const registryUrl = registryProcess.url
await new JsonSerde({ registry: new SchemaRegistryClient({ url: registryUrl }) }).prepare(
  `${readings}-value`,
  latestSchema('sensors.readings'),
)
const homeDir = await mkdtemp(join(tmpdir(), 'isobar-bench-mqtt-'))
const sensors = Array.from({ length: devices }, (_, i) => `bench:s01.z${i % 10}.t-${String(i).padStart(5, '0')}`)
const broker = await startMosquitto({ homeDir, port: mqttPort, devices: sensors.map(mqttDeviceName) })
const ingest = spawn(process.execPath, [fileURLToPath(new URL('../../ingest/src/main.ts', import.meta.url))], {
  env: {
    ...process.env,
    SCHEMA_REGISTRY_URL: registryUrl,
    MQTT_URL: broker.url,
    MQTT_USERNAME: broker.credentials.bridge.username,
    MQTT_PASSWORD: broker.credentials.bridge.password,
    MQTT_CLIENT_ID: `bench-${suffix}`,
    INGEST_READINGS_TOPIC: readings,
    INGEST_DLQ_TOPIC: deadLetter,
    METRICS_PORT: String(metricsPort),
    LOG_LEVEL: 'warn',
  },
  stdio: ['ignore', 'inherit', 'inherit'],
})
for (let i = 0; ; i++) {
  if (
    await fetch(`http://127.0.0.1:${metricsPort}/ready`).then(
      (r) => r.ok,
      () => false,
    )
  )
    break
  if (i > 400) throw new Error('ingest did not become ready')
  await sleep(250)
}

const latencies: number[] = []
let consumed = 0
const consumer = kafka.consumer({ topics: [readings], from: 'earliest', maxWaitMs: 100 })
const reading = (async () => {
  for await (const record of consumer) {
    const now = Date.now()
    const value = JSON.parse(decodeFrame(record.value).payload.toString()) as { eventTimeMs: number }
    latencies.push(now - value.eventTimeMs)
    consumed++
  }
})()

const clients: MqttClient[] = []
for (let i = 0; i < sensors.length; i += 50) {
  const batch = sensors.slice(i, i + 50)
  clients.push(
    ...(await Promise.all(
      batch.map((sensorId) =>
        mqtt.connectAsync(broker.url, {
          protocolVersion: 5,
          clientId: `bench-dev-${i}-${sensorId}`,
          username: mqttDeviceName(sensorId),
          password: broker.credentials.devices[mqttDeviceName(sensorId)] ?? '',
        }),
      ),
    )),
  )
}
let published = 0
let acked = 0
const startedAt = Date.now()
const deadline = startedAt + durationMs
await Promise.all(
  sensors.map(async (sensorId, i) => {
    const client = clients[i]!
    const topic = mqttReadingsTopic('s01', sensorId.split('.')[1] ?? 'z0', sensorId)
    let sequence = 0
    const publishOne = async () => {
      published++
      const payload = JSON.stringify({ sensorId, sequence: sequence++, eventTimeMs: Date.now(), temperatureC: 21 })
      await client.publishAsync(topic, payload, { qos: 1 })
      acked++
    }
    if (max) {
      const lanes = Array.from({ length: 10 }, async () => {
        while (Date.now() < deadline) await publishOne()
      })
      await Promise.all(lanes)
      return
    }
    const intervalMs = 1000 / perDeviceHz
    let next = startedAt + (i / sensors.length) * intervalMs // spread devices over the interval
    const pending: Array<Promise<void>> = []
    while (next < deadline) {
      await sleep(Math.max(0, next - Date.now()))
      pending.push(publishOne())
      next += intervalMs
    }
    await Promise.all(pending)
  }),
)
const publishSeconds = (Date.now() - startedAt) / 1000
const drainDeadline = Date.now() + 120_000
while (consumed < published && Date.now() < drainDeadline) await sleep(200)
const totalSeconds = (Date.now() - startedAt) / 1000
const metricsText = await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.text())
const cpu = /process_cpu_seconds_total\{[^}]*\} ([\d.]+)/.exec(metricsText)?.[1]
const rss = /process_resident_memory_bytes\{[^}]*\} ([\d.]+)/.exec(metricsText)?.[1]
const sorted = [...latencies].sort((a, b) => a - b)
const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))] ?? null
process.stdout.write(
  `${JSON.stringify({
    devices,
    ratePerDevice: max ? 'max' : perDeviceHz,
    published,
    acked,
    consumed,
    publishSeconds,
    readingsPerSecond: Math.round(consumed / (max ? publishSeconds : totalSeconds)),
    latencyMs: { p50: pct(0.5), p99: pct(0.99), max: sorted.at(-1) ?? null },
    bridgeCpuSeconds: cpu === undefined ? null : Number(cpu),
    bridgeRssMiB: rss === undefined ? null : Math.round(Number(rss) / 1048576),
  })}\n`,
)

await Promise.all(clients.map((c) => c.endAsync(true)))
ingest.kill('SIGTERM')
await new Promise((resolve) => ingest.once('exit', resolve))
await consumer.close()
await reading.catch(() => undefined)
await stopMosquitto({ homeDir })
await rm(homeDir, { recursive: true, force: true })
await admin.deleteTopics([readings, deadLetter]).catch(() => undefined)
await admin.close()
await registryProcess.close()
