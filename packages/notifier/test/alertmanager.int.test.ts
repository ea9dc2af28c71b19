import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { alertEventRecord } from '@isobar/alerts'
import { createMetricsRegistry, silentLogger } from '@isobar/core'
import { buildNotifier, parseNotifierConfig } from '@isobar/notifier'
import { findBinary } from '@isobar/observability'
import { REPO_ROOT, createTestTopic, testKafkaClient } from '@isobar/testing'
import { parse, stringify } from 'yaml'
import { alertEvent, startReceiver, waitFor } from './helpers.ts'

/** Fixed port of this test's Alertmanager (the observability range 30300–30399). */
const ALERTMANAGER_PORT = 30393

interface WebhookMessage {
  status: string
  alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string> }[]
}

test('a sensor alert transition reaches a webhook through a real Alertmanager (firing, then resolved)', async (t) => {
  const receiver = await startReceiver(() => 200)
  t.after(() => receiver.close())

  // The shipped configuration, with its receiver pointed at the local webhook and shorter waits for the test.
  const shipped = parse(await readFile(join(REPO_ROOT, 'deploy/alertmanager/alertmanager.yml'), 'utf8')) as {
    route: Record<string, unknown> & { routes?: Record<string, unknown>[] }
    receivers: { webhook_configs: { url: string }[] }[]
  }
  for (const r of shipped.receivers) for (const w of r.webhook_configs) w.url = `${receiver.url}/alertmanager`
  Object.assign(shipped.route, { group_wait: '1s', group_interval: '1s' })
  for (const route of shipped.route.routes ?? []) Object.assign(route, { group_wait: '1s' })
  const dir = await mkdtemp(join(tmpdir(), 'isobar-alertmanager-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  await writeFile(join(dir, 'alertmanager.yml'), stringify(shipped))

  const alertmanager = spawn(
    await findBinary('alertmanager'),
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${ALERTMANAGER_PORT}`,
      '--cluster.listen-address=', // no gossip: a single local instance
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let stderr = ''
  alertmanager.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const exited = new Promise<void>((resolve) => alertmanager.once('exit', () => resolve()))
  t.after(async () => {
    alertmanager.kill('SIGTERM')
    await exited
  })
  const amUrl = `http://127.0.0.1:${ALERTMANAGER_PORT}`
  let ready = false
  await waitFor(
    () => {
      void fetch(`${amUrl}/-/ready`).then(
        (r) => (ready = r.ok),
        () => undefined,
      )
      if (alertmanager.exitCode !== null) throw new Error(`alertmanager exited: ${stderr}`)
      return ready
    },
    60_000,
    'Alertmanager ready',
  )

  const sensors = await createTestTopic(t, { prefix: 'am-sensors' })
  const weather = await createTestTopic(t, { prefix: 'am-weather' })
  const notifier = buildNotifier({
    config: parseNotifierConfig({
      topics: { sensors, weather },
      groupId: `notifier-am-${randomUUID().slice(0, 8)}`,
      startFrom: 'earliest',
      alertmanager: { url: amUrl },
      retry: { initialMs: 100, maxMs: 1000 },
      metricsPort: 0,
    }),
    kafka: testKafkaClient(),
    metrics: createMetricsRegistry('notifier', { runtimeMetrics: false }),
    logger: silentLogger(),
  })
  notifier.start()
  t.after(() => notifier.stop())

  const producer = testKafkaClient().producer()
  t.after(() => producer.close())
  const fired = alertEvent({
    alertId: `a-${randomUUID().slice(0, 8)}`,
    eventTimeMs: Date.now() - 60_000,
    firingSinceMs: Date.now() - 60_000,
  })
  await producer.send([alertEventRecord(sensors, fired)])

  const messages = (): WebhookMessage[] => receiver.requests.map((r) => JSON.parse(r.body) as WebhookMessage)
  await waitFor(() => messages().some((m) => m.status === 'firing'), 120_000, 'the firing notification')
  const firing = messages().find((m) => m.status === 'firing')
  assert.equal(firing?.alerts.length, 1)
  assert.deepEqual(firing?.alerts[0]?.labels, {
    alertname: 'temperature-high',
    rule: 'temperature-high',
    severity: 'critical',
    source: 'sensors',
    entity: 'sim:s01.z2.temperature-00042',
    site: 's01',
    zone: 's01.z2',
    sensor: 'sim:s01.z2.temperature-00042',
  })
  assert.equal(firing?.alerts[0]?.annotations.summary, 'temperature 41.5 above 40')

  await producer.send([
    alertEventRecord(sensors, { ...fired, state: 'resolved', change: 'resolved', eventTimeMs: Date.now() - 1000 }),
  ])
  await waitFor(() => messages().some((m) => m.status === 'resolved'), 120_000, 'the resolved notification')
  const resolved = messages().find((m) => m.status === 'resolved')
  assert.equal(resolved?.alerts[0]?.labels.sensor, 'sim:s01.z2.temperature-00042')
  assert.equal(resolved?.alerts[0]?.status, 'resolved')
})
