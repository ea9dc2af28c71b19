import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { createMetricsRegistry, DLQ_HEADERS, SchemaRegistryClient, silentLogger } from '@isobar/core'
import { MemorySchemaLog, Registry, buildRegistryApp } from '@isobar/registry'
import { testKafkaClient } from '@isobar/testing'
import {
  OBSERVATION_SUBJECT,
  REASON_HEADER_PREFIX,
  SOURCE_HEADER,
  buildWeatherStreamer,
  defaultReplayFile,
  loadStationTable,
  metarSource,
  parseWeatherConfig,
  plainJsonEncoder,
  registryEncoder,
  replaySource,
  simulatorSource,
  type WeatherObservation,
  type WeatherSource,
} from '@isobar/weather-streamer'
import { vendoredMetarReports } from './helpers.ts'
import { alertsTopic, readAll, weatherTopics } from './kafka-helpers.ts'

const here = dirname(fileURLToPath(import.meta.url))
const BATCHING = { maxRecords: 500, maxBytes: 1_048_576, lingerMs: 5, maxInFlight: 4 }

function realMetarText(): string {
  return vendoredMetarReports(['metar']).join('\n')
}

/** One observation breaking two schema rules: it must reach the DLQ with one header per reason. */
const invalidSource: WeatherSource = {
  name: 'openmeteo',
  async run(ctx) {
    const bad = {
      stationId: 'open-meteo:1,2',
      source: 'open-meteo',
      eventTimeMs: 1_764_064_800_000,
      ingestTimeMs: ctx.now(),
      location: { latitudeDeg: 1, longitudeDeg: 2 },
      temperatureC: 20,
      relativeHumidityPct: 150,
      windSpeedMps: -3,
    } satisfies WeatherObservation
    await ctx.emit(bad)
  },
}

