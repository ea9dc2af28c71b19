import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { formatSoakSummary, freePort, runSoak, summarize, writeSoakReport, type SoakSample } from '@isobar/bench'
import { createKafkaClient, kafkaConfigFromEnv } from '@isobar/core'
import { startLocalKafka, stopLocalKafka } from '@isobar/kafka-local'
import { flag, intOption, stringOption } from '../args.ts'
import type { Command } from '../command.ts'
import { writeJson, writeLine } from '../context.ts'
import { UsageError } from '../errors.ts'
import { platformServices } from '../platform.ts'
import { Supervisor } from '../supervisor.ts'
import { TopicNames } from '@isobar/schemas'

const NAME = 'bench soak'
const SOAK_CLUSTER = 'soak'
const DEFAULT_KAFKA_PORT = 29398

/** `30m`, `90s`, `2h` or plain minutes; a usage error otherwise. */
export function parseSoakDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim())
  const value = match ? Number(match[1]) : NaN
  if (!match || !(value > 0)) throw new UsageError(`${NAME}: --duration must look like 30m, 90s or 2h, got "${text}"`)
  const unit = match?.[2] === 's' ? 1000 : match?.[2] === 'h' ? 3_600_000 : 60_000
  return Math.round(value * unit)
}

export const soakBench: Command = {
  name: 'soak',
  summary: 'Run the whole platform at a steady rate and record RSS, lag, dead letters and event-time skew',
  options: {
    duration: { type: 'string', value: 'D', description: '30m, 90s, 2h', default: '30m' },
    minutes: { type: 'string', value: 'N', description: 'the same in minutes' },
    rate: { type: 'string', value: 'R', description: 'simulator readings/s', default: '2000' },
    sensors: { type: 'string', value: 'N', description: 'simulated sensors', default: '1000' },
    interval: { type: 'string', value: 'S', description: 'seconds between samples', default: '10' },
    'report-dir': { type: 'string', value: 'DIR', description: 'default ISOBAR_HOME/soak/<start time>' },
    'kafka-port': {
      type: 'string',
      value: 'P',
      description: `port of the soak's local Kafka node (P+1: its controller; default ${DEFAULT_KAFKA_PORT})`,
    },
    json: { type: 'boolean', description: 'print {summary, exits, report: {json, csv, svg}} instead of the summary' },
  },
  notes: [
    'Starts its own local Kafka (ISOBAR_HOME/kafka/soak, one node on --kafka-port) — or uses',
    'KAFKA_BOOTSTRAP_SERVERS — and the platform `npm start` runs (registry, Admin API, weather streamer, Sensor',
    'Analytics, sensor simulator) on free ports, then samples every interval: RSS and heap of each service,',
    'consumer lag per group, dead-letter and late-reading rates, and the event-time skew of sensors.readings.',
    'Writes soak.json, soak.csv, soak.svg (chart) and services.log to the report dir and prints a summary.',
    'Ctrl-C ends the run early; the report is still written. Also: npm run soak -- --minutes N.',
  ].join('\n'),
  async run(args, ctx) {
    const durationText = stringOption(args, 'duration')
    const minutes = stringOption(args, 'minutes')
    if (durationText !== undefined && minutes !== undefined) {
      throw new UsageError(`${NAME}: give --duration or --minutes, not both`)
    }
    const durationMs = parseSoakDuration(durationText ?? (minutes !== undefined ? `${minutes}m` : '30m'))
    const rate = intOption(args, NAME, 'rate', 2000)
    const sensors = intOption(args, NAME, 'sensors', 1000)
    const intervalMs = intOption(args, NAME, 'interval', 10) * 1000
    const kafkaPort = intOption(args, NAME, 'kafka-port', DEFAULT_KAFKA_PORT, 1024)
    const startedIso = new Date().toISOString().replaceAll(':', '-').slice(0, 19)
    const reportDir = stringOption(args, 'report-dir') ?? join(ctx.homeDir, 'soak', startedIso)
    await mkdir(reportDir, { recursive: true })

    const abort = new AbortController()
    const onSignal = (): void => abort.abort()
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)

    const external = ctx.env.KAFKA_BOOTSTRAP_SERVERS
    const kafkaHome = join(ctx.homeDir, 'soak-kafka')
    let bootstrapServers: string
    if (external) {
      bootstrapServers = external
    } else {
      const cluster = await startLocalKafka({
        homeDir: kafkaHome,
        name: SOAK_CLUSTER,
        nodes: 1,
        basePort: kafkaPort,
        onProgress: (p) => writeLine(ctx.stderr, `kafka: ${p.message}`),
      })
      bootstrapServers = cluster.bootstrapServers
    }
    const log = createWriteStream(join(reportDir, 'services.log'))
    const supervisor = new Supervisor(log)
    const kafka = createKafkaClient(
      kafkaConfigFromEnv({ ...ctx.env, KAFKA_BOOTSTRAP_SERVERS: bootstrapServers }, { clientId: 'isobar-soak' }),
    )
    const admin = kafka.admin()
    try {
      const ports = {
        registry: await freePort(),
        console: await freePort(),
        weather: await freePort(),
        analytics: await freePort(),
      }
      const specs = soakServices(
        platformServices({
          repoRoot: ctx.repoRoot,
          bootstrapServers,
          registryPort: ports.registry,
          consolePort: ports.console,
          consoleToken: randomBytes(24).toString('base64url'),
        }),
        { weather: ports.weather, analytics: ports.analytics, rate, sensors },
      )
      for (const spec of specs) {
        writeLine(ctx.stderr, `soak: starting ${spec.name}…`)
        await supervisor.waitReady(
          supervisor.start(spec, { ...ctx.env, LOG_LEVEL: ctx.env.LOG_LEVEL ?? 'warn' }),
          120_000,
        )
        if (abort.signal.aborted) break
      }
      const metricsUrls: Record<string, string> = {
        registry: `http://127.0.0.1:${ports.registry}/metrics`,
        console: `http://127.0.0.1:${ports.console}/metrics`,
        weather: `http://127.0.0.1:${ports.weather}/metrics`,
        analytics: `http://127.0.0.1:${ports.analytics}/metrics`,
      }
      const services = supervisor.services.map((s) => ({
        name: s.spec.name,
        pid: s.child.pid,
        ...(metricsUrls[s.spec.name] ? { metricsUrl: metricsUrls[s.spec.name]! } : {}),
      }))
      // A service that dies ends the run: the report shows up to there.
      const exits: string[] = []
      for (const s of supervisor.services) {
        void s.exited.then((code) => {
          if (abort.signal.aborted) return
          exits.push(`${s.spec.name} exited with code ${code}`)
          abort.abort()
        })
      }
      writeLine(
        ctx.stderr,
        `soak: sampling every ${intervalMs / 1000} s for ${durationMs / 60_000} min; report in ${reportDir}`,
      )
      const run = await runSoak({
        sources: { admin, services, readingsTopic: TopicNames.SENSORS_READINGS },
        durationMs,
        intervalMs,
        signal: abort.signal,
        onSample: (sample) => writeLine(ctx.stderr, progressLine(sample, durationMs)),
        onSampleError: (error) => writeLine(ctx.stderr, `soak: sample failed: ${String(error).split('\n')[0]}`),
      })
      const summary = summarize(run.samples, run.startedMs, run.endedMs)
      const paths = await writeSoakReport(reportDir, {
        settings: {
          durationMs,
          rate,
          sensors,
          intervalMs,
          bootstrapServers,
          aborted: run.aborted,
          exits,
          failedSamples: run.failedSamples,
        },
        summary,
        samples: run.samples,
      })
      for (const exit of exits) writeLine(ctx.stderr, `soak: ${exit}`)
      if (flag(args, 'json')) writeJson(ctx.stdout, { summary, exits, report: paths })
      else {
        writeLine(ctx.stdout, formatSoakSummary(summary))
        writeLine(ctx.stdout, `Report: ${paths.json}, ${paths.csv}, ${paths.svg}`)
      }
      return exits.length > 0 ? 1 : 0
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      await supervisor.stopAll()
      await admin.close().catch(() => undefined)
      log.end()
      if (!external)
        await stopLocalKafka({ homeDir: kafkaHome, name: SOAK_CLUSTER, removeData: true, timeoutMs: 30_000 })
    }
  },
}

