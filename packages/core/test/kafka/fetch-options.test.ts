import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseKafkaConfig } from '../../src/config/kafka-config.ts'
import { isIsobarError } from '../../src/errors.ts'
import { DEFAULT_FETCH, resolveFetchSettings } from '../../src/kafka/fetch-options.ts'

const config = parseKafkaConfig({ bootstrapServers: ['127.0.0.1:9092'] })
const topics = ['t']

test('without options a consumer fetches with the configuration profile settings', () => {
  assert.deepEqual(resolveFetchSettings(config, { topics }), DEFAULT_FETCH)
  const throughput = parseKafkaConfig({ bootstrapServers: ['127.0.0.1:9092'], profile: 'throughput' })
  assert.deepEqual(resolveFetchSettings(throughput, { topics }), throughput.fetch)
})

test('each consumer option overrides its setting alone', () => {
  const fetch = resolveFetchSettings(config, {
    topics,
    fetchMinBytes: 1024,
    fetchMaxWaitMs: 50,
    fetchMaxBytes: 4_194_304,
    maxPartitionFetchBytes: 2_097_152,
  })
  assert.deepEqual(fetch, { minBytes: 1024, maxWaitMs: 50, maxBytes: 4_194_304, maxPartitionBytes: 2_097_152 })
  assert.equal(resolveFetchSettings(config, { topics, fetchMaxBytes: 65_536 }).maxPartitionBytes, 1_048_576)
})

test('maxWaitMs is the older name of fetchMaxWaitMs; the new name wins', () => {
  assert.equal(resolveFetchSettings(config, { topics, maxWaitMs: 200 }).maxWaitMs, 200)
  assert.equal(resolveFetchSettings(config, { topics, maxWaitMs: 200, fetchMaxWaitMs: 20 }).maxWaitMs, 20)
})

test('out-of-range or non-integer options are refused naming the option', () => {
  const cases: Array<[Record<string, number>, string]> = [
    [{ fetchMinBytes: 0 }, 'fetchMinBytes'],
    [{ fetchMinBytes: 1.5 }, 'fetchMinBytes'],
    [{ fetchMaxWaitMs: -1 }, 'fetchMaxWaitMs'],
    [{ fetchMaxWaitMs: 30_001 }, 'fetchMaxWaitMs'],
    [{ fetchMaxBytes: 100 }, 'fetchMaxBytes'],
    [{ fetchMaxBytes: Number.NaN }, 'fetchMaxBytes'],
    [{ maxPartitionFetchBytes: 52_428_801 }, 'maxPartitionFetchBytes'],
  ]
  for (const [options, field] of cases) {
    assert.throws(
      () => resolveFetchSettings(config, { topics, ...options }),
      (error: unknown) =>
        isIsobarError(error) &&
        error.code === 'ISOBAR_CORE_INVALID_ARGUMENT' &&
        error.message.startsWith(`${field} must be an integer from`),
      JSON.stringify(options),
    )
  }
})

test('a fetch wait at or beyond the request timeout is refused: the fetch would time out instead of returning', () => {
  const short = parseKafkaConfig({ bootstrapServers: ['127.0.0.1:9092'], requestTimeoutMs: 1000 })
  assert.throws(() => resolveFetchSettings(short, { topics, fetchMaxWaitMs: 1000 }), /below requestTimeoutMs 1000/)
  assert.equal(resolveFetchSettings(short, { topics, fetchMaxWaitMs: 999 }).maxWaitMs, 999)
})
