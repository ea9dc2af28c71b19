/**
 * Anomaly detection scored through the real pipeline: labelled readings go to a fresh readings topic in the
 * registry's wire format (a CSV replayed at full speed, or the simulator with injected faults), the Sensor
 * Analytics service runs as its own process on them (streaming detector in the pane stage, alert engine with
 * the shipped rules), and the bench reads back the readings with their label headers, the window aggregates and
 * the alert events, then scores them (anomaly-score.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  BatchingProducer,
  FRAME_HEADER_BYTES,
  MAGIC_BYTE,
  SchemaRegistryClient,
  type ConsumedRecord,
  type KafkaClient,
} from '@isobar/core'
import { loadRulesFile } from '@isobar/alerts'
import {
  DEFAULT_NOISE_FLOORS,
  FAULTS_HEADER,
  LABEL_HEADER,
  NO_FAULTS,
  SensorSimulator,
  mapRows,
  parseCsv,
  parseMapping,
  readingRecord,
  registryReadingEncoding,
  runReplay,
} from '@isobar/simulator'
import { startRegistryProcess } from './registry-process.ts'
import {
  episodesFromAlerts,
  scoreAnomalies,
  type AnomalyScores,
  type LabelledReading,
  type WindowRow,
} from './anomaly-score.ts'
import { freePort } from './free-port.ts'

export type AnomalyBenchSource =
  | { kind: 'dataset'; file: string; mapping: string; labels: string }
  /** Simulated fleet; `spikeRate` 0 = clean sensors (false episodes only). */
  | { kind: 'simulator'; sensors: number; hours: number; intervalMs: number; spikeRate: number; seed: number }

export interface AnomalyBenchOptions {
  kafka: KafkaClient
  bootstrapServers: string
  serviceScript: string
  rulesFile: string
  source: AnomalyBenchSource
  partitions: number
  /** The registry's entry point (packages/registry/src/main.ts), run in memory when no registryUrl is given. */
  registryScript: string
  /** Schema Registry to use; default: an in-memory one started for the run. */
  registryUrl?: string
  timeoutMs?: number
  onProgress?: (line: string) => void
}

export interface AnomalyBenchResult {
  source: AnomalyBenchSource
  readings: number
  seconds: number
  scores: AnomalyScores
  /** Simulator runs: only the spikes that moved the reading by at least the quantity's noise floor. */
  significantScores?: AnomalyScores
}

function payload(value: Buffer | null): unknown {
  if (!value) return null
  const framed = value[0] === MAGIC_BYTE && value.length > FRAME_HEADER_BYTES
  return JSON.parse(value.subarray(framed ? FRAME_HEADER_BYTES : 0).toString('utf8'))
}

async function readAll(kafka: KafkaClient, topic: string): Promise<ConsumedRecord[]> {
  const admin = kafka.admin()
  const [description] = await admin.describeTopics([topic]).finally(() => admin.close())
  const records: ConsumedRecord[] = []
  for (const { partition } of description?.partitions ?? []) {
    await kafka.readCommitted({ topic, partition, timeoutMs: 30_000, onRecords: (r) => records.push(...r) })
  }
  return records
}

async function produceSource(options: AnomalyBenchOptions, topic: string, registryUrl: string): Promise<number> {
  const encoding = await registryReadingEncoding(new SchemaRegistryClient({ url: registryUrl }), { topic })
  const producer = options.kafka.producer({ idempotent: true })
  const batching = new BatchingProducer(producer, { maxRecords: 2000, maxBytes: 1 << 20, lingerMs: 5, maxInFlight: 5 })
  const source = options.source
  try {
    if (source.kind === 'dataset') {
      const table = parseCsv(await readFile(source.file, 'utf8'), source.file)
      const mapping = parseMapping(source.mapping, table.header)
      mapping.label = source.labels
      if (!table.header.includes(source.labels)) throw new Error(`--labels: no column "${source.labels}"`)
      const rows = mapRows(table.header, table.rows, mapping)
      const summary = await runReplay({ rows, producer: batching, topic, encode: encoding.encode, speed: Infinity })
      if (summary.failed > 0 || summary.invalid > 0) throw new Error(`replay: ${summary.errors.join('; ')}`)
      return summary.sent
    }
    const spanMs = source.hours * 3_600_000
    const startMs = Math.floor((Date.now() - spanMs - 120_000) / 60_000) * 60_000
    const simulator = new SensorSimulator({
      sensors: source.sensors,
      seed: source.seed,
      startMs,
      intervalMs: source.intervalMs,
      faults: { ...NO_FAULTS, spike: source.spikeRate },
    })
    const count = Math.floor((spanMs / source.intervalMs) * source.sensors)
    let failed = 0
    for (let i = 0; i < count; i++) {
      const record = readingRecord(topic, simulator.next(), encoding.encode)
      if (!batching.produce(record, (error) => void (error && failed++))) await batching.ready()
    }
    await batching.flush()
    if (failed > 0) throw new Error(`${failed} simulated readings were not acknowledged`)
    return count
  } finally {
    await producer.close()
  }
}

