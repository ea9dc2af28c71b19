import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseSensorAnalyticsConfig } from '../../src/analytics/config.ts'
import { analyticsConfigFromEnv } from '../../src/analytics/env.ts'

test('analytics env: shortcuts over ANALYTICS_CONFIG, then the service schema validates the whole', () => {
  const config = parseSensorAnalyticsConfig(
    analyticsConfigFromEnv({
      ANALYTICS_CONFIG: JSON.stringify({ applicationId: 'from-json', alerts: { enabled: false } }),
      ANALYTICS_INSTANCE_ID: 'i-1',
      ANALYTICS_GUARANTEE: 'at-least-once',
      ANALYTICS_STAGES: 'panes, hopping',
      METRICS_PORT: '0',
    }),
  )
  assert.equal(config.applicationId, 'from-json')
  assert.equal(config.instanceId, 'i-1')
  assert.equal(config.guarantee, 'at-least-once')
  assert.deepEqual(config.stages, ['panes', 'hopping'])
  assert.equal(config.metricsPort, 0)
})

test('analytics env: a bad guarantee or port is refused at the edge, naming the variable', () => {
  assert.throws(
    () => analyticsConfigFromEnv({ ANALYTICS_GUARANTEE: 'exactly-twice', METRICS_PORT: '-1' }),
    (error: Error & { code?: string }) => {
      assert.equal(error.code, 'ISOBAR_CORE_CONFIG_INVALID')
      assert.match(error.message, /ANALYTICS_GUARANTEE must be one of exactly-once, at-least-once/)
      assert.match(error.message, /METRICS_PORT must be an integer from 0 to 65535/)
      return true
    },
  )
})
