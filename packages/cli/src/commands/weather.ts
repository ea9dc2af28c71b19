import {
  WEATHER_SOURCE_DESCRIPTIONS as SOURCE_DESCRIPTIONS,
  WEATHER_SOURCE_NAMES as SOURCE_NAMES,
  isWeatherSourceName as isSourceName,
} from '@isobar/schemas'
import { flag, intOption, stringOption, type ParsedArgs } from '../args.ts'
import { commandGroup, type Command, type OptionDecls } from '../command.ts'
import { writeJson, writeLine } from '../context.ts'
import { UsageError } from '../errors.ts'
import { runWeatherProcess, type SourceSummary } from './weather-process.ts'
import { TopicNames } from '@isobar/schemas'

function numberOption(args: ParsedArgs, name: string, min: number): number | undefined {
  const raw = stringOption(args, name)
  if (raw === undefined) return undefined
  const value = Number(raw)
  if (!Number.isFinite(value) || value < min) throw new UsageError(`weather run: --${name} must be a number >= ${min}`)
  return value
}

function latLon(raw: string): { latitudeDeg: number; longitudeDeg: number } {
  const [lat, lon] = raw.split(',').map(Number)
  if (lat === undefined || lon === undefined || !Number.isFinite(lat) || !Number.isFinite(lon)) {
    throw new UsageError(`weather run: --openmeteo-location expects lat,lon, got "${raw}"`)
  }
  return { latitudeDeg: lat, longitudeDeg: lon }
}

const RUN_OPTIONS: OptionDecls = {
  sources: { type: 'string', value: 'LIST', description: `comma-separated: ${SOURCE_NAMES.join(',')}`, default: 'sim' },
  stations: { type: 'string', value: 'N', description: 'simulated stations', default: '10' },
  rate: { type: 'string', value: 'R', description: 'simulator records/s, 0 = unpaced', default: '10' },
  speedup: {
    type: 'string',
    value: 'X',
    description: 'simulator clock speed-up; replay: days per second',
    default: '1',
  },
  seed: { type: 'string', value: 'N', description: 'simulator seed', default: '42' },
  duration: {
    type: 'string',
    value: 'S',
    description: 'stop after S seconds',
    default: 'when the sources end, or on a signal',
  },
  'metar-file': { type: 'string', value: 'F', description: 'METAR text file, "-" for stdin' },
  'metar-url': { type: 'string', value: 'U', description: 'poll an aviationweather.gov-style raw METAR endpoint' },
  'metar-stations': {
    type: 'string',
    value: 'F',
    description: 'station list: CSV icao,lat,lon[,elev] or weather-util stations(.gz)',
  },
  'replay-file': {
    type: 'string',
    value: 'F',
    description: 'weather.csv layout',
    default: '@observablehq/sample-datasets weather.csv',
  },
  'replay-location': { type: 'string', value: 'L', description: 'rows of this location', default: 'Seattle' },
  'openmeteo-url': {
    type: 'string',
    value: 'U',
    description: 'Open-Meteo forecast endpoint',
    default: 'api.open-meteo.com',
  },
  'openmeteo-location': { type: 'string', value: 'L', description: 'lat,lon to poll', default: '52.52,13.41' },
  'openmeteo-interval': { type: 'string', value: 'MS', description: 'polling interval', default: '900000' },
  topic: { type: 'string', value: 'T', description: 'observations topic', default: TopicNames.WEATHER_OBSERVATIONS },
  'dlq-topic': { type: 'string', value: 'T', description: 'dead-letter topic', default: TopicNames.WEATHER_DLQ },
  partitions: {
    type: 'string',
    value: 'N',
    description: 'partitions when creating the observations topic',
    default: '6',
  },
  'metrics-port': { type: 'string', value: 'P', description: 'serve /metrics, /health, /ready on 127.0.0.1:P' },
  'alerts-topic': {
    type: 'string',
    value: 'T',
    description: 'weather alerts topic',
    default: TopicNames.WEATHER_ALERTS,
  },
  'alert-rules': {
    type: 'string',
    value: 'FILE',
    description: 'alert rules YAML/JSON',
    default: 'packages/weather-streamer/rules/weather-alerts.yaml',
  },
  registry: {
    type: 'boolean',
    description: 'validate and frame with the Schema Registry (SCHEMA_REGISTRY_URL); default plain JSON',
  },
  'no-alerts': { type: 'boolean', description: 'do not evaluate weather alerts' },
  json: { type: 'boolean', description: 'print the summary as JSON' },
}

