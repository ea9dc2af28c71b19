/**
 * Benchmark (not a test): where the time of an alert goes, hop by hop, from the breaching reading to an SSE client.
 *   ISOBAR_TEST_BOOTSTRAP=127.0.0.1:29092 npx node packages/admin-api/test/live/alert-hops-bench.ts \
 *     [service|inproc] [alerts=10] [gapMs=1500] [wait|nowait]
 * On the real broker: a Schema Registry (in this process), the alert runner of @isobar/alerts with a `for: 1s`
 * threshold rule writing alert events in the registry wire format (`service`: the real Sensor Analytics service as
 * its own process, as packages/web/test/stack.ts runs it; `inproc`: an AlertRunner in this process), the console
 * (startConsole, live feed eager) and one fetch-based SSE client on /api/live?types=alert. Background readings flow
 * (4 sensors, 10/s). Once the client has its `ready` and (`wait`, the default) the alert runner has committed some
 * of the background readings, a fresh sensor breaches every `gapMs` (two readings 1.1 s apart). `nowait` breaches
 * at once, as the browser bench does. Per alert, on one clock (the alert body carries eventTimeMs, raisedAtMs and
 * the record timestamp `ts`; the hub's publish is wrapped here):
 *   engine   breaching reading produced (its eventTimeMs) → the engine raised the alert (raisedAtMs)
 *   produce  raised → the alert record's timestamp (set by the runner's producer when it sends)
 *   feed     record timestamp → the console's live feed published it to the hub (acked, fetched, decoded)
 *   sse      hub → the SSE client read the event
 * Prints the first alert apart from the warm ones (median and max per hop of alerts 2..n) as JSON.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startConsole } from '@isobar/admin-api'
import { AlertEngine, AlertRunner, fieldAccessor, parseRulesText } from '@isobar/alerts'
import { createJsonValueEncoder, SchemaRegistryClient } from '@isobar/core'
import { startRegistryFixture } from '@isobar/registry/fixture'
import { latestSchema, TopicNames, valueSubject } from '@isobar/schemas'
import { createTestTopic, REPO_ROOT, testBootstrapServers, testKafkaClient, uniqueTopicName } from '@isobar/testing'

const mode = process.argv[2] === 'service' ? 'service' : 'inproc'
const alertsWanted = Number(process.argv[3] ?? 10)
const gapMs = Number(process.argv[4] ?? 1500)
const waitForInput = process.argv[5] !== 'nowait'
const TOKEN = 'alert-hops-bench-token'
const RULES = `rules:
  - id: temperature-high
    type: threshold
    metric: temperatureC
    above: 35
    clear: 32
    for: 1s
    severity: critical
`
interface Reading {
  sensorId: string
  zoneId: string
  sequence: number
  eventTimeMs: number
  ingestTimeMs: number
  temperatureC: number
  relativeHumidityPct: number
}
interface Hops {
  eventTimeMs: number
  raisedAtMs: number
  /** The alert record's timestamp (set by the runner's producer). */
  tsMs: number
  hubAtMs: number
  sseAtMs?: number
}

const cleanups: Array<() => unknown> = []
const t = { after: (fn: () => unknown) => void cleanups.push(fn) }
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? null

async function waitFor(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await probe()) return
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

