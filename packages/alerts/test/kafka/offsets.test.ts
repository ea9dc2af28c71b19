import assert from 'node:assert/strict'
import { test } from 'node:test'
import { OffsetTracker } from '../../src/kafka/offsets.ts'

const at = (partition: number, offset: number) => ({ topic: 'in', partition, offset: BigInt(offset) })

test('a partition commits only up to the first record whose alert events are not all acknowledged', () => {
  const tracker = new OffsetTracker()
  tracker.add(at(0, 0), 0)
  const ackFirst = tracker.add(at(0, 1), 2)
  tracker.add(at(0, 2), 0)
  tracker.add(at(1, 7), 0)
  assert.deepEqual(tracker.committable(), [at(0, 0), at(1, 7)])
  ackFirst()
  assert.deepEqual(tracker.committable(), [at(0, 0), at(1, 7)], 'one of two events acknowledged is not enough')
  ackFirst()
  assert.deepEqual(tracker.committable(), [at(0, 2), at(1, 7)])
  assert.equal(tracker.size, 0, 'handled records are forgotten')
})

test('a position stays committable until it is marked committed (a failed commit is retried)', () => {
  const tracker = new OffsetTracker()
  tracker.add(at(0, 4), 0)
  assert.deepEqual(tracker.committable(), [at(0, 4)])
  assert.deepEqual(tracker.committable(), [at(0, 4)])
  tracker.committed([at(0, 4)])
  assert.deepEqual(tracker.committable(), [])
  tracker.add(at(0, 5), 1)
  assert.deepEqual(tracker.committable(), [], 'a record with an event in flight holds its partition back')
})
