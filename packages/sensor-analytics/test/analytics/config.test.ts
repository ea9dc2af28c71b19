import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseSensorAnalyticsConfig } from '../../src/analytics/config.ts'

test('metricsHost: loopback unless set (0.0.0.0 in a container); an empty one is refused', () => {
  assert.equal(parseSensorAnalyticsConfig({}).metricsHost, '127.0.0.1')
  assert.equal(parseSensorAnalyticsConfig({ metricsHost: '0.0.0.0' }).metricsHost, '0.0.0.0')
  assert.throws(() => parseSensorAnalyticsConfig({ metricsHost: '' }), /metricsHost/)
})
