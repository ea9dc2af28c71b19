// Sink lag and rows/s of the history sink (docs/history.md): registry-framed window aggregates produced the way
// Sensor Analytics emits them at the default load (a burst of ~3,000 when the minute panes close) into a fresh
// topic of an existing cluster → Kafka Connect (Debezium JDBC sink + Isobar's converter) → PostgreSQL; per burst,
// the time from the burst's last acknowledged record to its last row in PostgreSQL, then one large burst for the
// sink's capacity. Everything it starts (PostgreSQL, the worker, the registry) is stopped at the end.
//
//   KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092 node scripts/bench-history.ts [bursts=3] [burst=3000] [capacity=20000]
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startRegistryProcess } from '@isobar/bench'
import { SchemaRegistryClient, createJsonValueEncoder, createKafkaClient, parseKafkaConfig } from '@isobar/core'
import {
  connectTopics,
  deployConnectors,
  ensureConnectPlugins,
  runPsql,
  startConnect,
  startPostgres,
  stopConnect,
  stopPostgres,
} from '@isobar/kafka-local'
import { windowAggregateV3, type WindowAggregate } from '@isobar/schemas'

const [bursts = 3, burstSize = 3_000, capacity = 20_000] = process.argv.slice(2).map(Number)
const bootstrap = process.env.KAFKA_BOOTSTRAP_SERVERS ?? '127.0.0.1:9092'
const DB_PORT = 30740
const CONNECT_PORT = 30741
const MINUTE = 60_000

const home = await mkdtemp(join(tmpdir(), 'isobar-bench-history-'))
await chmod(home, 0o755)
const prefix = `bench-history-${Date.now()}.`
const topic = `${prefix}sensors.aggregates`
const kafka = createKafkaClient(parseKafkaConfig({ bootstrapServers: bootstrap.split(','), clientId: 'bench-history' }))
const admin = kafka.admin()
const producer = kafka.producer()
const registry = await startRegistryProcess(fileURLToPath(new URL('../packages/registry/src/main.ts', import.meta.url)))
const rows = async (): Promise<number> =>
  Number((await runPsql({ homeDir: home, sql: 'SELECT count(*) FROM sensor_aggregates;' })).trim())

try {
  await admin.createTopics([{ name: topic, partitions: 6, replicationFactor: 1, configs: {} }])
  await ensureConnectPlugins()
  const db = await startPostgres({ homeDir: home, port: DB_PORT })
  const encode = await createJsonValueEncoder({
    registry: new SchemaRegistryClient({ url: registry.url }),
    subject: `${topic}-value`,
    schema: windowAggregateV3,
  })
  const worker = await startConnect({
    homeDir: home,
    bootstrapServers: bootstrap,
    port: CONNECT_PORT,
    groupId: `${prefix}connect`,
  })
  await deployConnectors({
    url: worker.url,
    namePrefix: prefix,
    only: ['isobar-history-aggregates'],
    variables: {
      topicPrefix: prefix,
      registryUrl: registry.url,
      jdbcUrl: `jdbc:postgresql://127.0.0.1:${db.port}/isobar`,
      dbUser: db.credentials.owner.username,
      dbPassword: db.credentials.owner.password,
      replicationFactor: '1',
    },
  })
  let window = 0
  const burst = async (size: number): Promise<{ size: number; lagMs: number; rowsPerS: number }> => {
    const start = Date.UTC(2026, 0, 1) + window++ * MINUTE
    const before = await rows()
    const values: WindowAggregate[] = Array.from({ length: size }, (_, i) => ({
      sensorId: `sim:s01.z${i % 20}.t-${i}`,
      field: 'temperatureC',
      scope: 'sensor',
      windowKind: 'tumbling',
      windowStartMs: start,
      windowEndMs: start + MINUTE,
      windowSizeMs: MINUTE,
      count: 6,
      min: 1,
      max: 3,
      mean: 2,
      stddev: 0.5,
      anomaly: { maxZ: 1, outliers: 0, flagged: false },
      emittedAtMs: Date.now(),
      final: true,
    }))
    const t0 = Date.now()
    for (let i = 0; i < values.length; i += 500) {
      await producer.send(
        values.slice(i, i + 500).map((value) => ({ topic, key: Buffer.from(value.sensorId), value: encode(value) })),
      )
    }
    const acked = Date.now()
    while ((await rows()) < before + size) await new Promise((resolve) => setTimeout(resolve, 100))
    const done = Date.now()
    return { size, lagMs: done - acked, rowsPerS: Math.round((size * 1000) / (done - t0)) }
  }
  await burst(100) // warm-up: the task's first batch opens its JDBC session
  for (let i = 0; i < bursts; i++) {
    const result = await burst(burstSize)
    process.stdout.write(`burst ${i + 1}: ${JSON.stringify(result)}\n`)
    await new Promise((resolve) => setTimeout(resolve, 10_000))
  }
  process.stdout.write(`capacity: ${JSON.stringify(await burst(capacity))}\n`)
} finally {
  await producer.close().catch(() => undefined)
  await stopConnect({ homeDir: home }).catch(() => undefined)
  await stopPostgres({ homeDir: home }).catch(() => undefined)
  await registry.close()
  await admin
    .deleteTopics([topic, `${prefix}history.dlq`, ...Object.values(connectTopics(`${prefix}connect`))])
    .catch(() => undefined)
  await admin.close()
  await rm(home, { recursive: true, force: true })
}
