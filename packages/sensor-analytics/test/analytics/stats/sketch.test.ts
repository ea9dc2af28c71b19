import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  DEFAULT_SKETCH_MAX_BUCKETS,
  addToSketch,
  emptySketch,
  mergeSketches,
  sketchCount,
  sketchQuantile,
  type QuantileSketch,
} from '../../../src/analytics/stats/index.ts'
import { exactQuantile, gaussian, mulberry32, randomSplit, relativeError, sample, shuffled } from './helpers.ts'

const QUANTILES = [0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1]
// The bound is a; the slack covers floating-point rounding at bucket edges only.
const SLACK = 1 + 1e-9

function sketchOf(values: number[], accuracy?: number, maxBuckets?: number): QuantileSketch {
  const sketch = emptySketch(accuracy, maxBuckets)
  for (const v of values) addToSketch(sketch, v)
  return sketch
}

function assertQuantilesWithin(values: number[], sketch: QuantileSketch, accuracy: number): void {
  const sorted = [...values].sort((x, y) => x - y)
  assert.equal(sketchCount(sketch), values.length)
  for (const q of QUANTILES) {
    const expected = exactQuantile(sorted, q)
    const actual = sketchQuantile(sketch, q)
    assert.ok(actual !== undefined)
    assert.ok(
      relativeError(actual, expected) <= accuracy * SLACK,
      `q=${q}: sketch ${actual}, exact ${expected} (relative error ${relativeError(actual, expected)})`,
    )
  }
}

const random = mulberry32(20260101)
const distributions: Record<string, number[]> = {
  'uniform(0, 100)': sample(20_000, () => random() * 100),
  'lognormal(0, 2)': sample(20_000, () => Math.exp(2 * gaussian(random))),
  'normal(0, 10) with negatives and zeros': [...sample(20_000, () => 10 * gaussian(random)), 0, 0, 0, -0],
  'constant 21.5': sample(1000, () => 21.5),
  'negative constant -3': sample(1000, () => -3),
  'single value 1013.25': [1013.25],
  'pressure in Pa (narrow, large)': sample(5000, () => 101_325 + 500 * gaussian(random)),
}

for (const [name, values] of Object.entries(distributions)) {
  test(`sketch: quantiles of ${name} are within the relative accuracy`, () => {
    assertQuantilesWithin(values, sketchOf(values), 0.01)
  })
}

test('sketch: a coarser accuracy keeps its own bound and needs fewer buckets', () => {
  const values = distributions['lognormal(0, 2)']!
  const fine = sketchOf(values, 0.01)
  const coarse = sketchOf(values, 0.05)
  assertQuantilesWithin(values, coarse, 0.05)
  assert.ok(coarse.pos.counts.length < fine.pos.counts.length / 3)
})

test('sketch: empty sketch has no quantile and count 0; bad quantiles and parameters are rejected', () => {
  const sketch = emptySketch()
  assert.equal(sketchCount(sketch), 0)
  assert.equal(sketchQuantile(sketch, 0.5), undefined)
  assert.throws(() => sketchQuantile(sketch, 1.5), RangeError)
  assert.throws(() => sketchQuantile(sketch, Number.NaN), RangeError)
  assert.throws(() => emptySketch(0), RangeError)
  assert.throws(() => emptySketch(1), RangeError)
  assert.throws(() => emptySketch(0.01, 0), RangeError)
})

test('sketch: non-finite values are ignored', () => {
  const sketch = sketchOf([Number.NaN, Infinity, -Infinity, 5])
  assert.equal(sketchCount(sketch), 1)
  assert.ok(relativeError(sketchQuantile(sketch, 0)!, 5) <= 0.01)
})

test('sketch: merging random splits gives exactly the buckets of the whole, inputs untouched', () => {
  const r = mulberry32(7)
  for (const values of Object.values(distributions)) {
    const whole = sketchOf(values)
    for (const parts of [2, 3, 7]) {
      const sketches = randomSplit(r, values, parts).map((group) => sketchOf(group))
      const before = structuredClone(sketches)
      const merged = shuffled(r, sketches).reduce((acc, s) => mergeSketches(acc, s), emptySketch())
      assert.deepEqual(merged, whole)
      assert.deepEqual(sketches, before)
    }
  }
})

