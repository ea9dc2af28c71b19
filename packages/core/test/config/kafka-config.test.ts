import assert from 'node:assert/strict'
import { test } from 'node:test'
import { kafkaConfigFromEnv } from '../../src/config/env.ts'
import { parseKafkaConfig, splitBootstrapServers } from '../../src/config/kafka-config.ts'
import { isIsobarError } from '../../src/errors.ts'

test('defaults are applied and the result is frozen', () => {
  const config = parseKafkaConfig({ bootstrapServers: ['127.0.0.1:9092'] })
  assert.equal(config.clientId, 'isobar')
  assert.equal(config.compression, 'none')
  assert.deepEqual(config.batch, { maxRecords: 1000, maxBytes: 1048576, lingerMs: 5 })
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.batch))
  assert.equal(config.deliveryTimeoutMs, 120_000)
  assert.equal(config.maxInFlight, 5)
})

test('more than 5 produce requests in flight is refused: idempotence keeps order only up to 5', () => {
  assert.throws(() => parseKafkaConfig({ bootstrapServers: ['127.0.0.1:9092'], maxInFlight: 6 }), /maxInFlight/)
})

test('every bad field is named in one ConfigError', () => {
  assert.throws(
    () => parseKafkaConfig({ bootstrapServers: ['no-port'], compression: 'brotli', surprise: 1 }),
    (error: unknown) => {
      assert.ok(isIsobarError(error))
      assert.equal(error.code, 'ISOBAR_CORE_CONFIG_INVALID')
      assert.match(error.message, /bootstrapServers\/0/)
      assert.match(error.message, /compression/)
      assert.match(error.message, /additional properties/)
      return true
    },
  )
})

test('the environment is read only from the object passed in', () => {
  const config = kafkaConfigFromEnv({
    KAFKA_BOOTSTRAP_SERVERS: 'a:1, b:2',
    KAFKA_COMPRESSION: 'zstd',
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: 'u',
    KAFKA_SASL_PASSWORD: 'p',
  })
  assert.deepEqual(config.bootstrapServers, ['a:1', 'b:2'])
  assert.equal(config.compression, 'zstd')
  assert.deepEqual(config.sasl, { mechanism: 'SCRAM-SHA-512', username: 'u', password: 'p' })
  assert.deepEqual(kafkaConfigFromEnv({}).bootstrapServers, ['127.0.0.1:9092'])
})

test('splitBootstrapServers ignores blanks', () => {
  assert.deepEqual(splitBootstrapServers(' h:1,,h:2 ,'), ['h:1', 'h:2'])
})
