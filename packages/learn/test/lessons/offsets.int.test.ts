import assert from 'node:assert/strict'
import { test } from 'node:test'
import { testKafkaClient } from '@isobar/testing'
import { offsets } from '../../src/lessons/offsets.ts'
import { runLesson } from '../../src/runner.ts'

interface Lag {
  read?: number
  committed: number
  lagRecords: number
  lagSeconds: number
}

test('manual commits what was read, auto commits what was fetched; resets and a time-range replay land where claimed', async () => {
  const result = await runLesson(offsets, { kafka: testKafkaClient() })
  const f = result.figures as unknown as {
    manual: Lag
    auto: Lag
    reset: Record<'earliest' | 'latest' | 'timestamp', Lag>
    replay: { records: number; exact: boolean }
  }
  assert.deepEqual([f.manual.read, f.manual.committed, f.manual.lagRecords], [400, 400, 600])
  // The next unread record (number 400) was written 600 × 0.6 s = 360 s before the lesson's last record.
  assert.ok(f.manual.lagSeconds >= 360, `lag ${f.manual.lagSeconds} s`)
  assert.equal(f.auto.read, 300)
  assert.ok(f.auto.committed >= 300, `auto commit committed ${f.auto.committed} without a commit() call`)
  assert.deepEqual([f.reset.earliest.committed, f.reset.earliest.lagRecords], [0, 1000])
  assert.deepEqual([f.reset.latest.committed, f.reset.latest.lagRecords, f.reset.latest.lagSeconds], [1000, 0, 0])
  assert.deepEqual([f.reset.timestamp.committed, f.reset.timestamp.lagRecords], [500, 500])
  assert.ok(f.reset.timestamp.lagSeconds >= 300 && f.reset.timestamp.lagSeconds < f.reset.earliest.lagSeconds)
  assert.deepEqual(f.replay, { records: 100, exact: true })
})