try {
  const t0 = Date.now()
  const mark = (label: string) => console.error(`+${Date.now() - t0} ms ${label}`)
  const kafka = testKafkaClient()
  const readings = await createTestTopic(t, { partitions: 1, prefix: 'hops-readings' })
  const alerts = await createTestTopic(t, { partitions: 1, prefix: 'hops-alerts' })
  const commands = await createTestTopic(t, { partitions: 1, prefix: 'hops-commands' })
  const registryFixture = await startRegistryFixture({ kafka, prefix: 'hops-schemas' })
  cleanups.push(() => registryFixture.close())
  const registry = registryFixture.running
  mark('registry up')

  const byEntity = new Map<string, Hops>()
  let inputConsuming: () => Promise<boolean>
  const alertsGroup = uniqueTopicName('hops-alerts-group')
  if (mode === 'service') {
    const dir = await mkdtemp(join(tmpdir(), 'isobar-hops-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    const rulesFile = join(dir, 'rules.yaml')
    await writeFile(rulesFile, RULES)
    const appId = uniqueTopicName('hops-analytics')
    const config = {
      applicationId: appId,
      guarantee: 'at-least-once',
      from: 'earliest',
      topics: { readings, aggregates: uniqueTopicName('hops-agg'), deadLetter: uniqueTopicName('hops-dlq') },
      windowing: { paneMs: 10_000, hopSizeMs: 30_000, graceMs: 1000, idleMs: 15_000 },
      sessionTimeoutMs: 6000,
      alerts: { enabled: true, rulesFile, topic: alerts, commandsTopic: commands, tickMs: 500 },
      lag: { intervalMs: 1000 },
      metricsPort: 0,
      registryUrl: registry.url,
    }
    const child = spawn(process.execPath, [join(REPO_ROOT, 'packages/sensor-analytics/src/analytics/main.ts')], {
      env: {
        ...process.env,
        KAFKA_BOOTSTRAP_SERVERS: testBootstrapServers(),
        LOG_LEVEL: 'warn',
        ANALYTICS_CONFIG: JSON.stringify(config),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    cleanups.push(async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
      const admin = kafka.admin()
      const groups = [appId, `${appId}-zone-1m`, `${appId}-hop-1m`]
      const internal = [`${appId}-panes`, `${appId}-late`, ...groups.map((g) => `${g}-changelog`)]
      await admin.deleteTopics([...internal, config.topics.aggregates, config.topics.deadLetter]).catch(() => undefined)
      await admin.close()
    })
    // The service's alert runner has read (and committed) some of the background readings.
    const admin = kafka.admin()
    cleanups.push(() => admin.close())
    inputConsuming = async () =>
      (await admin.groupOffsets(`${appId}-alerts`).catch(() => [])).some((p) => p.offset !== null && p.offset > 0n)
    mark('analytics service spawned')
  } else {
    const encode = await createJsonValueEncoder({
      registry: new SchemaRegistryClient({ url: registry.url }),
      subject: valueSubject(alerts),
      schema: latestSchema(TopicNames.SENSORS_ALERTS),
    })
    let ingested = 0
    const runner = new AlertRunner<Reading>({
      client: kafka,
      engine: new AlertEngine<Reading>({
        rules: parseRulesText(RULES, 'yaml'),
        accessor: fieldAccessor<Reading>({ entity: 'sensorId', time: 'eventTimeMs' }),
      }),
      inputTopics: [readings],
      decode: (record) => {
        ingested++
        return JSON.parse(record.value?.toString() ?? 'null') as Reading
      },
      groupId: alertsGroup,
      alertsTopic: alerts,
      commandsTopic: commands,
      from: 'earliest',
      tickMs: 500,
      encodeEvent: encode,
    })
    await runner.start()
    cleanups.push(() => runner.stop())
    inputConsuming = () => Promise.resolve(ingested > 0)
    mark('alert runner started in this process')
  }

  const running = await startConsole({
    kafka,
    port: 0,
    token: TOKEN,
    registryUrl: registry.url,
    live: {
      eager: true,
      feeds: {
        topics: {
          aggregates: uniqueTopicName('hops-agg'),
          alerts,
          observations: uniqueTopicName('hops-obs'),
          weatherAlerts: uniqueTopicName('hops-walerts'),
        },
        lagIntervalMs: 0,
      },
    },
  })
  cleanups.push(() => running.close())
  mark('console up')
  const hub = (running.app as unknown as { live: { hub: { publish: (e: { type: string; data: string }) => unknown } } })
    .live.hub
  const publish = hub.publish.bind(hub)
  hub.publish = (event) => {
    const now = Date.now()
    if (event.type === 'alert') {
      const a = JSON.parse(event.data) as {
        entityId: string
        change: string
        eventTimeMs: number
        raisedAtMs: number
        ts: number
      }
      if (a.change === 'fired' && a.entityId.startsWith('bench:') && !byEntity.has(a.entityId))
        byEntity.set(a.entityId, { eventTimeMs: a.eventTimeMs, raisedAtMs: a.raisedAtMs, tsMs: a.ts, hubAtMs: now })
    }
    return publish(event)
  }

  // Background readings, as a simulator would send them.
  const producer = kafka.producer()
  cleanups.push(() => producer.close())
  let stopped = false
  let sequence = 0
  const reading = (sensorId: string, temperatureC: number): { topic: string; key: Buffer; value: Buffer } => {
    const now = Date.now()
    const value: Reading = {
      sensorId,
      zoneId: 's01.z1',
      sequence: ++sequence,
      eventTimeMs: now,
      ingestTimeMs: now,
      temperatureC,
      relativeHumidityPct: 45,
    }
    return { topic: readings, key: Buffer.from(sensorId), value: Buffer.from(JSON.stringify(value)) }
  }
  const background = (async () => {
    while (!stopped) {
      await producer.send(['mote:1', 'mote:2', 'mote:3', 'mote:4'].map((s) => reading(s, 21))).catch(() => undefined)
      await sleep(100)
    }
  })()
  cleanups.push(async () => {
    stopped = true
    await background
  })

  // The SSE client.
  const controller = new AbortController()
  cleanups.push(() => controller.abort())
  const response = await fetch(`${running.url}/api/live?types=alert`, {
    headers: { authorization: `Bearer ${TOKEN}` },
    signal: controller.signal,
  })
  let ready = false
  void (async () => {
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const now = Date.now()
        buffer += decoder.decode(chunk, { stream: true })
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          if (block.includes('event: ready')) ready = true
          const data = /^data: (.*)$/m.exec(block)?.[1]
          if (!block.includes('event: alert') || data === undefined) continue
          const hops = byEntity.get((JSON.parse(data) as { entityId: string }).entityId)
          if (hops && hops.sseAtMs === undefined) hops.sseAtMs = now
        }
      }
    } catch {
      // aborted at the end
    }
  })()
  await waitFor('the SSE ready event', () => ready)
  mark('SSE client ready')
  if (waitForInput) {
    await waitFor('the alert runner reading its input', inputConsuming)
    mark('alert runner consuming')
  }

  const breach = async (n: number): Promise<void> => {
    await producer.send([reading(`bench:${n}`, 80)])
    await sleep(1100)
    await producer.send([reading(`bench:${n}`, 80)])
  }
  mark('first breach')
  for (let n = 0; n < alertsWanted; n++) {
    void breach(n)
    await sleep(gapMs)
  }
  await waitFor(
    'every alert at the client',
    () => byEntity.size >= alertsWanted && [...byEntity.values()].every((h) => h.sseAtMs !== undefined),
  )
  const rows = [...Array(alertsWanted).keys()].map((n) => {
    const h = byEntity.get(`bench:${n}`)!
    return {
      engine: h.raisedAtMs - h.eventTimeMs,
      produce: h.tsMs - h.raisedAtMs,
      feed: h.hubAtMs - h.tsMs,
      sse: h.sseAtMs! - h.hubAtMs,
      total: h.sseAtMs! - h.eventTimeMs,
    }
  })
  const warm = rows.slice(1)
  const hopNames = ['engine', 'produce', 'feed', 'sse', 'total'] as const
  console.log(
    JSON.stringify(
      {
        mode,
        waitForInput,
        alerts: alertsWanted,
        first: rows[0],
        warmMedian: Object.fromEntries(hopNames.map((k) => [k, median(warm.map((r) => r[k]))])),
        warmMax: Object.fromEntries(hopNames.map((k) => [k, Math.max(...warm.map((r) => r[k]))])),
        totalsInOrder: rows.map((r) => r.total),
      },
      null,
      2,
    ),
  )
} finally {
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined)
  process.exit(0)
}