interface ServiceProcess {
  child: ChildProcess
  exited: Promise<number | null>
  tail: () => string
}

function startService(options: AnomalyBenchOptions, config: object, registryUrl: string, port: number) {
  const child = spawn(process.execPath, [options.serviceScript], {
    env: {
      ...process.env,
      KAFKA_BOOTSTRAP_SERVERS: options.bootstrapServers,
      ANALYTICS_CONFIG: JSON.stringify(config),
      METRICS_PORT: String(port),
      LOG_LEVEL: 'warn',
      SCHEMA_REGISTRY_URL: registryUrl,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let tail = ''
  child.stderr?.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4000)))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, exited, tail: () => tail } satisfies ServiceProcess
}

function labelOf(record: ConsumedRecord): boolean {
  const label = record.headers?.[LABEL_HEADER]?.toString()
  if (label !== undefined) return label !== '' && label !== '0'
  return (record.headers?.[FAULTS_HEADER]?.toString() ?? '').split(',').includes('spike')
}

function toReadings(records: ConsumedRecord[]): LabelledReading[] {
  return records.map((record) => {
    const r = payload(record.value) as Record<string, unknown>
    const values: Record<string, number> = {}
    for (const field of Object.keys(DEFAULT_NOISE_FLOORS)) if (typeof r[field] === 'number') values[field] = r[field]
    return { sensorId: r.sensorId as string, eventTimeMs: r.eventTimeMs as number, label: labelOf(record), values }
  })
}

/** Keeps the labels of spikes that moved the reading by at least the noise floor (from the previous reading). */
function significantOnly(readings: LabelledReading[]): LabelledReading[] {
  const previous = new Map<string, LabelledReading>()
  const sorted = [...readings].sort((a, b) => a.eventTimeMs - b.eventTimeMs)
  return sorted.map((r) => {
    const before = previous.get(r.sensorId)
    if (!r.label) previous.set(r.sensorId, r)
    if (!r.label || !before) return r
    const significant = Object.entries(r.values).some(([field, x]) => {
      const floor = DEFAULT_NOISE_FLOORS[field as keyof typeof DEFAULT_NOISE_FLOORS]
      const y = before.values[field]
      return y !== undefined && Math.abs(x - y) >= floor
    })
    return { ...r, label: significant }
  })
}

/** Expected sensor windows: every minute with a reading, and the five 5-minute windows hopping over it. */
function expectedWindows(readings: LabelledReading[]): number {
  const minutes = new Set<string>()
  const hops = new Set<string>()
  for (const r of readings) {
    const minute = Math.floor(r.eventTimeMs / 60_000)
    minutes.add(`${r.sensorId}|${minute}`)
    for (let k = 0; k < 5; k++) hops.add(`${r.sensorId}|${minute - k}`)
  }
  return minutes.size + hops.size
}

