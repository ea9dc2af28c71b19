import assert from 'node:assert/strict'
import { test } from 'node:test'
import { testKafkaClient } from '@isobar/testing'
import { consumerGroups } from '../../src/lessons/consumer-groups.ts'
import { runLesson } from '../../src/runner.ts'

interface Change {
  moved: number
  paused: number
  longestPauseMs: number
}
type StrategyFigures = Record<'B joins' | 'C joins' | 'B leaves', Change> & { moved: number; paused: number }

test('a cooperative (and a KIP-848) rebalance moves fewer partitions than an eager range one', async () => {
  const result = await runLesson(consumerGroups, { kafka: testKafkaClient() })
  const f = result.figures as unknown as Record<'range' | 'cooperativeSticky' | 'kip848', StrategyFigures>
  for (const [strategy, figures] of Object.entries(f)) {
    // The first join always hands half of the 6 partitions to the newcomer.
    assert.equal(figures['B joins'].moved, 3, `${strategy}: B joins`)
    assert.equal(figures.moved, figures['B joins'].moved + figures['C joins'].moved + figures['B leaves'].moved)
  }
  // Sticky assignors move only what must move: 3 + 2 + 2. Range moves at least one more over the same changes.
  assert.equal(f.cooperativeSticky.moved, 7)
  assert.ok(
    f.range.moved > f.cooperativeSticky.moved,
    `range ${f.range.moved} vs cooperative ${f.cooperativeSticky.moved}`,
  )
  assert.ok(f.kip848.moved < f.range.moved, `KIP-848 ${f.kip848.moved} vs range ${f.range.moved}`)
  assert.ok(result.cleanedUp.groups.length === 3)
})
