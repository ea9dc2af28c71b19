/**
 * Sensor Analytics end to end: readings/s through the windowed aggregation (at-least-once and exactly-once), with
 * the service's CPU and peak RSS, and alert latency from a reading produced to its alert readable downstream.
 *
 * The service runs as its own process (as deployed), from its main.ts. Throughput: a backlog of simulated readings
 * is written first, then the service starts and drains it; the rate is readings / (time from ready to the pane
 * stage's group having committed every reading). CPU and RSS come from /proc of the service process.
 * Latency: the service runs live; one reading at a time crosses a threshold rule (`for: 0s`) and the bench
 * times until the alert event arrives on the alerts topic.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { BatchingProducer, type Admin, type KafkaClient } from '@isobar/core'
import { SensorSimulator, readingRecord, NO_FAULTS } from '@isobar/simulator'
import { round } from './resources.ts'
import { freePort } from './free-port.ts'

export interface AnalyticsBenchOptions {
  kafka: KafkaClient
  bootstrapServers: string
  /** The service entry point (packages/sensor-analytics/src/analytics/main.ts). */
  serviceScript: string
  sensors: number
  readings: number
  partitions: number
  guarantees: Array<'at-least-once' | 'exactly-once'>
  /** Alert round trips to time (0 = skip the latency part). */
  alertSamples: number
  /** Live footprint: seconds of the fleet reporting once a second each, in real time (0 = skip). */
  liveSeconds: number
  /** NODE_OPTIONS of the service process (e.g. a heap limit), to see what memory costs in throughput. */
  serviceNodeOptions?: string
  /** Throughput runs: the pane stage in one process, the zone and hopping stages in another. */
  splitStages?: boolean
  onProgress?: (line: string) => void
}

export interface ThroughputResult {
  guarantee: 'at-least-once' | 'exactly-once'
  /** Service processes: 1, or 2 with --split-stages (CPU is their sum, peak RSS the larger). */
  processes: number
  readings: number
  seconds: number
  readingsPerSec: number
  /** Until the zone and 5-minute stages committed too (they read the panes stage's output). */
  allStagesSeconds: number
  startupSeconds: number
  cpuSeconds: number
  cpuCores: number
  peakRssMiB: number
}

export interface LatencyResult {
  samples: number
  p50Ms: number
  p99Ms: number
  maxMs: number
}

/** The service following a live fleet (every sensor once a second), exactly-once with alerts on. */
export interface LiveResult {
  seconds: number
  readingsPerSec: number
  cpuCores: number
  /** RSS at the end (steady state) and the peak of the whole run. */
  rssMiB: number
  peakRssMiB: number
  /** Readings produced that the pane stage had not committed at the end. */
  lagAtEnd: number
}

export interface AnalyticsBenchResult {
  sensors: number
  partitions: number
  serviceNodeOptions: string | null
  throughput: ThroughputResult[]
  live: LiveResult | null
  alertLatency: LatencyResult | null
}

interface ServiceProcess {
  child: ChildProcess
  port: number
  exited: Promise<number | null>
  stderrTail: () => string
}

async function startService(options: AnalyticsBenchOptions, config: object): Promise<ServiceProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, [options.serviceScript], {
    env: {
      ...process.env,
      KAFKA_BOOTSTRAP_SERVERS: options.bootstrapServers,
      ANALYTICS_CONFIG: JSON.stringify(config),
      METRICS_PORT: String(port),
      LOG_LEVEL: 'warn',
      SCHEMA_REGISTRY_URL: '',
      NODE_OPTIONS: options.serviceNodeOptions ?? '',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let tail = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000)
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, port, exited, stderrTail: () => tail }
}

async function waitUntil(what: string, check: () => Promise<boolean>, service: ServiceProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  let exitCode: number | null | undefined
  void service.exited.then((code) => (exitCode = code))
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`service exited (${exitCode}) before ${what}: ${service.stderrTail()}`)
    if (await check().catch(() => false)) return
    await sleep(200)
  }
  throw new Error(`timed out waiting for ${what}`)
}