export async function runAnomalyBench(options: AnomalyBenchOptions): Promise<AnomalyBenchResult> {
  const progress = options.onProgress ?? (() => undefined)
  const runId = `bench-anomalies-${Date.now().toString(36)}`
  let registryUrl = options.registryUrl
  let closeRegistry: (() => Promise<void>) | undefined
  if (!registryUrl) {
    const registry = await startRegistryProcess(options.registryScript)
    registryUrl = registry.url
    closeRegistry = () => registry.close()
  }
  const readingsTopic = `${runId}-readings`
  const aggregates = `${runId}-aggregates`
  const alerts = `${runId}-alerts`
  const admin = options.kafka.admin()
  const started = Date.now()
  let service: ServiceProcess | undefined
  try {
    await admin.createTopics([{ name: readingsTopic, partitions: options.partitions, replicationFactor: 1 }])
    const produced = await produceSource(options, readingsTopic, registryUrl)
    progress(`produced ${produced} readings to ${readingsTopic}`)
    const readings = toReadings(await readAll(options.kafka, readingsTopic))
    const expected = expectedWindows(readings)
    const rules = await loadRulesFile(options.rulesFile)
    const anomalyRules = new Set(rules.filter((r) => r.type === 'anomaly').map((r) => r.id))
    const config = {
      applicationId: runId,
      topics: { readings: readingsTopic, aggregates, deadLetter: `${runId}-dlq`, partitions: options.partitions },
      // Default idleMs (30 s): shorter, a stage-1 partition starved of CPU for that long under load reports idle
      // and stage 2 moves past its panes (late), which would score the machine's load, not the detector.
      sessionTimeoutMs: 10_000,
      alerts: { enabled: true, rulesFile: options.rulesFile, topic: alerts, commandsTopic: `${runId}-commands` },
    }
    service = startService(options, config, registryUrl, await freePort())
    const exitedEarly = service.exited.then((code) => code)
    let rows: WindowRow[] = []
    const deadline = Date.now() + (options.timeoutMs ?? 900_000)
    for (;;) {
      await Promise.race([sleep(3000), exitedEarly])
      if (service.child.exitCode !== null) throw new Error(`service exited: ${service.tail()}`)
      rows = (await readAll(options.kafka, aggregates).catch(() => []))
        .map((r) => payload(r.value) as Record<string, unknown> & { anomaly: Record<string, unknown> })
        .filter((a) => a.scope === 'sensor')
        .map((a) => ({
          sensorId: a.sensorId as string,
          field: a.field as string,
          windowKind: a.windowKind as string,
          windowStartMs: a.windowStartMs as number,
          windowEndMs: a.windowEndMs as number,
          anomalousReadings: (a.anomaly.anomalousReadings as number | undefined) ?? 0,
          flagged: a.anomaly.flagged === true,
        }))
      const seen = new Set(rows.map((r) => `${r.sensorId}|${r.windowKind}|${r.windowStartMs}`)).size
      progress(`windows ${seen}/${expected}`)
      if (seen >= expected) break
      if (Date.now() > deadline) throw new Error(`timed out with ${seen} of ${expected} windows`)
    }
    // The alert engine runs in its own group: give it the time to drain (it is ahead of the windows anyway).
    await sleep(3000)
    const alertEvents = (await readAll(options.kafka, alerts)).map(
      (r) => payload(r.value) as { ruleId: string; entityId: string; change: string; eventTimeMs: number },
    )
    const episodes = episodesFromAlerts(alertEvents, anomalyRules)
    const result: AnomalyBenchResult = {
      source: options.source,
      readings: readings.length,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      scores: scoreAnomalies(readings, rows, episodes),
    }
    if (options.source.kind === 'simulator' && options.source.spikeRate > 0) {
      result.significantScores = scoreAnomalies(significantOnly(readings), rows, episodes)
    }
    return result
  } finally {
    if (service) {
      service.child.kill('SIGTERM')
      await Promise.race([service.exited, sleep(15_000)])
      service.child.kill('SIGKILL')
    }
    // Everything the run created: its topics, the service's internal topics and changelogs.
    const names = (await admin.listTopics().catch(() => [])).filter((name) => name.startsWith(runId))
    if (names.length > 0) await admin.deleteTopics(names).catch(() => undefined)
    await admin.close()
    await closeRegistry?.()
  }
}

const pct = (x: number): string => x.toFixed(3)

export function formatAnomalyBench(result: AnomalyBenchResult): string {
  const lines: string[] = []
  const block = (title: string, s: AnomalyScores): void => {
    lines.push(title)
    lines.push(
      `  ${s.sensors} sensors, ${s.readings} readings (${s.labelledReadings} labelled), ${s.sensorDays.toFixed(2)} sensor-days`,
    )
    lines.push('  window            detector P / R / F1        in-window z (≥4) P / R / F1')
    for (const [kind, label] of [
      ['tumbling', '1-min per sensor'],
      ['hopping', '5-min per sensor'],
    ] as const) {
      const w = s.windows[kind]!
      lines.push(
        `  ${label.padEnd(17)} ${pct(w.detector.precision)} / ${pct(w.detector.recall)} / ${pct(w.detector.f1)}` +
          `      ${pct(w.inWindowZ.precision)} / ${pct(w.inWindowZ.recall)} / ${pct(w.inWindowZ.f1)}` +
          `   (${w.detector.labelled} of ${w.detector.windows} windows labelled; false: detector ${w.detector.fp},` +
          ` z ${w.inWindowZ.fp})`,
      )
    }
    const detected = s.events.filter((e) => e.detected).length
    lines.push(`  events: ${detected}/${s.events.length} detected (recall ${pct(s.eventRecall)})`)
    if (s.events.length <= 20) {
      for (const e of s.events) {
        lines.push(
          `    ${e.sensorId} ${new Date(e.startMs).toISOString()} ${e.readings} readings: ` +
            (e.detected ? `onset after ${e.delayReadings} readings (${e.delaySeconds} s)` : 'missed'),
        )
      }
    } else if (s.maxDelayReadings !== undefined) {
      lines.push(`    largest onset delay ${s.maxDelayReadings} readings`)
    }
    lines.push(
      `  episodes ${s.episodes}, false ${s.falseEpisodes} = ${s.falseEpisodesPerSensorDay.toFixed(3)} per sensor-day`,
    )
  }
  block(`Anomaly scores (${result.readings} readings, ${result.seconds} s)`, result.scores)
  if (result.significantScores)
    block('Spikes that moved the reading by at least the noise floor', result.significantScores)
  return lines.join('\n')
}
