/**
 * The history sink end to end, with real parts: registry-framed aggregates and alerts (Isobar's serde, the
 * catalogue's schemas, Isobar's registry as a process) → the shared test broker → a Kafka Connect worker in
 * distributed mode running the Debezium JDBC sink with Isobar's converter → PostgreSQL 15. Then the worker is
 * SIGKILLed, restarted, and gets more records plus redeliveries: one row per window still.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { startRegistryProcess } from '@isobar/bench'
import { SchemaRegistryClient, createJsonValueEncoder } from '@isobar/core'
import {
  DEFAULT_POSTGRES_BIN_DIR,
  connectStatus,
  connectTopics,
  deployConnectors,
  ensureConnectPlugins,
  runPsql,
  startConnect,
  startPostgres,
  stopConnect,
  stopPostgres,
} from '@isobar/kafka-local'
import {
  alertV2,
  weatherObservationV2,
  windowAggregateV3,
  type Alert,
  type WeatherObservation,
  type WindowAggregate,
} from '@isobar/schemas'
import { testBootstrapServers, testKafkaClient, uniqueTopicName } from '@isobar/testing'

const exec = promisify(execFile)
// Fixed ports from the range this work was given (30700–30749).
const DB_PORT = 30720
const CONNECT_PORT = 30721
const WAIT_MS = 240_000

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last = ''
  for (;;) {
    try {
      const value = await probe()
      if (value !== undefined) return value
    } catch (error) {
      last = error instanceof Error ? error.message : String(error)
    }
    if (Date.now() > deadline) throw new Error(`${what}: not reached in ${timeoutMs} ms (${last})`)
    await new Promise((resolve) => setTimeout(resolve, 1_000))
  }
}

const MINUTE = 60_000
const T0 = Date.UTC(2026, 11, 4, 10, 0, 0)

function aggregate(sensor: number, field: 'temperatureC' | 'co2Ppm', window: number, final: boolean): WindowAggregate {
  const start = T0 + window * MINUTE
  return {
    sensorId: `sim:s01.z1.t-${sensor}`,
    field,
    scope: 'sensor',
    zoneId: 's01.z1',
    windowKind: 'tumbling',
    windowStartMs: start,
    windowEndMs: start + MINUTE,
    windowSizeMs: MINUTE,
    count: 6,
    min: 10 + sensor,
    max: 20 + sensor + window,
    mean: 15.5 + window,
    stddev: 1.25,
    p95: 19.75,
    anomaly: { maxZ: 1.5, outliers: 0, flagged: false, anomalousReadings: 0, maxScore: 0.25 },
    emittedAtMs: start + MINUTE + 5_000 + (final ? 1 : 0),
    final,
  }
}

test('aggregates and alerts reach PostgreSQL through Kafka Connect, one row per window across a worker SIGKILL', async (t) => {
  const home = await mkdtemp(join(tmpdir(), 'isobar-history-'))
  // As root, PostgreSQL runs as `postgres`, who must be able to enter the home.
  await chmod(home, 0o755)
  const prefix = `${uniqueTopicName('hist')}.`
  const aggregatesTopic = `${prefix}sensors.aggregates`
  const alertsTopic = `${prefix}sensors.alerts`
  const observationsTopic = `${prefix}weather.observations`
  const dlqTopic = `${prefix}history.dlq`
  const group = `${prefix}connect`
  const admin = testKafkaClient().admin()
  await admin.createTopics([
    { name: aggregatesTopic, partitions: 1, replicationFactor: 1, configs: {} },
    { name: alertsTopic, partitions: 1, replicationFactor: 1, configs: {} },
    { name: observationsTopic, partitions: 1, replicationFactor: 1, configs: {} },
  ])
  const registry = await startRegistryProcess(
    fileURLToPath(new URL('../../registry/src/main.ts', import.meta.url)),
    60_000,
  )
  const producer = testKafkaClient().producer()
  t.after(async () => {
    await producer.close().catch(() => undefined)
    await stopConnect({ homeDir: home }).catch(() => undefined)
    await stopPostgres({ homeDir: home }).catch(() => undefined)
    await registry.close()
    const topics = [aggregatesTopic, alertsTopic, observationsTopic, dlqTopic, ...Object.values(connectTopics(group))]
    await admin.deleteTopics(topics).catch(() => undefined)
    await admin.close()
    await rm(home, { recursive: true, force: true })
  })

  await ensureConnectPlugins()
  const db = await startPostgres({ homeDir: home, port: DB_PORT })
  const client = new SchemaRegistryClient({ url: registry.url })
  const encodeAggregate = await createJsonValueEncoder({
    registry: client,
    subject: `${aggregatesTopic}-value`,
    schema: windowAggregateV3,
  })
  const encodeAlert = await createJsonValueEncoder({
    registry: client,
    subject: `${alertsTopic}-value`,
    schema: alertV2,
  })
  const sendAggregates = (values: WindowAggregate[]) =>
    producer.send(
      values.map((value) => ({
        topic: aggregatesTopic,
        key: Buffer.from(value.sensorId),
        value: encodeAggregate(value),
      })),
    )

  // 3 sensors × 2 fields × 4 windows, not final yet.
  const first: WindowAggregate[] = []
  for (let sensor = 0; sensor < 3; sensor++)
    for (const field of ['temperatureC', 'co2Ppm'] as const)
      for (let window = 0; window < 4; window++) first.push(aggregate(sensor, field, window, false))
  await sendAggregates(first)
  const alert = (state: 'firing' | 'resolved', raisedAtMs: number): Alert => ({
    alertId: '6d1f7a52-2f7e-4c38-9d53-0c0b6f0e7a10',
    ruleId: 'co2-high',
    entityId: 'sim:s01.z1.t-1',
    state,
    change: state === 'firing' ? 'fired' : 'resolved',
    severity: 'warning',
    field: 'co2Ppm',
    value: 1_450,
    threshold: 1_200,
    eventTimeMs: raisedAtMs - 1_000,
    raisedAtMs,
  })
  const alerts = [alert('firing', T0 + 90_000), alert('resolved', T0 + 300_000), alert('firing', T0 + 90_000)]
  await producer.send(
    alerts.map((value) => ({ topic: alertsTopic, key: Buffer.from(value.entityId), value: encodeAlert(value) })),
  )

  const encodeObservation = await createJsonValueEncoder({
    registry: client,
    subject: `${observationsTopic}-value`,
    schema: weatherObservationV2,
  })
  const observation: WeatherObservation = {
    stationId: 'metar:KSEA',
    source: 'metar',
    eventTimeMs: T0,
    ingestTimeMs: T0 + 2_000,
    location: { latitudeDeg: 47.45, longitudeDeg: -122.31 },
    temperatureC: 7.5,
    windGustMps: 12.5,
  }
  // Sent twice (a redelivery): one row.
  await producer.send(
    [observation, observation].map((value) => ({
      topic: observationsTopic,
      key: Buffer.from(value.stationId),
      value: encodeObservation(value),
    })),
  )

  const worker = await startConnect({
    homeDir: home,
    bootstrapServers: testBootstrapServers(),
    port: CONNECT_PORT,
    groupId: group,
    heapMb: 320,
  })
  const variables = {
    topicPrefix: prefix,
    registryUrl: registry.url,
    jdbcUrl: `jdbc:postgresql://127.0.0.1:${db.port}/isobar`,
    dbUser: db.credentials.owner.username,
    dbPassword: db.credentials.owner.password,
    replicationFactor: '1',
  }
  const deployed = await deployConnectors({
    url: worker.url,
    variables,
    namePrefix: prefix,
    timeoutMs: WAIT_MS,
  })
  assert.deepEqual(
    deployed.map((d) => [d.name, d.created, d.state]),
    [
      [`${prefix}isobar-history-aggregates`, true, 'RUNNING'],
      [`${prefix}isobar-history-alerts`, true, 'RUNNING'],
      [`${prefix}isobar-history-observations`, true, 'RUNNING'],
    ],
  )
  // Deploying again is an update, not a second connector.
  const again = await deployConnectors({
    url: worker.url,
    variables,
    namePrefix: prefix,
    only: ['isobar-history-aggregates'],
    timeoutMs: WAIT_MS,
  })
  assert.equal(again[0]?.created, false)

  const count = async (table: string): Promise<number> =>
    Number((await runPsql({ homeDir: home, sql: `SELECT count(*) FROM ${table};` })).trim())
  await until('24 aggregate rows', async () => ((await count('sensor_aggregates')) === 24 ? true : undefined))
  const row = (
    await runPsql({
      homeDir: home,
      sql:
        'SELECT sensor_id, field, window_kind, window_end_ms - window_start_ms, count, mean, p95, anomaly_max_z, ' +
        "final, window_start FROM sensor_aggregates WHERE sensor_id = 'sim:s01.z1.t-2' AND field = 'co2Ppm' " +
        `AND window_start_ms = ${T0 + 3 * MINUTE};`,
    })
  ).trim()
  assert.equal(row, 'sim:s01.z1.t-2\tco2Ppm\ttumbling\t60000\t6\t18.5\t19.75\t1.5\tf\t2026-12-04 10:03:00+00')
  // The duplicate alert event is one row: two rows for firing and resolved.
  await until('2 alert rows', async () => ((await count('alerts')) === 2 ? true : undefined))
  assert.equal(
    (await runPsql({ homeDir: home, sql: 'SELECT state, severity, value FROM alerts ORDER BY raised_at_ms;' })).trim(),
    'firing\twarning\t1450\nresolved\twarning\t1450',
  )

  await until('1 observation row', async () => ((await count('weather_observations')) === 1 ? true : undefined))
  assert.equal(
    (
      await runPsql({
        homeDir: home,
        sql: 'SELECT station_id, location_latitude_deg, location_elevation_m IS NULL, temperature_c, wind_gust_mps, event_time FROM weather_observations;',
      })
    ).trim(),
    'metar:KSEA\t47.45\tt\t7.5\t12.5\t2026-12-04 10:00:00+00',
  )

  // Crash: SIGKILL the worker (no shutdown, no offset commit), restart it on the same home and group.
  const status = await connectStatus({ homeDir: home })
  assert.equal(status.pid, worker.pid)
  process.kill(worker.pid, 'SIGKILL')
  await until('the worker gone', async () => ((await connectStatus({ homeDir: home })).running ? undefined : true))
  // While it is down: new windows, every first window redelivered as is, and the last ones now final.
  const more: WindowAggregate[] = []
  for (let sensor = 0; sensor < 3; sensor++)
    for (const field of ['temperatureC', 'co2Ppm'] as const)
      for (let window = 4; window < 6; window++) more.push(aggregate(sensor, field, window, false))
  const redelivered = first.filter((a) => a.windowStartMs === T0)
  const finals = first.filter((a) => a.windowStartMs === T0 + 3 * MINUTE).map((a) => ({ ...a, final: true }))
  await sendAggregates([...more, ...redelivered, ...finals])
  // A record that is not in the registry's wire format goes to the connector's dead-letter topic, with why.
  await producer.send([{ topic: aggregatesTopic, key: Buffer.from('bad'), value: Buffer.from('{"not":"framed"}') }])
  const sentinel = aggregate(9, 'temperatureC', 9, true)
  await sendAggregates([sentinel])

  const restarted = await startConnect({
    homeDir: home,
    bootstrapServers: testBootstrapServers(),
    port: CONNECT_PORT,
    groupId: group,
    heapMb: 320,
  })
  assert.notEqual(restarted.pid, worker.pid)
  // One partition: the sentinel, produced last, arrives after everything before it.
  await until('the sentinel row', async () =>
    (
      await runPsql({ homeDir: home, sql: `SELECT 1 FROM sensor_aggregates WHERE sensor_id = '${sentinel.sensorId}';` })
    ).trim() === '1'
      ? true
      : undefined,
  )
  const windows = new Set(
    [...first, ...more, ...redelivered, ...finals, sentinel].map(
      (a) => `${a.sensorId}|${a.field}|${a.windowKind}|${a.windowStartMs}|${a.windowEndMs}`,
    ),
  )
  assert.equal(windows.size, 24 + 12 + 1)
  assert.equal(await count('sensor_aggregates'), windows.size)
  assert.equal(
    (await runPsql({ homeDir: home, sql: `SELECT count(*) FROM sensor_aggregates WHERE final;` })).trim(),
    String(finals.length + 1),
  )

  const consumer = testKafkaClient().consumer({
    groupId: `${prefix}dlq-check`,
    topics: [dlqTopic],
    from: 'earliest',
    autocommitMs: false,
  })
  try {
    const next = await consumer[Symbol.asyncIterator]().next()
    assert.equal(next.done, false)
    const dead = next.value
    assert.equal(dead.value?.toString(), '{"not":"framed"}')
    const header = (name: string) => dead.headers[name]?.toString()
    assert.equal(header('__connect.errors.topic'), aggregatesTopic)
    assert.match(header('__connect.errors.exception.message') ?? '', /magic byte 123/)
  } finally {
    await consumer.close()
  }

  // The read-only role reads over TCP with its password and cannot write.
  const reader = ['-X', '-At', '-h', '127.0.0.1', '-p', String(db.port), '-U', 'isobar_reader', '-d', 'isobar', '-c']
  const env = { ...process.env, PGPASSWORD: db.credentials.reader.password }
  const psql = join(DEFAULT_POSTGRES_BIN_DIR, 'psql')
  const read = await exec(psql, [...reader, 'SELECT count(*) FROM alerts'], { env })
  assert.equal(read.stdout.trim(), '2')
  await assert.rejects(
    exec(psql, [...reader, "DELETE FROM alerts WHERE state = 'resolved'"], { env }),
    /permission denied for table alerts/,
  )
})
