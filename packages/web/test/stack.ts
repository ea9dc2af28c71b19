/**
 * The real stack for the browser tests: a Schema Registry (in-process, its own _schemas topic), the Sensor
 * Analytics service (its own process, with 1-second panes and a 1-second alert rule, so a test sees windows
 * and alerts in seconds), the Admin API serving the built console, and a small reading producer.
 * Everything runs against the shared test broker with unique topic names, and stops when the test ends.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { startConsole, type RunningConsole } from '@isobar/admin-api'
import type { KafkaClient, Producer } from '@isobar/core'
import type { RunningRegistry } from '@isobar/registry'
import { startRegistryFixture } from '@isobar/registry/fixture'
import { REPO_ROOT, createTestTopic, testBootstrapServers, testKafkaClient, uniqueTopicName } from '@isobar/testing'

export const TOKEN = 'browser-test-token-0123456789'

const RULES = `rules:
  - id: temperature-high
    type: threshold
    description: Temperature above 35 °C (test rule, 1 s)
    metric: temperatureC
    above: 35
    clear: 32
    for: 1s
    severity: critical
`

export interface Stack {
  console: RunningConsole
  registry: RunningRegistry
  kafka: KafkaClient
  topics: { readings: string; aggregates: string; alerts: string; commands: string; dlq: string; observations: string }
  appId: string
  sensors: string[]
  /** Readings of the next `breach` sensors are 80 °C instead of ~21 °C. */
  breach: Set<string>
  analyticsOutput(): string
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

export interface StackOptions {
  /** Run the built-in 4-sensor reading producer (default true). */
  readings?: boolean
  windowing?: { paneMs: number; hopSizeMs: number; graceMs: number; idleMs: number }
  guarantee?: 'at-least-once' | 'exactly-once'
  readingPartitions?: number
}

export async function startStack(t: Pick<TestContext, 'after'>, options: StackOptions = {}): Promise<Stack> {
  const kafka = testKafkaClient()
  const partitions = options.readingPartitions ?? 2
  const readings = await createTestTopic(t, { partitions, prefix: 'web-readings' })
  const aggregates = await createTestTopic(t, { partitions, prefix: 'web-aggregates' })
  const alerts = await createTestTopic(t, { partitions: 1, prefix: 'web-alerts' })
  const commands = await createTestTopic(t, { partitions: 1, prefix: 'web-commands' })
  const dlq = await createTestTopic(t, { partitions: 1, prefix: 'web-dlq' })
  const observations = await createTestTopic(t, { partitions: 1, prefix: 'web-obs' })
  const appId = uniqueTopicName('web-analytics')

  const registryFixture = await startRegistryFixture({ kafka, prefix: 'web-schemas' })
  t.after(() => registryFixture.close())
  const registry = registryFixture.running

  const dir = await mkdtemp(join(tmpdir(), 'isobar-web-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const rulesFile = join(dir, 'rules.yaml')
  await writeFile(rulesFile, RULES)
  const config = {
    applicationId: appId,
    guarantee: options.guarantee ?? 'at-least-once',
    from: 'earliest',
    topics: { readings, aggregates, deadLetter: dlq },
    windowing: options.windowing ?? { paneMs: 1000, hopSizeMs: 5000, graceMs: 500, idleMs: 3000 },
    sessionTimeoutMs: 6000,
    alerts: { enabled: true, rulesFile, topic: alerts, commandsTopic: commands, tickMs: 500 },
    lag: { intervalMs: 1000 },
    metricsPort: 0,
    registryUrl: registry.url,
  }
  const analytics = spawnService(t, join(REPO_ROOT, 'packages/sensor-analytics/src/analytics/main.ts'), {
    ANALYTICS_CONFIG: JSON.stringify(config),
  })
  t.after(async () => {
    const admin = kafka.admin()
    const hopMinutes = Math.round(config.windowing.hopSizeMs / 60_000)
    const groups = [appId, `${appId}-zone-1m`, `${appId}-hop-${hopMinutes}m`]
    await admin
      .deleteTopics([`${appId}-panes`, `${appId}-late`, ...groups.map((g) => `${g}-changelog`)])
      .catch(() => undefined)
    await admin.close()
  })

  const running = await startConsole({
    kafka,
    port: 0,
    token: TOKEN,
    registryUrl: registry.url,
    live: {
      eager: true,
      feeds: {
        topics: {
          aggregates,
          alerts,
          observations,
          weatherAlerts: uniqueTopicName('web-walerts'),
        },
        lagIntervalMs: 1000,
      },
    },
    alerts: { alertsTopic: alerts, commandsTopic: commands },
  })
  t.after(() => running.close())

  const sensors = ['mote:1', 'mote:2', 'mote:3', 'mote:4']
  const breach = new Set<string>()
  const producer = kafka.producer()
  const stopReadings =
    options.readings === false ? () => Promise.resolve() : produceReadings(producer, readings, sensors, breach)
  t.after(async () => {
    await stopReadings()
    await producer.close()
  })
  return {
    console: running,
    registry,
    kafka,
    topics: { readings, aggregates, alerts, commands, dlq, observations },
    appId,
    sensors,
    breach,
    analyticsOutput: analytics.output,
  }
}

/** Four sensors in two zones of site s01, a reading per sensor every 100 ms (ten per pane). */
function produceReadings(
  producer: Producer,
  topic: string,
  sensors: string[],
  breach: Set<string>,
): () => Promise<void> {
  let sequence = 0
  let stopped = false
  const loop = (async () => {
    while (!stopped) {
      const now = Date.now()
      sequence++
      await producer
        .send(
          sensors.map((sensorId, i) => ({
            topic,
            key: Buffer.from(sensorId),
            value: Buffer.from(
              JSON.stringify({
                sensorId,
                zoneId: i < 2 ? 's01.z1' : 's01.z2',
                sequence,
                eventTimeMs: now,
                ingestTimeMs: now,
                temperatureC: breach.has(sensorId) ? 80 + Math.random() : 21 + Math.sin(sequence / 10) + i,
                relativeHumidityPct: 45 + Math.random(),
              }),
            ),
          })),
        )
        .catch(() => undefined)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })()
  return async () => {
    stopped = true
    await loop
  }
}

function spawnService(
  t: Pick<TestContext, 'after'>,
  script: string,
  env: Record<string, string>,
): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: testBootstrapServers(), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20_000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  t.after(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  })
  return { child, output: () => output }
}
