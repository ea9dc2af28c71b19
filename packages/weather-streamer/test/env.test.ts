import assert from 'node:assert/strict'
import { test } from 'node:test'
import { weatherConfigFromEnv } from '../src/env.ts'

test('weather env: shortcuts override WEATHER_CONFIG, typed without coercion', () => {
  const raw = weatherConfigFromEnv({
    WEATHER_CONFIG: JSON.stringify({ metricsPort: 1234, sim: { stations: 3, rate: 1 } }),
    WEATHER_SOURCES: 'sim, replay',
    WEATHER_STATIONS: '20',
    WEATHER_SPEEDUP: '2.5',
    SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081',
  })
  assert.deepEqual(raw.sources, ['sim', 'replay'])
  assert.equal(raw.metricsPort, 1234, "WEATHER_CONFIG's port stands when METRICS_PORT is unset")
  assert.deepEqual(raw.sim, { stations: 20, rate: 1, speedup: 2.5 })
  assert.equal(raw.registryUrl, 'http://127.0.0.1:8081')
  assert.equal(weatherConfigFromEnv({}).metricsPort, 9464)
})

test('weather env: every bad variable in one ISOBAR_CORE_CONFIG_INVALID error', () => {
  assert.throws(
    () => weatherConfigFromEnv({ WEATHER_CONFIG: '{"sim":', WEATHER_STATIONS: '1e3', METRICS_PORT: '99999' }),
    (error: Error & { code?: string }) => {
      assert.equal(error.code, 'ISOBAR_CORE_CONFIG_INVALID')
      assert.match(error.message, /WEATHER_CONFIG is not valid JSON/)
      assert.match(error.message, /WEATHER_STATIONS must be an integer from 1 to 100000/)
      assert.match(error.message, /METRICS_PORT must be an integer from 0 to 65535/)
      return true
    },
  )
  assert.throws(() => weatherConfigFromEnv({ WEATHER_CONFIG: '[1]' }), /WEATHER_CONFIG must be a JSON object/)
})