test('every source produces into Kafka through the registry serde; invalid records land in the DLQ', async (t) => {
  const schemaRegistry = new Registry(new MemorySchemaLog(), { timeoutMs: 2000 })
  await schemaRegistry.start()
  const registryApp = buildRegistryApp({ registry: schemaRegistry })
  const url = await registryApp.listen({ port: 0, host: '127.0.0.1' })
  t.after(() => registryApp.close())
  const dir = await mkdtemp(join(tmpdir(), 'weather-app-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const metarFile = join(dir, 'metar.txt')
  await writeFile(metarFile, realMetarText())

  const topics = weatherTopics(t)
  const config = parseWeatherConfig({
    sources: ['sim'],
    topics: { ...topics, partitions: 3 },
    alerts: { topic: alertsTopic(t) },
  })
  const encoder = await registryEncoder(new SchemaRegistryClient({ url, timeoutMs: 120_000 }))
  const replayFile = defaultReplayFile()
  assert.ok(replayFile)
  const streamer = buildWeatherStreamer({
    kafka: testKafkaClient(),
    encoder,
    metrics: createMetricsRegistry('weather-test', { runtimeMetrics: false }),
    logger: silentLogger(),
    config,
    batching: BATCHING,
    sources: [
      simulatorSource({
        stations: 10,
        seed: 1,
        rate: 0,
        speedup: 60,
        maxRecords: 300,
        startTimeMs: Date.UTC(2026, 0, 1),
      }),
      replaySource({ path: replayFile, timeScale: 0, maxRecords: 100 }),
      metarSource({
        input: { kind: 'file', path: metarFile },
        stations: await loadStationTable(join(here, 'fixtures', 'metar-stations.conf')),
        receivedMs: Date.UTC(2026, 10, 25, 12),
      }),
      invalidSource,
    ],
  })
  const startedAt = Date.now()
  await streamer.start()
  await streamer.finished()
  const summary = await streamer.stop()
  const by = Object.fromEntries(summary.map((s) => [s.source, s]))
  assert.equal(by.sim?.delivered, 300)
  assert.equal(by.replay?.delivered, 100)
  assert.ok(by.metar!.delivered > 10, `metar delivered ${by.metar?.delivered}`)
  assert.ok(by.metar!.deadLettered >= 1, 'the EFxx stations missing from the list are dead-lettered')
  assert.equal(by.openmeteo?.deadLettered, 1)
  assert.equal(by.openmeteo?.produced, 0)
  for (const s of summary) assert.equal(s.failed, 0)

  const records = await readAll(topics.observations)
  const delivered = summary.reduce((n, s) => n + s.delivered, 0)
  assert.equal(records.length, delivered)
  const stationIds = new Set<string>()
  for (const record of records) {
    const { schemaId, value } = await encoder.serde.deserialize<WeatherObservation>(record.value)
    assert.equal(schemaId, encoder.schemaId)
    assert.equal(record.key?.toString(), value.stationId, 'keyed by station')
    // Historical and simulated event times are far from now: the record timestamp is the ingest time then.
    assert.ok(record.timestamp >= startedAt && record.timestamp <= Date.now(), 'record timestamp = time of ingest')
    stationIds.add(value.stationId)
  }
  assert.ok(stationIds.has('ghcnd:USW00024233'))
  assert.ok([...stationIds].some((id) => id.startsWith('metar:EF')))
  assert.equal(
    await encoder.serde.registry.getVersion(OBSERVATION_SUBJECT, 'latest').then((v) => v.id),
    encoder.schemaId,
  )

  const dead = await readAll(topics.deadLetter)
  assert.equal(
    dead.length,
    summary.reduce((n, s) => n + s.deadLettered, 0),
  )
  const invalid = dead.find((r) => r.headers[SOURCE_HEADER]?.toString() === 'openmeteo')
  assert.ok(invalid, 'the invalid observation is in the DLQ')
  const reasons = Object.keys(invalid.headers).filter((h) => h.startsWith(REASON_HEADER_PREFIX))
  assert.equal(reasons.length, 2, 'one header per violated rule')
  assert.match(invalid.headers[`${REASON_HEADER_PREFIX}0`]!.toString(), /relativeHumidityPct|windSpeedMps/)
  assert.equal(invalid.headers[DLQ_HEADERS.originalTopic]?.toString(), topics.observations)
  assert.equal(invalid.headers[DLQ_HEADERS.errorCode]?.toString(), 'ISOBAR_SERDE_SCHEMA_VIOLATION')
  assert.equal(JSON.parse(invalid.value!.toString()).relativeHumidityPct, 150)
  const unknownStation = dead.find(
    (r) => r.headers[DLQ_HEADERS.errorCode]?.toString() === 'ISOBAR_WEATHER_UNKNOWN_STATION',
  )
  assert.ok(unknownStation, 'a METAR from a station without coordinates is dead-lettered with its raw text')
  assert.match(JSON.parse(unknownStation.value!.toString()).raw, /^(METAR )?EF/)
})

test('stop() while an unpaced simulator runs flushes everything: every produced record is acknowledged', async (t) => {
  const topics = weatherTopics(t)
  const metrics = createMetricsRegistry('weather-test', { runtimeMetrics: false })
  const streamer = buildWeatherStreamer({
    kafka: testKafkaClient(),
    encoder: plainJsonEncoder(),
    metrics,
    logger: silentLogger(),
    config: parseWeatherConfig({ topics: { ...topics, partitions: 2 }, alerts: { topic: alertsTopic(t) } }),
    batching: { ...BATCHING, maxRecords: 200 },
    sources: [simulatorSource({ stations: 50, seed: 5, rate: 0, speedup: 1 })],
  })
  await streamer.start()
  while ((streamer.summary()[0]?.delivered ?? 0) < 2000) await new Promise((resolve) => setTimeout(resolve, 20))
  const [sim] = await streamer.stop()
  assert.equal(sim?.state, 'stopped')
  assert.ok(sim.produced > sim.delivered - 1 && sim.produced >= 2000)
  assert.equal(sim?.delivered, sim?.produced, 'nothing accepted is lost')
  assert.equal(sim?.failed, 0)
  assert.equal((await readAll(topics.observations)).length, sim?.produced)
  const text = await metrics.metrics()
  assert.match(text, /isobar_weather_records_delivered_total\{source="sim",service="weather-test"\} \d+/)
  assert.match(text, /isobar_weather_batch_size_records_count/)
  assert.match(text, /isobar_weather_in_flight_records\{service="weather-test"\} 0/)
})
