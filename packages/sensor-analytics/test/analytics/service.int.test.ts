import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { createMetricsRegistry } from '@isobar/core'
import { createTestTopic, testKafkaClient, uniqueTopicName } from '@isobar/testing'
import { createSensorAnalytics } from '../../src/analytics/app.ts'
import { parseSensorAnalyticsConfig } from '../../src/analytics/config.ts'
import { TEST_WINDOWING, cleanUpServiceTopics, freePort, getText, startService, waitUntil } from './service-helpers.ts'

describe('sensor analytics service process', () => {
  it(
    'serves /health, /ready (503 until every stage runs, then 200) and isobar_analytics_* metrics',
    { timeout: 60_000 },
    async (t) => {
      const readings = await createTestTopic(t, { partitions: 2, prefix: 'analytics-in' })
      const aggregates = await createTestTopic(t, { partitions: 2, prefix: 'analytics-agg' })
      const deadLetter = await createTestTopic(t, { partitions: 1, prefix: 'analytics-dlq' })
      const applicationId = uniqueTopicName('analytics-svc')
      cleanUpServiceTopics(t, applicationId)
      const config = {
        applicationId,
        guarantee: 'at-least-once',
        topics: { readings, aggregates, deadLetter },
        windowing: TEST_WINDOWING,
        sessionTimeoutMs: 6000,
        alerts: { enabled: false },
      }

      // Not ready before start (in-process: deterministic).
      const app = await createSensorAnalytics({
        config: parseSensorAnalyticsConfig(config),
        kafka: testKafkaClient(),
        metrics: createMetricsRegistry('analytics-test'),
      })
      assert.equal(app.isReady(), false)

      const port = await freePort()
      const service = startService(t, { ANALYTICS_CONFIG: JSON.stringify(config), METRICS_PORT: String(port) })
      const up = await waitUntil(
        () =>
          getText(port, '/health').then(
            (r) => r.status === 200,
            () => false,
          ),
        20_000,
        20,
      )
      assert.ok(up, `/health never answered: ${service.output()}`)
      const seen: number[] = []
      const ready = await waitUntil(
        async () => {
          const { status } = await getText(port, '/ready')
          if (seen.at(-1) !== status) seen.push(status)
          return status === 200
        },
        30_000,
        20,
      )
      assert.ok(ready, `never ready: ${service.output()}`)
      assert.equal(seen[0], 503, `first /ready answers: ${seen.join(', ')}`)
      assert.equal((await getText(port, '/health')).status, 200)

      const metrics = (await getText(port, '/metrics')).body
      for (const stage of ['panes', 'zone-1m', 'hopping']) {
        assert.match(metrics, new RegExp(`isobar_analytics_ready\\{[^}]*stage="${stage}"[^}]*\\} 1`))
        assert.match(metrics, new RegExp(`isobar_analytics_active_tasks\\{[^}]*stage="${stage}"[^}]*\\} \\d`))
      }
      assert.match(metrics, /isobar_analytics_records_processed\{/)

      service.child.kill('SIGTERM')
      const { code } = await service.exited
      assert.equal(code, 0, service.output())
    },
  )

  const badConfigs: Array<{ name: string; problem: RegExp; env: (dir: string) => Promise<Record<string, string>> }> = [
    {
      name: 'hopSizeMs not a multiple of paneMs',
      problem: /hopSizeMs/,
      env: () =>
        Promise.resolve({ ANALYTICS_CONFIG: JSON.stringify({ windowing: { paneMs: 1000, hopSizeMs: 2500 } }) }),
    },
    {
      name: 'a rules file with a bad rule',
      problem: /too-hot/,
      env: async (dir) => {
        const file = join(dir, 'rules.yaml')
        await writeFile(file, 'rules:\n  - id: too-hot\n    type: threshold\n    metric: temperatureC\n')
        return { ANALYTICS_RULES_FILE: file }
      },
    },
  ]
  for (const bad of badConfigs) {
    it(`exits non-zero with a one-line message naming the problem: ${bad.name}`, { timeout: 30_000 }, async (t) => {
      const dir = await mkdtemp(join(tmpdir(), 'analytics-bad-'))
      t.after(() => rm(dir, { recursive: true, force: true }))
      const service = startService(t, {
        ANALYTICS_APP_ID: uniqueTopicName('analytics-bad'),
        METRICS_PORT: String(await freePort()),
        ...(await bad.env(dir)),
      })
      const { code } = await service.exited
      assert.notEqual(code, 0)
      const lines = service.output().trim().split('\n')
      assert.equal(lines.length, 1, service.output())
      assert.match(lines[0]!, bad.problem)
    })
  }
})
