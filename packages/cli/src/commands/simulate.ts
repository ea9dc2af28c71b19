import { createMetricsRegistry } from '@isobar/core'
import {
  DEFAULT_FAULT_RATES,
  NO_FAULTS,
  SensorSimulator,
  isFaultKind,
  runSimulation,
  type FaultRates,
} from '@isobar/simulator'
import { parseDuration } from '@isobar/alerts'
import { flag, intOption, keyValueOptions, stringOption } from '../args.ts'
import { commandGroup, type Command } from '../command.ts'
import { writeJson, writeLine } from '../context.ts'
import { UsageError } from '../errors.ts'
import { mosquittoStatus } from '@isobar/kafka-local'
import { openMqttReadingPublisher, openReadingPublisher, READING_PUBLISHER_OPTIONS } from './reading-publisher.ts'
import { replay } from './replay.ts'
import { TopicNames } from '@isobar/schemas'

const NAME = 'simulate sensors'

const sensors: Command = {
  name: 'sensors',
  summary: 'Publish simulated IoT sensor readings (with faults) to sensors.readings',
  options: {
    sensors: { type: 'string', short: 'n', value: 'N', description: 'fleet size', default: '100' },
    rate: {
      type: 'string',
      short: 'r',
      value: 'R|max',
      description: 'readings per second, or max = as fast as the broker acknowledges',
      default: '1000',
    },
    duration: {
      type: 'string',
      short: 'd',
      value: 'D',
      description: 'run this long, e.g. 30s, 5m',
      default: '10s unless --count',
    },
    count: {
      type: 'string',
      short: 'c',
      value: 'N',
      description: 'stop after N readings (sent, or refused by the encoder)',
    },
    seed: { type: 'string', value: 'S', description: 'random seed', default: '1' },
    topic: {
      type: 'string',
      short: 't',
      value: 'T',
      description: 'target topic',
      default: TopicNames.SENSORS_READINGS,
    },
    fault: {
      type: 'string',
      multiple: true,
      value: 'k=p',
      description:
        'fault probability, repeatable: spike, stuck, dropout, duplicate, out-of-order, late, clock-skew (fraction of sensors); e.g. --fault spike=0.01',
    },
    'no-faults': { type: 'boolean', description: 'clean readings only' },
    ...READING_PUBLISHER_OPTIONS,
    metrics: { type: 'boolean', description: 'print the Prometheus metrics of the run at the end' },
    json: { type: 'boolean', description: 'print the summary as JSON' },
    transport: {
      type: 'string',
      value: 'T',
      description:
        'kafka (default: produce to the topic) or mqtt (publish each reading at QoS 1 to Mosquitto as its own device, through the ingest bridge; see docs/ingestion.md)',
    },
    'mqtt-url': {
      type: 'string',
      value: 'URL',
      description: 'MQTT broker for --transport mqtt',
      default: 'the one `isobar mqtt start` runs',
    },
  },
  notes: [
    'Temperature, humidity, pressure, CO2, vibration and power sensors in sites and zones, with daily cycles,',
    'noise and drift, and the faults real fleets have. Deterministic for a given --seed. Records are keyed by',
    'sensor id; fault tags travel in the isobar-sim-faults header. Readings are SensorReading v3 (with siteId,',
    'zoneId, sensorType); in registry format they are validated and framed in the Confluent wire format under',
    'the subject <topic>-value (registered if missing). A reading the encoder refuses is counted, not sent.',
  ].join('\n'),
  async run(args, ctx) {
    const sensorCount = intOption(args, NAME, 'sensors', 100)
    const rateText = stringOption(args, 'rate') ?? '1000'
    const rate = rateText === 'max' ? Number.POSITIVE_INFINITY : Number(rateText)
    if (!(rate > 0)) throw new UsageError(`${NAME}: --rate must be a positive number or "max", got "${rateText}"`)
    const count = args.values.count === undefined ? undefined : intOption(args, NAME, 'count', 1)
    const durationText = stringOption(args, 'duration')
    let durationMs: number | undefined
    try {
      durationMs = durationText === undefined ? (count === undefined ? 10_000 : undefined) : parseDuration(durationText)
    } catch (error) {
      throw new UsageError(`${NAME}: --duration: ${(error as Error).message}`)
    }
    const seed = intOption(args, NAME, 'seed', 1, 0)
    const topic = stringOption(args, 'topic') ?? TopicNames.SENSORS_READINGS
    const faults = faultRates(flag(args, 'no-faults'), keyValueOptions(args, NAME, 'fault'))
    const json = flag(args, 'json')
    const transport = stringOption(args, 'transport') ?? 'kafka'
    if (transport !== 'kafka' && transport !== 'mqtt') {
      throw new UsageError(`${NAME}: --transport must be kafka or mqtt, got "${transport}"`)
    }
    const { format, registryUrl, encoding, producer, batching } =
      transport === 'mqtt'
        ? openMqttReadingPublisher(ctx, await mqttUrl(ctx.homeDir, stringOption(args, 'mqtt-url')))
        : await openReadingPublisher(ctx, args, NAME, topic)
    const metrics = createMetricsRegistry('simulator', { runtimeMetrics: false })
    // Paced runs follow the simulator's timeline on the wall clock (each sensor every sensors/rate seconds, so
    // `rate` readings per second in all); max-rate runs use a 1 s logical interval.
    const intervalMs = Number.isFinite(rate) ? (sensorCount / rate) * 1000 : 1000
    const simulator = new SensorSimulator({ sensors: sensorCount, seed, startMs: Date.now(), intervalMs, faults })
    const abort = new AbortController()
    const stop = (): void => abort.abort()
    process.once('SIGINT', stop)
    let summary
    try {
      summary = await runSimulation({
        simulator,
        producer: batching,
        topic,
        rate,
        encode: encoding.encode,
        ...(count === undefined ? {} : { count }),
        ...(durationMs === undefined ? {} : { durationMs }),
        metrics,
        signal: abort.signal,
        onProgress: (p) => {
          if (!ctx.interactive || json) return
          const perSecond = p.seconds > 0 ? Math.round(p.sent / p.seconds) : 0
          ctx.stderr.write(
            `\rsent ${p.sent}  acked ${p.acked}  failed ${p.failed}  invalid ${p.invalid}  ${perSecond} records/s   `,
          )
        },
      })
    } finally {
      process.removeListener('SIGINT', stop)
      await producer.close()
    }
    if (ctx.interactive && !json) ctx.stderr.write('\n')
    const wire = { format, ...(registryUrl ? { registryUrl, schemaId: encoding.schemaId } : {}) }
    const result = { ...summary, sensors: sensorCount, seed, ...wire }
    if (json) writeJson(ctx.stdout, result)
    else {
      writeLine(
        ctx.stdout,
        `Sent ${summary.sent} readings from ${sensorCount} sensors to ${topic} in ${summary.seconds} s: ` +
          `${summary.acked} acked, ${summary.failed} failed, ${summary.recordsPerSecond} records/s`,
      )
      writeLine(
        ctx.stdout,
        registryUrl
          ? `Format: registry (schema id ${encoding.schemaId} at ${registryUrl}); ${summary.invalid} invalid readings`
          : `Format: json; ${summary.invalid} invalid readings`,
      )
      const tagged = Object.entries(summary.faults).filter(([, n]) => n > 0)
      writeLine(
        ctx.stdout,
        `Faults: ${tagged.map(([k, n]) => `${k}=${n}`).join(' ') || 'none'}; ${summary.dropped} readings lost in dropouts`,
      )
      for (const e of summary.errors) writeLine(ctx.stderr, `  error: ${e}`)
    }
    if (flag(args, 'metrics')) ctx.stdout.write(await metrics.metrics())
    return summary.failed > 0 || summary.invalid > 0 ? 1 : 0
  },
}

async function mqttUrl(homeDir: string, given: string | undefined): Promise<string> {
  if (given !== undefined) return given
  const status = await mosquittoStatus({ homeDir })
  if (!status.url) throw new UsageError(`${NAME}: no Mosquitto is running`, 'start it with `isobar mqtt start`')
  return status.url
}

function faultRates(none: boolean, overrides: Record<string, string>): FaultRates {
  const rates: FaultRates = { ...(none ? NO_FAULTS : DEFAULT_FAULT_RATES) }
  for (const [kind, text] of Object.entries(overrides)) {
    const p = Number(text)
    if (!isFaultKind(kind))
      throw new UsageError(`${NAME}: unknown fault "${kind}"`, 'see `isobar simulate sensors --help`')
    if (!(p >= 0 && p <= 1))
      throw new UsageError(`${NAME}: --fault ${kind} must be a probability in 0..1, got "${text}"`)
    rates[kind] = p
  }
  return rates
}

export const simulateCommand = commandGroup('simulate', 'Simulated data sources (IoT sensors) and file replay', [
  sensors,
  replay,
])
