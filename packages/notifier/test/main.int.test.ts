import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { test } from 'node:test'
import { REPO_ROOT, runProcess, testBootstrapServers, uniqueTopicName } from '@isobar/testing'
import { waitFor } from './helpers.ts'

const MAIN = join(REPO_ROOT, 'packages/notifier/src/main.ts')
/** Fixed metrics port of this test (the observability range 30300–30399). */
const METRICS_PORT = 30367

test('main: a missing channel is one clear fatal line and exit code 1', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, KAFKA_BOOTSTRAP_SERVERS: testBootstrapServers() }
  delete env.NOTIFIER_ALERTMANAGER_URL
  delete env.NOTIFIER_WEBHOOK_URL
  const result = await runProcess(process.execPath, [MAIN], { env, timeoutMs: 60_000 })
  assert.equal(result.exitCode, 1)
  assert.match(result.stderr, /ISOBAR_NOTIFIER_CONFIG_INVALID/)
  assert.match(result.stderr, /set NOTIFIER_ALERTMANAGER_URL or NOTIFIER_WEBHOOK_URL/)
  const bad = await runProcess(process.execPath, [MAIN], {
    env: {
      ...env,
      NOTIFIER_WEBHOOK_URL: 'http://127.0.0.1:1/x',
      NOTIFIER_WEBHOOK_SECRET: 'x'.repeat(20),
      METRICS_PORT: '80a',
    },
    timeoutMs: 60_000,
  })
  assert.equal(bad.exitCode, 1)
  assert.match(bad.stderr, /metricsPort must be integer/)
})

test('main: serves /health, /ready and /metrics, and exits 0 on SIGTERM', async (t) => {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      KAFKA_BOOTSTRAP_SERVERS: testBootstrapServers(),
      NOTIFIER_WEBHOOK_URL: 'http://127.0.0.1:1/never-called',
      NOTIFIER_WEBHOOK_SECRET: 'a-secret-of-more-than-16',
      NOTIFIER_GROUP_ID: uniqueTopicName('notifier-main'),
      NOTIFIER_SENSOR_ALERTS_TOPIC: uniqueTopicName('notifier-main-sensors'),
      NOTIFIER_WEATHER_ALERTS_TOPIC: uniqueTopicName('notifier-main-weather'),
      METRICS_PORT: String(METRICS_PORT),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL')
  })
  let health = 0
  await waitFor(
    () => {
      void fetch(`http://127.0.0.1:${METRICS_PORT}/health`).then(
        (r) => (health = r.status),
        () => undefined,
      )
      return health === 200
    },
    60_000,
    `/health (${output})`,
  )
  const metrics = await (await fetch(`http://127.0.0.1:${METRICS_PORT}/metrics`)).text()
  assert.match(metrics, /isobar_notifier_firing_alerts\{service="notifier"\} 0/)
  assert.match(metrics, /# TYPE isobar_notifier_delivery_failures_total counter/)
  child.kill('SIGTERM')
  assert.equal(await exited, 0)
})