/** `npm start`'s services with the soak's own metrics ports and simulator rate. */
function soakServices(
  specs: ReturnType<typeof platformServices>,
  o: { weather: number; analytics: number; rate: number; sensors: number },
): ReturnType<typeof platformServices> {
  return specs.map((spec) => {
    const metricsPort = spec.name === 'weather' ? o.weather : spec.name === 'analytics' ? o.analytics : undefined
    if (metricsPort !== undefined) {
      return {
        ...spec,
        env: { ...spec.env, METRICS_PORT: String(metricsPort) },
        readyUrl: `http://127.0.0.1:${metricsPort}/ready`,
      }
    }
    if (spec.name === 'sensors') {
      const args = [...(spec.args ?? [])]
      const set = (option: string, value: number): void => {
        const at = args.indexOf(option)
        if (at >= 0) args[at + 1] = String(value)
        else args.push(option, String(value))
      }
      set('--rate', o.rate)
      set('--sensors', o.sensors)
      return { ...spec, args }
    }
    return spec
  })
}

function progressLine(sample: SoakSample, durationMs: number): string {
  const rss = Object.values(sample.services).reduce((sum, s) => sum + (s.rssBytes ?? 0), 0) / 1048576
  const lags = Object.values(sample.lag).filter((v): v is number => v !== null)
  const skew = sample.skew.medianMs === null ? '-' : `${(sample.skew.medianMs / 1000).toFixed(2)} s`
  return (
    `soak ${(sample.elapsedS / 60).toFixed(1)}/${(durationMs / 60_000).toFixed(0)} min  RSS ${rss.toFixed(0)} MiB  ` +
    `max lag ${lags.length ? Math.max(...lags) : '-'}  readings ${sample.rates.readingsPerS.toFixed(0)}/s  ` +
    `DLQ ${sample.rates.deadLettersPerS.toFixed(1)}/s  late ${sample.rates.latePerS.toFixed(1)}/s  median skew ${skew}`
  )
}
