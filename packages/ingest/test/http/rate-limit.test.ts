import assert from 'node:assert/strict'
import { test } from 'node:test'
import { TokenBuckets } from '../../src/http/rate-limit.ts'

test('token buckets: a burst, then the rate; a batch beyond the burst never fits', () => {
  let now = 0
  const buckets = new TokenBuckets(10, 20, () => now)
  assert.equal(buckets.take('a', 20), 0)
  assert.equal(buckets.take('a', 5), 0.5)
  assert.equal(buckets.take('b', 5), 0, 'another device has its own bucket')
  now += 500
  assert.equal(buckets.take('a', 5), 0)
  assert.equal(buckets.take('a', 21), Number.POSITIVE_INFINITY)
})
