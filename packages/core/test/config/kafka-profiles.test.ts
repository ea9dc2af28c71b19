import assert from 'node:assert/strict'
import { test } from 'node:test'
import { kafkaConfigFromEnv } from '../../src/config/env.ts'
import { parseKafkaConfig } from '../../src/config/kafka-config.ts'
import { KAFKA_PROFILES, PROFILE_SETTINGS } from '../../src/config/kafka-profiles.ts'
import { isIsobarError } from '../../src/errors.ts'

const BOOTSTRAP = ['127.0.0.1:9092']

test('balanced is the default and keeps the settings every process ran with before profiles', () => {
  const config = parseKafkaConfig({ bootstrapServers: BOOTSTRAP })
  assert.equal(config.profile, 'balanced')
  assert.equal(config.compression, 'none')
  assert.deepEqual(config.batch, { maxRecords: 1000, maxBytes: 1048576, lingerMs: 5 })
  assert.equal(config.maxInFlight, 5)
  assert.deepEqual(config.fetch, { minBytes: 1, maxWaitMs: 500, maxBytes: 1048576, maxPartitionBytes: 1048576 })
  assert.ok(Object.isFrozen(config.fetch))
})

test('each profile maps to its producer and consumer settings', () => {
  for (const profile of KAFKA_PROFILES) {
    const config = parseKafkaConfig({ bootstrapServers: BOOTSTRAP, profile })
    const expected = PROFILE_SETTINGS[profile]
    assert.equal(config.profile, profile)
    assert.equal(config.compression, expected.compression, profile)
    assert.deepEqual(config.batch, expected.batch, profile)
    assert.equal(config.maxInFlight, expected.maxInFlight, profile)
    assert.deepEqual(config.fetch, expected.fetch, profile)
  }
  const throughput = parseKafkaConfig({ bootstrapServers: BOOTSTRAP, profile: 'throughput' })
  const latency = parseKafkaConfig({ bootstrapServers: BOOTSTRAP, profile: 'latency' })
  // The point of the two: one waits to fill requests, the other never waits.
  assert.ok(throughput.batch.lingerMs > 5 && throughput.fetch.minBytes > 1)
  assert.equal(latency.batch.lingerMs, 0)
  assert.equal(latency.fetch.minBytes, 1)
})

test('explicit settings win over the profile, field by field', () => {
  const config = parseKafkaConfig({
    bootstrapServers: BOOTSTRAP,
    profile: 'throughput',
    compression: 'zstd',
    batch: { lingerMs: 2 },
    fetch: { maxBytes: 2_097_152 },
  })
  assert.equal(config.compression, 'zstd')
  assert.deepEqual(config.batch, { ...PROFILE_SETTINGS.throughput.batch, lingerMs: 2 })
  assert.deepEqual(config.fetch, { ...PROFILE_SETTINGS.throughput.fetch, maxBytes: 2_097_152 })
})

test('an unknown profile is a ConfigError naming it', () => {
  assert.throws(
    () => parseKafkaConfig({ bootstrapServers: BOOTSTRAP, profile: 'fastest' }),
    (error: unknown) =>
      isIsobarError(error) && error.code === 'ISOBAR_CORE_CONFIG_INVALID' && /profile/.test(error.message),
  )
  assert.throws(
    () => kafkaConfigFromEnv({ KAFKA_PROFILE: 'fastest' }),
    (error: unknown) =>
      isIsobarError(error) &&
      error.code === 'ISOBAR_CORE_CONFIG_INVALID' &&
      error.message.includes('KAFKA_PROFILE must be one of balanced, throughput, latency (got "fastest")'),
  )
})

test('bad fetch settings in the configuration are named', () => {
  assert.throws(
    () => parseKafkaConfig({ bootstrapServers: BOOTSTRAP, fetch: { minBytes: 0, maxBytes: 10 } }),
    (error: unknown) =>
      isIsobarError(error) && /\/fetch\/minBytes/.test(error.message) && /\/fetch\/maxBytes/.test(error.message),
  )
  assert.throws(() => parseKafkaConfig({ bootstrapServers: BOOTSTRAP, fetch: 5 }), /\/fetch must be object/)
})

test('KAFKA_PROFILE reaches the config; KAFKA_COMPRESSION still overrides its codec', () => {
  const config = kafkaConfigFromEnv({ KAFKA_PROFILE: 'latency' })
  assert.equal(config.profile, 'latency')
  assert.deepEqual(config.batch, PROFILE_SETTINGS.latency.batch)
  const zstd = kafkaConfigFromEnv({ KAFKA_PROFILE: 'throughput', KAFKA_COMPRESSION: 'zstd' })
  assert.equal(zstd.compression, 'zstd')
  assert.deepEqual(zstd.fetch, PROFILE_SETTINGS.throughput.fetch)
  assert.equal(kafkaConfigFromEnv({}).profile, 'balanced')
})
