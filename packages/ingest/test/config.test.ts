import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseIngestConfig } from '../src/config.ts'

test('the config needs a registry and something to run, and refuses coercion and unknown fields', () => {
  const mqtt = { url: 'mqtt://127.0.0.1:1883', username: 'isobar-bridge', password: 'secret' }
  const config = parseIngestConfig({ registryUrl: 'http://127.0.0.1:8081', mqtt })
  assert.equal(config.mqtt?.maxInFlight, 1000)
  assert.equal(config.topics.readings, 'sensors.readings')
  assert.ok(Object.isFrozen(config))
  assert.throws(() => parseIngestConfig({ registryUrl: 'http://127.0.0.1:8081' }), /nothing to run/)
  assert.throws(
    () => parseIngestConfig({ registryUrl: 'http://x', mqtt: { ...mqtt, maxInFlight: '10' } }),
    /maxInFlight/,
  )
  assert.throws(() => parseIngestConfig({ registryUrl: 'http://x', mqtt, extra: 1 }), /additional/)
  assert.throws(() => parseIngestConfig({ registryUrl: 'http://x', http: { tokens: { dev: 'short' } } }), /tokens/)
  assert.throws(
    () => parseIngestConfig({ registryUrl: 'http://x', http: { topics: ['weather.observations'] } }),
    /only the readings topic/,
  )
})