async function isReady(port: number): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${port}/ready`)
  return response.status === 200
}

/** CPU seconds (user + system), RSS and peak RSS of a Linux process, from /proc. */
function procUsage(pid: number): { cpuSeconds: number; rssMiB: number; peakRssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0)
  return { cpuSeconds: ticks / 100, rssMiB: kib('VmRSS') / 1024, peakRssMiB: kib('VmHWM') / 1024 }
}

/**
 * Whether the group committed at least `expected` records and is caught up. `slack` per partition: on a topic
 * written in transactions the last offset is a commit marker, which consumers never commit past.
 */
async function committedAll(admin: Admin, group: string, expected: bigint, slack = 0n): Promise<boolean> {
  const rows = await admin.groupLag(group)
  let committed = 0n
  for (const row of rows) {
    if (row.lag === null || row.lag > slack) return false
    committed += row.committedOffset ?? 0n
  }
  return rows.length > 0 && committed >= expected
}

async function fillReadings(options: AnalyticsBenchOptions, topic: string): Promise<void> {
  // Each sensor reports every 6 s of event time: 1M readings from 10k sensors span 10 minutes, 10 panes each.
  const simulator = new SensorSimulator({
    sensors: options.sensors,
    seed: 7,
    startMs: Date.now() - 3_600_000,
    intervalMs: 6000,
    faults: NO_FAULTS,
  })
  const producer = options.kafka.producer({ idempotent: true })
  const batching = new BatchingProducer(producer, { maxRecords: 2000, maxBytes: 1 << 20, lingerMs: 5, maxInFlight: 5 })
  let failed = 0
  for (let i = 0; i < options.readings; i++) {
    if (!batching.produce(readingRecord(topic, simulator.next()), (error) => void (error && failed++))) {
      await batching.ready()
    }
  }
  await batching.flush()
  await producer.close()
  if (failed > 0) throw new Error(`${failed} readings were not acknowledged while filling ${topic}`)
}

async function measureThroughput(
  options: AnalyticsBenchOptions,
  guarantee: 'at-least-once' | 'exactly-once',
  readingsTopic: string,
  runId: string,
): Promise<ThroughputResult> {
  const applicationId = `${runId}-${guarantee === 'exactly-once' ? 'eos' : 'alo'}`
  const config = {
    applicationId,
    guarantee,
    sessionTimeoutMs: 10_000,
    topics: { readings: readingsTopic, aggregates: `${applicationId}-aggregates`, deadLetter: `${applicationId}-dlq` },
    windowing: { idleMs: 5000 },
    alerts: { enabled: false },
  }
  const started = Date.now()
  // Split: the pane stage in one process, the zone and hopping stages in another (peak RSS is the larger one).
  const stageSets = options.splitStages ? [['panes'], ['zone-1m', 'hopping']] : [['panes', 'zone-1m', 'hopping']]
  const services: ServiceProcess[] = []
  // One admin client for the whole run: the progress polls below run every 200 ms.
  const admin = options.kafka.admin()
  const cpu = () => services.reduce((sum, s) => sum + procUsage(s.child.pid!).cpuSeconds, 0)
  try {
    for (const stages of stageSets) services.push(await startService(options, { ...config, stages }))
    for (const service of services) await waitUntil('ready', () => isReady(service.port), service, 60_000)
    const service = services[0]!
    const readyAt = Date.now()
    const before = cpu()
    options.onProgress?.(`  ${guarantee}: service ready after ${((readyAt - started) / 1000).toFixed(1)} s`)
    const expected = BigInt(options.readings)
    await waitUntil('panes stage caught up', () => committedAll(admin, applicationId, expected), service, 600_000)
    const doneAt = Date.now()
    const after = cpu()
    await waitUntil(
      'rollup stages caught up',
      async () =>
        (await committedAll(admin, `${applicationId}-zone-1m`, 1n, 1n)) &&
        (await committedAll(admin, `${applicationId}-hop-5m`, 1n, 1n)),
      services.at(-1)!,
      120_000,
    )
    const allDoneAt = Date.now()
    const seconds = (doneAt - readyAt) / 1000
    const cpuSeconds = after - before
    return {
      guarantee,
      processes: services.length,
      readings: options.readings,
      seconds: round(seconds, 2),
      readingsPerSec: Math.round(options.readings / seconds),
      allStagesSeconds: round((allDoneAt - readyAt) / 1000, 2),
      startupSeconds: round((readyAt - started) / 1000, 2),
      cpuSeconds: round(cpuSeconds, 2),
      cpuCores: round(cpuSeconds / seconds, 2),
      peakRssMiB: round(Math.max(...services.map((s) => procUsage(s.child.pid!).peakRssMiB)), 1),
    }
  } finally {
    for (const service of services) service.child.kill('SIGTERM')
    await Promise.race([Promise.all(services.map((s) => s.exited)), sleep(15_000)])
    for (const service of services) service.child.kill('SIGKILL')
    await admin.close()
  }
}

async function measureLive(options: AnalyticsBenchOptions, runId: string): Promise<LiveResult> {
  const applicationId = `${runId}-live`
  const readings = `${applicationId}-readings`
  const service = await startService(options, {
    applicationId,
    guarantee: 'exactly-once',
    from: 'latest',
    topics: { readings, aggregates: `${applicationId}-aggregates`, deadLetter: `${applicationId}-dlq` },
    alerts: { enabled: true, topic: `${applicationId}-alerts`, commandsTopic: `${applicationId}-commands` },
  })
  const producer = options.kafka.producer({ idempotent: true })
  const batching = new BatchingProducer(producer, { maxRecords: 2000, maxBytes: 1 << 20, lingerMs: 5, maxInFlight: 5 })
  try {
    await waitUntil('ready', () => isReady(service.port), service, 60_000)
    await sleep(3000) // the alert runner's group joins from 'latest'
    const simulator = new SensorSimulator({
      sensors: options.sensors,
      seed: 11,
      startMs: Date.now(),
      intervalMs: 1000,
      faults: NO_FAULTS,
    })
    const started = performance.now()
    const before = procUsage(service.child.pid!)
    let sent = 0
    // Real time: reading i of the fleet is due at i / sensors seconds; its event time is its due time.
    while ((performance.now() - started) / 1000 < options.liveSeconds) {
      const due = Math.floor(((performance.now() - started) / 1000) * options.sensors)
      for (; sent < due; sent++) {
        if (!batching.produce(readingRecord(readings, simulator.next()))) await batching.ready()
      }
      await sleep(20)
    }
    await batching.flush()
    const seconds = (performance.now() - started) / 1000
    const after = procUsage(service.child.pid!)
    const admin = options.kafka.admin()
    let lagAtEnd = 0
    try {
      for (const row of await admin.groupLag(applicationId)) lagAtEnd += Number(row.lag ?? 0n)
    } finally {
      await admin.close()
    }
    return {
      seconds: round(seconds, 1),
      readingsPerSec: Math.round(sent / seconds),
      cpuCores: round((after.cpuSeconds - before.cpuSeconds) / seconds, 2),
      rssMiB: round(after.rssMiB, 1),
      peakRssMiB: round(after.peakRssMiB, 1),
      lagAtEnd,
    }
  } finally {
    await producer.close()
    service.child.kill('SIGTERM')
    await Promise.race([service.exited, sleep(15_000)])
    service.child.kill('SIGKILL')
  }
}

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0
}

async function measureAlertLatency(options: AnalyticsBenchOptions, runId: string): Promise<LatencyResult> {
  const dir = mkdtempSync(join(tmpdir(), 'isobar-bench-alerts-'))
  const rulesFile = join(dir, 'rules.yaml')
  writeFileSync(
    rulesFile,
    'rules:\n  - id: bench-hot\n    type: threshold\n    metric: temperatureC\n    above: 50\n    clear: 40\n    for: 0s\n    severity: warning\n',
  )
  const applicationId = `${runId}-latency`
  const topics = { readings: `${applicationId}-readings`, alerts: `${applicationId}-alerts` }
  const service = await startService(options, {
    applicationId,
    guarantee: 'exactly-once',
    from: 'latest',
    topics: {
      readings: topics.readings,
      aggregates: `${applicationId}-aggregates`,
      deadLetter: `${applicationId}-dlq`,
    },
    alerts: {
      enabled: true,
      rulesFile,
      topic: topics.alerts,
      commandsTopic: `${applicationId}-commands`,
      tickMs: 1000,
    },
  })
  const producer = options.kafka.producer({ idempotent: true })
  const consumer = options.kafka.consumer({ topics: [topics.alerts], from: 'latest', readCommitted: true })
  const arrivals = new Map<string, number>()
  const reading = consumerLoop(consumer, arrivals)
  try {
    await waitUntil('ready', () => isReady(service.port), service, 60_000)
    // The alert runner's input consumer joins from 'latest': give it a moment to have a position.
    await sleep(3000)
    const latencies: number[] = []
    for (let i = 0; i < options.alertSamples; i++) {
      const sensorId = `bench:latency-${i}`
      const now = Date.now()
      const value = (temperatureC: number, offset: number) => ({
        topic: topics.readings,
        key: Buffer.from(sensorId),
        value: Buffer.from(
          JSON.stringify({ sensorId, sequence: offset, eventTimeMs: now + offset, ingestTimeMs: now, temperatureC }),
        ),
      })
      const sentAt = performance.now()
      await producer.send([value(60, 0)])
      const key = `bench-hot+${sensorId}`
      const deadline = Date.now() + 30_000
      while (!arrivals.has(key) && Date.now() < deadline) await sleep(1)
      const at = arrivals.get(key)
      if (at === undefined) throw new Error(`no alert for ${sensorId} within 30 s`)
      latencies.push(at - sentAt)
      await producer.send([value(20, 1)])
    }
    latencies.sort((a, b) => a - b)
    return {
      samples: latencies.length,
      p50Ms: round(percentile(latencies, 0.5), 1),
      p99Ms: round(percentile(latencies, 0.99), 1),
      maxMs: round(latencies.at(-1) ?? 0, 1),
    }
  } finally {
    await consumer.close()
    await reading
    await producer.close()
    service.child.kill('SIGTERM')
    await Promise.race([service.exited, sleep(15_000)])
    service.child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
}

async function consumerLoop(consumer: AsyncIterable<{ key: Buffer | null }>, arrivals: Map<string, number>) {
  try {
    for await (const record of consumer) {
      const key = record.key?.toString()
      if (key && !arrivals.has(key)) arrivals.set(key, performance.now())
    }
  } catch {
    // closed
  }
}

export async function runAnalyticsBench(options: AnalyticsBenchOptions): Promise<AnalyticsBenchResult> {
  const runId = `bench-analytics-${Date.now()}`
  const readingsTopic = `${runId}-readings`
  const admin = options.kafka.admin()
  const created: string[] = []
  try {
    await admin.createTopics([{ name: readingsTopic, partitions: options.partitions, replicationFactor: 1 }])
    created.push(readingsTopic)
    options.onProgress?.(`filling ${readingsTopic} with ${options.readings} readings of ${options.sensors} sensors…`)
    await fillReadings(options, readingsTopic)
    const throughput: ThroughputResult[] = []
    for (const guarantee of options.guarantees) {
      const result = await measureThroughput(options, guarantee, readingsTopic, runId)
      options.onProgress?.(`  ${guarantee}: ${result.readingsPerSec} readings/s, peak RSS ${result.peakRssMiB} MiB`)
      throughput.push(result)
    }
    const live = options.liveSeconds > 0 ? await measureLive(options, runId) : null
    if (live) options.onProgress?.(`  live: ${live.readingsPerSec} readings/s, RSS ${live.rssMiB} MiB`)
    const alertLatency = options.alertSamples > 0 ? await measureAlertLatency(options, runId) : null
    return {
      sensors: options.sensors,
      partitions: options.partitions,
      serviceNodeOptions: options.serviceNodeOptions ?? null,
      throughput,
      live,
      alertLatency,
    }
  } finally {
    const topics = (await admin.listTopics().catch(() => [] as string[])).filter((t) => t.startsWith(runId))
    await admin.deleteTopics(topics).catch(() => undefined)
    await admin.close()
  }
}

export function formatAnalyticsBench(result: AnalyticsBenchResult): string {
  const lines = [
    `Sensor Analytics end to end: ${result.sensors} sensors, ${result.partitions} partitions`,
    'guarantee        readings/s   seconds  all stages s  CPU s  cores  peak RSS MiB',
  ]
  for (const t of result.throughput) {
    lines.push(
      `${(t.guarantee + (t.processes > 1 ? ` ×${t.processes}` : '')).padEnd(15)} ${String(t.readingsPerSec).padStart(11)} ${String(t.seconds).padStart(9)} ` +
        `${String(t.allStagesSeconds).padStart(13)} ${String(t.cpuSeconds).padStart(6)} ${String(t.cpuCores).padStart(6)} ` +
        `${String(t.peakRssMiB).padStart(13)}`,
    )
  }
  const live = result.live
  if (live) {
    lines.push(
      `live fleet (${live.readingsPerSec} readings/s for ${live.seconds} s, exactly-once, alerts on): ` +
        `${live.cpuCores} cores, RSS ${live.rssMiB} MiB (peak ${live.peakRssMiB}), lag at end ${live.lagAtEnd}`,
    )
  }
  if (result.serviceNodeOptions) lines.push(`service NODE_OPTIONS: ${result.serviceNodeOptions}`)
  const l = result.alertLatency
  if (l)
    lines.push(
      `alert latency (reading produced → alert readable): p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms, max ${l.maxMs} ms (${l.samples} samples)`,
    )
  return lines.join('\n')
}
