import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isRetriable, recordRefusalCode } from '../../../src/kafka/platformatic/errors.ts'
import { produceRetries, produceRetryDelay } from '../../../src/kafka/platformatic/options.ts'

test('produce retries back off from 100 ms to at most 1 s and fill the delivery timeout', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 50].map(produceRetryDelay), [100, 200, 400, 800, 1000, 1000])
  for (const timeout of [1000, 30_000, 120_000]) {
    const retries = produceRetries(timeout)
    let waited = 0
    for (let attempt = 1; attempt <= retries; attempt++) waited += produceRetryDelay(attempt)
    assert.ok(waited >= timeout, `${retries} retries wait ${waited} ms, under ${timeout}`)
    assert.ok(waited - produceRetryDelay(retries) < timeout, `${retries} retries: one too many for ${timeout}`)
  }
  assert.equal(produceRetries(120_000), 123)
})

test('retriable unless the client marked the error (or one it wraps) canRetry: false', () => {
  const network = Object.assign(new Error('Connection closed'), { canRetry: true })
  const tooLarge = Object.assign(new Error('MESSAGE_TOO_LARGE'), { canRetry: false, apiId: 'MESSAGE_TOO_LARGE' })
  assert.equal(isRetriable(new AggregateError([network, network], 'Produce failed 6 times')), true)
  assert.equal(isRetriable(new AggregateError([network, tooLarge], 'Produce failed')), false)
  assert.equal(isRetriable(new Error('wrapped', { cause: tooLarge })), false)
  assert.equal(recordRefusalCode(new Error('wrapped', { cause: tooLarge })), 'MESSAGE_TOO_LARGE')
  assert.equal(recordRefusalCode(network), undefined)
})