const run: Command = {
  name: 'run',
  summary: 'Run the weather sources into Kafka until stopped',
  options: RUN_OPTIONS,
  notes: [
    'Runs the Weather Streamer: observations to weather.observations (keyed by station), refused records to',
    'weather.dlq. SIGINT/SIGTERM (or --duration) stops the sources, flushes everything and prints a summary.',
  ].join('\n'),
  async run(args, ctx) {
    const sources = (stringOption(args, 'sources') ?? 'sim').split(',').map((s) => s.trim())
    const unknown = sources.filter((s) => !isSourceName(s))
    if (unknown.length > 0) throw new UsageError(`weather run: unknown source(s) ${unknown.join(', ')}`)
    const speedup = numberOption(args, 'speedup', 0)
    const location = stringOption(args, 'openmeteo-location')
    // Validated by the service itself (its main.ts), which reports a refused config as exit code 2.
    const config = {
      sources,
      durationS: numberOption(args, 'duration', 0) ?? 0,
      topics: {
        ...(stringOption(args, 'topic') ? { observations: stringOption(args, 'topic') } : {}),
        ...(stringOption(args, 'dlq-topic') ? { deadLetter: stringOption(args, 'dlq-topic') } : {}),
        partitions: intOption(args, 'weather run', 'partitions', 6),
      },
      alerts: {
        enabled: !flag(args, 'no-alerts'),
        ...(stringOption(args, 'alerts-topic') ? { topic: stringOption(args, 'alerts-topic') } : {}),
        ...(stringOption(args, 'alert-rules') ? { rulesFile: stringOption(args, 'alert-rules') } : {}),
      },
      sim: {
        stations: intOption(args, 'weather run', 'stations', 10),
        rate: numberOption(args, 'rate', 0) ?? 10,
        speedup: speedup ?? 1,
        seed: intOption(args, 'weather run', 'seed', 42, 0),
      },
      metar: {
        input: stringOption(args, 'metar-url') ?? stringOption(args, 'metar-file'),
        stationsFile: stringOption(args, 'metar-stations'),
      },
      replay: {
        ...(stringOption(args, 'replay-file') ? { file: stringOption(args, 'replay-file') } : {}),
        location: stringOption(args, 'replay-location') ?? 'Seattle',
        timeScale: speedup === undefined ? 86400 : speedup * 86400,
      },
      openmeteo: {
        ...(stringOption(args, 'openmeteo-url') ? { url: stringOption(args, 'openmeteo-url') } : {}),
        ...(location ? { locations: [latLon(location)] } : {}),
        intervalMs: intOption(args, 'weather run', 'openmeteo-interval', 900_000, 100),
      },
      // Without --metrics-port an ephemeral port, so a running `npm start` (9464) is never in the way.
      metricsPort: intOption(args, 'weather run', 'metrics-port', 0, 0),
    }
    await ctx.kafka() // fails fast, with one line, when Kafka is not reachable
    const summary = await runWeatherProcess(ctx, {
      config,
      registry: flag(args, 'registry') || ctx.env.SCHEMA_REGISTRY_URL !== undefined,
      printMetricsUrl: stringOption(args, 'metrics-port') !== undefined,
    })
    printSummary(ctx, summary, flag(args, 'json'))
    return summary.some((s) => s.state === 'failed' || s.failed > 0) ? 1 : 0
  },
}

function printSummary(ctx: Parameters<Command['run']>[1], summary: SourceSummary[], json: boolean): void {
  if (json) {
    writeJson(ctx.stdout, { summary })
    return
  }
  for (const s of summary) {
    writeLine(
      ctx.stdout,
      `${s.source.padEnd(10)} ${s.state.padEnd(8)} produced=${s.produced} delivered=${s.delivered} failed=${s.failed} ` +
        `retried=${s.retried} dead-lettered=${s.deadLettered}${s.error ? ` error=${s.error}` : ''}`,
    )
  }
}

const sources: Command = {
  name: 'sources',
  summary: 'List the weather sources',
  options: {
    json: { type: 'boolean', description: 'print JSON' },
  },
  async run(args, ctx) {
    const list = SOURCE_NAMES.map((name) => ({ name, description: SOURCE_DESCRIPTIONS[name] }))
    if (flag(args, 'json')) writeJson(ctx.stdout, list)
    else for (const s of list) writeLine(ctx.stdout, `${s.name.padEnd(10)} ${s.description}`)
    return Promise.resolve(0)
  },
}

export const weatherCommand = commandGroup('weather', 'Weather Streamer: sources of weather observations', [
  run,
  sources,
])
