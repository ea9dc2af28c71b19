/**
 * Benchmark (not a test): latency from Kafka to an open browser page through the console's live feed.
 *   ISOBAR_TEST_BOOTSTRAP=127.0.0.1:29092 npx node packages/web/test/latency-bench.ts [sensors=1000] [seconds=120]
 * Runs the real stack (registry, Sensor Analytics at-least-once with 10-second panes, the console), the sensor
 * simulator at one reading per sensor per second, and Debian's chromium on the console. In the page, an
 * EventSource on /api/live records (arrival − record timestamp) per aggregate, i.e. from the moment the
 * aggregate was appended to sensors.aggregates, and (arrival − event time of the breaching reading) per alert,
 * for breaches injected every 3 s. The first breach waits until the page has its `ready` event and Sensor
 * Analytics' alert runner has committed some of the simulator's readings: an alert raised before the service reads
 * its input measures the service's start-up, not the path a live alert takes. Prints p50/p99 as JSON.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REPO_ROOT, testBootstrapServers } from '@isobar/testing'
import { chromium } from 'playwright-core'
import { TOKEN, startStack, waitFor } from './stack.ts'

const sensors = Number(process.argv[2] ?? 1000)
const seconds = Number(process.argv[3] ?? 120)
const cleanups: Array<() => unknown> = []
const t = { after: (fn: () => unknown) => void cleanups.push(fn) }

function pct(values: number[], p: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!)
}

try {
  const stack = await startStack(t, {
    readings: false,
    readingPartitions: 6,
    windowing: { paneMs: 10_000, hopSizeMs: 30_000, graceMs: 1000, idleMs: 15_000 },
  })
  const sim = spawn(
    process.execPath,
    [
      join(REPO_ROOT, 'packages/cli/bin/isobar.js'),
      ...['simulate', 'sensors', '--sensors', String(sensors), '--rate', String(sensors)],
      ...['--duration', `${seconds + 30}s`, '--topic', stack.topics.readings, '--no-faults'],
      ...['--registry-url', stack.registry.url],
    ],
    { env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: testBootstrapServers() }, stdio: 'ignore' },
  )
  cleanups.push(() => sim.kill('SIGTERM'))

  const profile = await mkdtemp(join(tmpdir(), 'isobar-bench-chromium-'))
  cleanups.push(() => rm(profile, { recursive: true, force: true }))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
  })
  cleanups.push(() => context.close())
  const page = context.pages()[0] ?? (await context.newPage())
  await page.goto(stack.console.url)
  await page.evaluate(
    `fetch('/api/session', {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({token: '${TOKEN}'})})`,
  )
  await page.goto(stack.console.url)
  await page.evaluate(`(() => {
    window.benchAgg = []; window.benchAlert = []
    const source = new EventSource('/api/live?types=aggregate,alert')
    source.addEventListener('ready', () => { window.benchReady = true })
    source.addEventListener('aggregate', (e) => { if (window.benchReady) window.benchAgg.push(Date.now() - JSON.parse(e.data).ts) })
    source.addEventListener('alert', (e) => {
      const a = JSON.parse(e.data)
      if (window.benchReady && a.change === 'fired' && a.entityId.startsWith('bench:')) window.benchAlert.push(Date.now() - a.eventTimeMs)
    })
  })()`)

  // Breaches: a fresh sensor every 3 s, two readings above 35 °C 1.1 s apart (the rule needs 1 s).
  const producer = stack.kafka.producer()
  cleanups.push(() => producer.close())
  const breach = async (n: number): Promise<void> => {
    const reading = (now: number) => ({
      topic: stack.topics.readings,
      key: Buffer.from(`bench:${n}`),
      value: Buffer.from(
        JSON.stringify({
          sensorId: `bench:${n}`,
          zoneId: 'bench.z1',
          sequence: now,
          eventTimeMs: now,
          ingestTimeMs: now,
          temperatureC: 80,
          relativeHumidityPct: 40,
        }),
      ),
    })
    await producer.send([reading(Date.now())])
    await new Promise((resolve) => setTimeout(resolve, 1100))
    await producer.send([reading(Date.now())])
  }
  await waitFor('the page live feed ready', () => page.evaluate<boolean>('window.benchReady === true'), 120_000)
  const admin = stack.kafka.admin()
  cleanups.push(() => admin.close())
  const waitStarted = Date.now()
  await waitFor(
    "Sensor Analytics' alert runner reading its input",
    async () =>
      (await admin.groupOffsets(`${stack.appId}-alerts`).catch(() => [])).some(
        (p) => p.offset !== null && p.offset > 0n,
      ),
    180_000,
  )
  const serviceReadyAfterMs = Date.now() - waitStarted
  const started = Date.now()
  let n = 0
  while (Date.now() - started < seconds * 1000) {
    void breach(n++)
    await new Promise((resolve) => setTimeout(resolve, 3000))
  }
  const agg = await page.evaluate<number[]>('window.benchAgg')
  const alerts = await page.evaluate<number[]>('window.benchAlert')
  const warm = agg.slice(Math.floor(agg.length / 4))
  console.log(
    JSON.stringify(
      {
        sensors,
        seconds,
        aggregates: { samples: warm.length, p50Ms: pct(warm, 50), p99Ms: pct(warm, 99), maxMs: pct(warm, 100) },
        alerts: { samples: alerts.length, p50Ms: pct(alerts, 50), p99Ms: pct(alerts, 99), maxMs: pct(alerts, 100) },
        // The first alert is also shown apart, with the percentiles without it (as the first quarter of the
        // aggregates is dropped above): it pays any cold path left (the alert producer's first connection).
        alertsAfterFirst: {
          samples: alerts.length - 1,
          p50Ms: pct(alerts.slice(1), 50),
          p99Ms: pct(alerts.slice(1), 99),
          maxMs: pct(alerts.slice(1), 100),
        },
        firstAlertMs: alerts[0] ?? null,
        serviceReadyAfterMs,
        alertsMsInOrder: alerts,
        hub: stack.console.app.hasDecorator('live')
          ? (stack.console.app as unknown as { live: { hub: { stats(): unknown } } }).live.hub.stats()
          : null,
        benchProcessRssMiB: Math.round(process.memoryUsage().rss / 1048576),
      },
      null,
      2,
    ),
  )
} finally {
  for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined)
  process.exit(0)
}