test('sketch: merge is commutative and tree-shaped merges equal linear ones', () => {
  const r = mulberry32(11)
  const values = sample(5000, () => 50 * gaussian(r))
  const [a, b, c, d] = randomSplit(r, values, 4).map((g) => sketchOf(g)) as [
    QuantileSketch,
    QuantileSketch,
    QuantileSketch,
    QuantileSketch,
  ]
  assert.deepEqual(mergeSketches(a, b), mergeSketches(b, a))
  assert.deepEqual(
    mergeSketches(mergeSketches(a, b), mergeSketches(c, d)),
    mergeSketches(mergeSketches(mergeSketches(d, c), b), a),
  )
})

test('sketch: sketches of different accuracy or size do not merge', () => {
  assert.throws(() => mergeSketches(emptySketch(0.01), emptySketch(0.02)), RangeError)
  assert.throws(() => mergeSketches(emptySketch(0.01, 100), emptySketch(0.01, 200)), RangeError)
})

test('sketch: a JSON round trip keeps buckets and quantiles, and the copy keeps working', () => {
  const r = mulberry32(3)
  const values = distributions['normal(0, 10) with negatives and zeros']!
  const [first, second] = randomSplit(r, values, 2) as [number[], number[]]
  const original = sketchOf(first)
  const copy = JSON.parse(JSON.stringify(original)) as QuantileSketch
  assert.deepEqual(copy, original)
  for (const q of QUANTILES) assert.equal(sketchQuantile(copy, q), sketchQuantile(original, q))
  for (const v of second) addToSketch(copy, v)
  assert.deepEqual(copy, sketchOf(values))
  const merged = JSON.parse(JSON.stringify(mergeSketches(original, sketchOf(second)))) as QuantileSketch
  assert.deepEqual(merged, sketchOf(values))
})

test('sketch: stores never exceed maxBuckets, even over 600 orders of magnitude', () => {
  const r = mulberry32(5)
  const values = sample(50_000, () => (r() < 0.5 ? -1 : 1) * Math.pow(10, 600 * r() - 300))
  const sketch = sketchOf(values)
  assert.ok(sketch.pos.counts.length <= DEFAULT_SKETCH_MAX_BUCKETS)
  assert.ok(sketch.neg.counts.length <= DEFAULT_SKETCH_MAX_BUCKETS)
  assert.equal(sketch.pos.counts.length, DEFAULT_SKETCH_MAX_BUCKETS)
  assert.equal(sketchCount(sketch), values.length)
  // The largest magnitudes keep full accuracy: the positive top and the most negative values.
  const sorted = [...values].sort((x, y) => x - y)
  for (const q of [0, 0.001, 0.999, 1]) {
    assert.ok(relativeError(sketchQuantile(sketch, q)!, exactQuantile(sorted, q)) <= 0.01 * SLACK, `q=${q}`)
  }
})

test('sketch: collapsing does not depend on insertion order, so merges stay exact when bounded', () => {
  const r = mulberry32(9)
  const maxBuckets = 16
  const values = sample(3000, () => (r() < 0.3 ? -1 : 1) * Math.exp(3 * gaussian(r)))
  const whole = sketchOf(values, 0.01, maxBuckets)
  assert.equal(whole.pos.counts.length, maxBuckets)
  assert.equal(whole.neg.counts.length, maxBuckets)
  assert.deepEqual(sketchOf(shuffled(r, values), 0.01, maxBuckets), whole)
  assert.deepEqual(
    sketchOf(
      [...values].sort((x, y) => x - y),
      0.01,
      maxBuckets,
    ),
    whole,
  )
  assert.deepEqual(
    sketchOf(
      [...values].sort((x, y) => y - x),
      0.01,
      maxBuckets,
    ),
    whole,
  )
  for (const parts of [2, 5]) {
    const sketches = randomSplit(r, values, parts).map((g) => sketchOf(g, 0.01, maxBuckets))
    const merged = sketches.reduce((acc, s) => mergeSketches(acc, s), emptySketch(0.01, maxBuckets))
    assert.deepEqual(merged, whole)
  }
  // The top of each store is still within the accuracy bound after collapsing.
  const sorted = [...values].sort((x, y) => x - y)
  assert.ok(relativeError(sketchQuantile(whole, 1)!, sorted.at(-1)!) <= 0.01 * SLACK)
  assert.ok(relativeError(sketchQuantile(whole, 0)!, sorted[0]!) <= 0.01 * SLACK)
})
