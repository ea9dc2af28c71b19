/**
 * Throughput of each source into Kafka (records/s acknowledged), plain JSON values validated against the
 * observation schema. Each source runs alone, unpaced, into a fresh topic (deleted afterwards):
 *   KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:29092 node packages/weather-streamer/bin/bench-throughput.ts [--records N]
 * sim: N records from 100 stations. replay: the Seattle rows of weather.csv, repeated until N. metar: ~70 real
 * reports from npm parser test files, re-timed so every copy is a distinct report. openmeteo: a 127.0.0.1 stub
 * answering a new model time on every request (measures the poll + parse + produce path, one request per record).
 */
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createKafkaClient, createMetricsRegistry, kafkaConfigFromEnv, silentLogger } from '@isobar/core'
import {
  buildWeatherStreamer,
  defaultReplayFile,
  metarSource,
  openMeteoSource,
  parseStationTable,
  parseWeatherConfig,
  plainJsonEncoder,
  replaySource,
  simulatorSource,
  type WeatherSource,
} from '../src/index.ts'

const { values } = parseArgs({ options: { records: { type: 'string', default: '50000' } } })
const N = Number(values.records)
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const kafkaConfig = kafkaConfigFromEnv(process.env, { clientId: 'weather-bench' })
const kafka = createKafkaClient(kafkaConfig)
const dir = await mkdtemp(join(tmpdir(), 'weather-bench-'))

async function measure(name: string, source: WeatherSource): Promise<void> {
  const suffix = Math.random().toString(36).slice(2, 8)
  const topics = { observations: `bench-weather-${suffix}`, deadLetter: `bench-weather-dlq-${suffix}`, partitions: 6 }
  const streamer = buildWeatherStreamer({
    kafka,
    encoder: plainJsonEncoder(),
    metrics: createMetricsRegistry('weather-bench', { runtimeMetrics: false }),
    logger: silentLogger(),
    config: parseWeatherConfig({ topics }),
    sources: [source],
    batching: { ...kafkaConfig.batch, maxInFlight: kafkaConfig.maxInFlight },
  })
  await streamer.start()
  const started = performance.now()
  await streamer.finished()
  const [summary] = await streamer.stop()
  const seconds = (performance.now() - started) / 1000
  const admin = kafka.admin()
  await admin.deleteTopics([topics.observations, topics.deadLetter]).catch(() => undefined)
  await admin.close()
  const rate = Math.round((summary?.delivered ?? 0) / seconds)
  console.log(
    `${name.padEnd(10)} delivered=${summary?.delivered} dead-lettered=${summary?.deadLettered} failed=${summary?.failed} ` +
      `in ${seconds.toFixed(2)} s = ${rate} records/s`,
  )
}

// sim
await measure('sim', simulatorSource({ stations: 100, seed: 1, rate: 0, speedup: 1, maxRecords: N }))

// replay: weather.csv Seattle rows, file repeated until N rows
const csv = readFileSync(defaultReplayFile()!, 'utf8').split('\n')
const seattle = csv.filter((l) => l.startsWith('Seattle,'))
const replayFile = join(dir, 'weather.csv')
await writeFile(
  replayFile,
  [csv[0], ...Array.from({ length: Math.ceil(N / seattle.length) }, () => seattle).flat()].slice(0, N + 1).join('\n'),
)
await measure('replay', replaySource({ path: replayFile, timeScale: 0 }))

// metar: real reports (vendored under test/fixtures/metar/), re-timed (minute and day) so each copy is distinct
const reports = [
  ...new Set(
    ['aewx-metar-parser', 'metar']
      .flatMap((f) =>
        readFileSync(join(repo, 'packages/weather-streamer/test/fixtures/metar', `${f}.txt`), 'utf8').split('\n'),
      )
      .filter((r) => /^(METAR |SPECI )?(K|C|E)[A-Z0-9]{3} \d{6}Z/.test(r)),
  ),
]
const lines: string[] = []
for (let i = 0; lines.length < N; i++) {
  const r = reports[i % reports.length]!
  const copy = Math.floor(i / reports.length)
  lines.push(
    r.replace(/ (\d{2})(\d{2})(\d{2})Z/, (_m, _d: string, h: string) => {
      const day = String((copy % 28) + 1).padStart(2, '0')
      const minute = String(Math.floor(copy / 28) % 60).padStart(2, '0')
      return ` ${day}${h}${minute}Z`
    }),
  )
}
const metarFile = join(dir, 'metar.txt')
await writeFile(metarFile, lines.join('\n'))
const stations = parseStationTable(
  readFileSync(join(repo, 'packages/weather-streamer/test/fixtures/metar-stations.conf'), 'utf8'),
)
await measure(
  'metar',
  metarSource({ input: { kind: 'file', path: metarFile }, stations, receivedMs: Date.UTC(2026, 10, 28) }),
)

// openmeteo: local stub, a new model time per request
let t = 1_764_064_800
const server = createServer((_req, res) => {
  t += 900
  res.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      latitude: 52.52,
      longitude: 13.42,
      elevation: 38,
      utc_offset_seconds: 0,
      current_units: { time: 'unixtime', temperature_2m: '°C', wind_speed_10m: 'm/s', surface_pressure: 'hPa' },
      current: { time: t, interval: 900, temperature_2m: 4.2, wind_speed_10m: 3.1, surface_pressure: 1006 },
    }),
  )
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const polls = Math.min(N, 5000)
await measure(
  'openmeteo',
  openMeteoSource({
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/forecast`,
    locations: [{ latitudeDeg: 52.52, longitudeDeg: 13.41 }],
    intervalMs: 0,
    maxPolls: polls,
  }),
)
server.close()
await rm(dir, { recursive: true, force: true })
