import assert from 'node:assert/strict'
import { test } from 'node:test'
import { paneAggregation, paneSerde } from '../../src/analytics/panes.ts'
import { addSequence } from '../../src/analytics/sequences.ts'

test('addSequence keeps sorted disjoint ranges and refuses repeats', () => {
  const ranges: number[] = []
  const order = [5, 3, 4, 9, 7, 8, 6, 1, 20, 0, 2, 10]
  for (const s of order) assert.equal(addSequence(ranges, s), true, `first ${s}`)
  assert.deepEqual(ranges, [0, 10, 20, 20])
  for (const s of order) assert.equal(addSequence(ranges, s), false, `repeat ${s}`)
  assert.deepEqual(ranges, [0, 10, 20, 20])
})

test('addSequence agrees with a Set on random input', () => {
  let seed = 7
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  const ranges: number[] = []
  const set = new Set<number>()
  for (let i = 0; i < 5000; i++) {
    const s = Math.floor(rnd() * 600)
    assert.equal(addSequence(ranges, s), !set.has(s))
    set.add(s)
  }
  const expanded: number[] = []
  for (let i = 0; i < ranges.length; i += 2) for (let s = ranges[i]!; s <= ranges[i + 1]!; s++) expanded.push(s)
  assert.deepEqual(
    expanded,
    [...set].sort((a, b) => a - b),
  )
})

test('a pane counts a repeated sequence once and keeps what it counted across its changelog form', () => {
  const m = (sequence: number, temperatureC: number) => ({
    sensorId: 'mote:1',
    zoneId: 'z1',
    sequence,
    eventTimeMs: 1000 + sequence,
    values: { temperatureC },
  })
  let pane = paneAggregation.init()
  for (const [s, v] of [
    [1, 10],
    [2, 20],
    [1, 10],
  ] as const) {
    pane = paneAggregation.add(pane, m(s, v), 0)
  }
  const restored = paneSerde.decode(JSON.parse(JSON.stringify(paneSerde.encode(pane))))
  pane = paneAggregation.add(restored, m(2, 20), 0)
  pane = paneAggregation.add(pane, m(3, 30), 0)
  assert.equal(pane.fields.temperatureC?.count, 3)
  assert.deepEqual(pane.sequences, [1, 3])
  // A changelog entry written before sequences were kept still reads.
  const old = paneSerde.decode(['mote:1', 'z1', []])
  assert.equal(old.sequences, undefined)
})
