/** Running the service under test (in-process or as main.ts) and reading what it committed. */
import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import type { TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import { createMetricsRegistry, type ConsumedRecord, type KafkaClient, type ProducerRecord } from '@isobar/core'
import { createTestTopic, testBootstrapServers, testKafkaClient, uniqueTopicName } from '@isobar/testing'
import { createSensorAnalytics } from '../../src/analytics/app.ts'
import { parseSensorAnalyticsConfig } from '../../src/analytics/config.ts'
import { realRows, type AggregateRow, type TestReading } from './helpers.ts'

export const MAIN_SCRIPT = fileURLToPath(new URL('../../src/analytics/main.ts', import.meta.url))

/** Small windows so a test covers many of them in seconds. */
export const TEST_WINDOWING = {
  paneMs: 1000,
  hopSizeMs: 5000,
  graceMs: 500,
  idleMs: 3000,
}

export function readingRecords(topic: string, readings: readonly TestReading[]): ProducerRecord[] {
  return readings.map((r) => ({ topic, key: Buffer.from(r.sensorId), value: Buffer.from(JSON.stringify(r)) }))
}

export async function produce(kafka: KafkaClient, records: ProducerRecord[], chunk = 5000): Promise<void> {
  const producer = kafka.producer()
  try {
    for (let i = 0; i < records.length; i += chunk) await producer.send(records.slice(i, i + chunk))
  } finally {
    await producer.close()
  }
}

/** Everything committed in a topic right now (read_committed, each partition to its last stable offset). */
export async function readAllCommitted(kafka: KafkaClient, topic: string) {
  const admin = kafka.admin()
  const [description] = await admin.describeTopics([topic]).finally(() => admin.close())
  const records: ConsumedRecord[] = []
  for (const { partition } of description?.partitions ?? []) {
    await kafka.readCommitted({ topic, partition, timeoutMs: 20_000, onRecords: (r) => records.push(...r) })
  }
  return records
}

export async function readAggregates(kafka: KafkaClient, topic: string): Promise<AggregateRow[]> {
  return (await readAllCommitted(kafka, topic)).map((r) => JSON.parse(r.value!.toString('utf8')) as AggregateRow)
}

/** Polls until `done` holds (true) or the timeout passes (false). */
export async function waitUntil(done: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 250) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await done()) return true
    if (Date.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
}

/** Sum over partitions of the topic's end offsets (transaction markers included): grows as commits land. */
export async function endOffsetSum(kafka: KafkaClient, topic: string): Promise<bigint> {
  const admin = kafka.admin()
  try {
    return (await admin.listOffsets(topic)).reduce((sum, o) => sum + o.latest, 0n)
  } finally {
    await admin.close()
  }
}

/** Deletes the topics the service created for an application id when the test ends. */
export function cleanUpServiceTopics(t: Pick<TestContext, 'after'>, appId: string, hopMinutes = 0): void {
  t.after(async () => {
    const groups = [appId, `${appId}-zone-1m`, `${appId}-hop-${hopMinutes}m`]
    const names = [`${appId}-panes`, `${appId}-late`, ...groups.map((g) => `${g}-changelog`)]
    const admin = testKafkaClient().admin()
    await admin.deleteTopics(names).catch(() => undefined)
    await admin.close()
  })
}

/** A port nothing listens on right now (listen on 0, close, reuse). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

export interface ServiceProcess {
  child: ChildProcess
  /** Resolves with the exit code (null after a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  output(): string
}

/** Starts main.ts with the given environment against the test broker; SIGKILLed when the test ends. */
export function startService(t: Pick<TestContext, 'after'>, env: Record<string, string>): ServiceProcess {
  const child = spawn(process.execPath, [MAIN_SCRIPT], {
    env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: testBootstrapServers(), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20_000)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  return { child, exited, output: () => output }
}

export async function getText(port: number, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`)
  return { status: response.status, body: await response.text() }
}

/** A gauge's value with label stage="<stage>" from Prometheus text, or undefined. */
export function gaugeValue(metrics: string, name: string, stage: string): number | undefined {
  const line = metrics
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && l.includes(`stage="${stage}"`) && !l.startsWith('#'))
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1))
}

/** Scrapes a gauge, undefined while the endpoint is not up yet. */
export async function scrapeGauge(port: number, name: string, stage: string): Promise<number | undefined> {
  try {
    return gaugeValue((await getText(port, '/metrics')).body, name, stage)
  } catch {
    return undefined
  }
}

/** How a run ends: every real window (start before sentinelFromMs) committed. */
export interface RunOptions {
  readings: string
  partitions: number
  expectedWindows: number
  sentinelFromMs: number
  windowing?: typeof TEST_WINDOWING
  guarantee?: 'at-least-once' | 'exactly-once'
  timeoutMs?: number
  /** Two instances: one runs the pane stage, the other the zone and hopping stages. */
  splitStages?: boolean
}

/**
 * Runs the service in-process on what the readings topic holds until the real windows are all committed
 * (bounded), stops it, and returns what it committed and its stats.
 */
export async function runToCompletion(t: TestContext, o: RunOptions) {
  const kafka = testKafkaClient()
  const aggregates = await createTestTopic(t, { partitions: o.partitions, prefix: 'analytics-agg' })
  const deadLetter = await createTestTopic(t, { partitions: 1, prefix: 'analytics-dlq' })
  const applicationId = uniqueTopicName('analytics-run')
  cleanUpServiceTopics(t, applicationId)
  const stageSets = o.splitStages ? [['panes'], ['zone-1m', 'hopping']] : [['panes', 'zone-1m', 'hopping']]
  const configs = stageSets.map((stages) =>
    parseSensorAnalyticsConfig({
      applicationId,
      instanceId: 'i1',
      stages,
      guarantee: o.guarantee ?? 'at-least-once',
      topics: { readings: o.readings, aggregates, deadLetter, partitions: o.partitions },
      windowing: o.windowing ?? TEST_WINDOWING,
      commitIntervalMs: 200,
      sessionTimeoutMs: 6000,
      alerts: { enabled: false },
    }),
  )
  const instances = await Promise.all(
    configs.map((config) => createSensorAnalytics({ config, kafka, metrics: createMetricsRegistry('analytics-test') })),
  )
  const started = Date.now()
  for (const analytics of instances) await analytics.start()
  try {
    // Bounded: every real window closes by stream time once the sentinels are read.
    await waitUntil(
      async () => realRows(await readAggregates(kafka, aggregates), o.sentinelFromMs).length >= o.expectedWindows,
      o.timeoutMs ?? 45_000,
      500,
    )
  } finally {
    for (const analytics of instances) await analytics.stop()
  }
  const elapsedMs = Date.now() - started
  const rows = realRows(await readAggregates(kafka, aggregates), o.sentinelFromMs)
  const stats = Object.assign({}, ...instances.map((analytics) => analytics.stats())) as ReturnType<
    (typeof instances)[number]['stats']
  >
  return { kafka, rows, stats, topics: instances[0]!.topics, deadLetter, elapsedMs }
}
