import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test, type TestContext } from 'node:test'
import { DASHBOARDS, prometheusConfigYaml, startPrometheus, type ScrapeJob } from '@isobar/observability'
import { REPO_ROOT, createTestTopic, testBootstrapServers, testKafkaClient, uniqueTopicName } from '@isobar/testing'

// Fixed ports of this test (the observability range 30300–30399).
const PROMETHEUS_PORT = 30390
const WEATHER_PORT = 30364
const ANALYTICS_PORT = 30365

/** Panels whose queries need broker metrics from the JMX exporter agent (not attached to the shared test broker). */
const needsBrokerMetrics = (expr: string): boolean => /kafka_/.test(expr)

function startNode(t: TestContext, args: string[], env: Record<string, string>): { output(): string } {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: testBootstrapServers(), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-10_000)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    await exited
    clearTimeout(timer)
  })
  return { output: () => output }
}

test(
  'every service-dashboard panel query returns data from a real Prometheus scraping running services',
  { timeout: 300_000 },
  async (t) => {
    const readings = await createTestTopic(t, { prefix: 'dash-readings', partitions: 2 })
    const aggregates = await createTestTopic(t, { prefix: 'dash-aggregates', partitions: 2 })
    const sensorDlq = await createTestTopic(t, { prefix: 'dash-sensors-dlq' })
    const observations = await createTestTopic(t, { prefix: 'dash-observations', partitions: 2 })
    const weatherDlq = await createTestTopic(t, { prefix: 'dash-weather-dlq' })
    const applicationId = uniqueTopicName('dash-analytics')
    t.after(async () => {
      const admin = testKafkaClient().admin()
      const groups = [applicationId, `${applicationId}-zone-1m`, `${applicationId}-hop-0m`]
      await admin
        .deleteTopics([`${applicationId}-panes`, `${applicationId}-late`, ...groups.map((g) => `${g}-changelog`)])
        .catch(() => undefined)
      await admin.close()
    })

    const weather = startNode(t, [join(REPO_ROOT, 'packages/weather-streamer/src/main.ts')], {
      WEATHER_CONFIG: JSON.stringify({
        sources: ['sim'],
        topics: { observations, deadLetter: weatherDlq, partitions: 2 },
        alerts: { enabled: false },
      }),
      WEATHER_STATIONS: '5',
      METRICS_PORT: String(WEATHER_PORT),
    })
    const analytics = startNode(t, [join(REPO_ROOT, 'packages/sensor-analytics/src/analytics/main.ts')], {
      ANALYTICS_CONFIG: JSON.stringify({
        applicationId,
        topics: { readings, aggregates, deadLetter: sensorDlq, partitions: 2 },
        windowing: { paneMs: 1000, hopSizeMs: 5000, graceMs: 500, idleMs: 30_000 },
        commitIntervalMs: 500,
        sessionTimeoutMs: 6000,
        alerts: { enabled: false },
      }),
      ANALYTICS_INSTANCE_ID: 'dash-1',
      METRICS_PORT: String(ANALYTICS_PORT),
    })
    // 50 sensors, 100 readings/s, plain JSON (no registry), until the test ends.
    startNode(
      t,
      [
        join(REPO_ROOT, 'packages/cli/bin/isobar.js'),
        ...['simulate', 'sensors', '--topic', readings, '--format', 'json'],
        ...['--sensors', '50', '--rate', '100', '--duration', '10m'],
      ],
      {},
    )

    const dir = await mkdtemp(join(tmpdir(), 'isobar-prometheus-'))
    t.after(() => rm(dir, { recursive: true, force: true }))
    const jobs: ScrapeJob[] = [
      { job: 'weather-streamer', description: '', native: [`127.0.0.1:${WEATHER_PORT}`], compose: [] },
      { job: 'analytics', description: '', native: [`127.0.0.1:${ANALYTICS_PORT}`], compose: [] },
      { job: 'prometheus', description: '', native: [`127.0.0.1:${PROMETHEUS_PORT}`], compose: [] },
    ]
    const prometheus = await startPrometheus({
      dir,
      port: PROMETHEUS_PORT,
      configYaml: prometheusConfigYaml('native', {
        jobs,
        alertmanagers: [],
        ruleFiles: [join(REPO_ROOT, 'deploy/prometheus/rules/*.yml')],
        scrapeInterval: '1s',
        evaluationInterval: '1s',
      }),
    })
    t.after(() => prometheus.stop())

    const panels = DASHBOARDS.flatMap((d) =>
      d.rows.flatMap((r) =>
        r.panels.flatMap((p) => p.queries.map((q) => ({ dashboard: d.title, panel: p.title, expr: q.expr }))),
      ),
    )
    const covered = panels.filter((p) => !needsBrokerMetrics(p.expr))
    assert.ok(covered.length >= 18, `${covered.length} queries covered`)
    let missing = covered
    const deadline = Date.now() + 240_000
    while (missing.length > 0 && Date.now() < deadline) {
      const results = await Promise.all(missing.map(async (p) => ({ p, n: (await prometheus.query(p.expr)).length })))
      missing = results.filter((r) => r.n === 0).map((r) => r.p)
      if (missing.length > 0) await new Promise((resolve) => setTimeout(resolve, 2000))
    }
    assert.deepEqual(
      missing.map((p) => `${p.dashboard} / ${p.panel}: ${p.expr}`),
      [],
      `weather:\n${weather.output()}\nanalytics:\n${analytics.output()}\nprometheus:\n${prometheus.output()}`,
    )
  },
)
