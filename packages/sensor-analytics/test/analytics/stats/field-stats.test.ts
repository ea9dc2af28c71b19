import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  addSample,
  emptyFieldStats,
  mergeFieldStats,
  summarizeFieldStats,
  type FieldStats,
} from '../../../src/analytics/stats/index.ts'
import { exactQuantile, gaussian, mulberry32, randomSplit, relativeError, sample, shuffled } from './helpers.ts'

function statsOf(values: number[]): FieldStats {
  const stats = emptyFieldStats()
  for (const v of values) addSample(stats, v)
  return stats
}

/** Two-pass reference: the textbook formulas over the raw values. */
function reference(values: number[]): { mean: number; stddev: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length
  return { mean, stddev: Math.sqrt(variance) }
}

function assertClose(actual: number, expected: number, what: string): void {
  assert.ok(relativeError(actual, expected) <= 1e-9, `${what}: ${actual} vs ${expected}`)
}

const random = mulberry32(42)
const datasets: Record<string, number[]> = {
  'temperature-like': sample(3000, () => 21 + 2 * gaussian(random)),
  'pressure-like (large offset, small spread)': sample(3000, () => 101_325 + 0.5 * gaussian(random)),
  'around zero': sample(3000, () => gaussian(random)),
  'heavy tail': sample(3000, () => Math.exp(2 * gaussian(random))),
}

for (const [name, values] of Object.entries(datasets)) {
  test(`field stats: ${name}: merges of random splits equal the direct computation`, () => {
    const direct = statsOf(values)
    const ref = reference(values)
    assert.equal(direct.count, values.length)
    assertClose(direct.mean, ref.mean, 'direct mean')
    assertClose(summarizeFieldStats(direct).stddev, ref.stddev, 'direct stddev')
    const r = mulberry32(values.length + name.length)
    for (const parts of [2, 3, 10, 60]) {
      const partials = randomSplit(r, values, parts).map(statsOf)
      const before = structuredClone(partials)
      const merged = shuffled(r, partials).reduce((acc, s) => mergeFieldStats(acc, s), emptyFieldStats())
      assert.deepEqual(partials, before, 'inputs untouched')
      assert.equal(merged.count, direct.count)
      assert.equal(merged.min, Math.min(...values))
      assert.equal(merged.max, Math.max(...values))
      assertClose(merged.mean, direct.mean, `mean, ${parts} parts`)
      assertClose(summarizeFieldStats(merged).stddev, summarizeFieldStats(direct).stddev, `stddev, ${parts} parts`)
      assert.deepEqual(merged.sketch, direct.sketch)
    }
  })
}

test('field stats: merging with empty stats on either side is an identity', () => {
  const stats = statsOf([3, -1, 4, 1, -5])
  assert.deepEqual(mergeFieldStats(stats, emptyFieldStats()), stats)
  assert.deepEqual(mergeFieldStats(emptyFieldStats(), stats), stats)
  assert.deepEqual(mergeFieldStats(emptyFieldStats(), emptyFieldStats()), emptyFieldStats())
  assert.notEqual(mergeFieldStats(stats, emptyFieldStats()).sketch, stats.sketch)
})

test('field stats: a JSON round trip keeps the state and the copy merges as before', () => {
  const values = datasets['temperature-like']!
  const [a, b] = randomSplit(mulberry32(1), values, 2).map(statsOf) as [FieldStats, FieldStats]
  const copyA = JSON.parse(JSON.stringify(a)) as FieldStats
  assert.deepEqual(copyA, a)
  assert.deepEqual(mergeFieldStats(copyA, b), mergeFieldStats(a, b))
  assert.deepEqual(JSON.parse(JSON.stringify(emptyFieldStats())), emptyFieldStats())
})

test('field stats: non-finite readings are ignored', () => {
  assert.deepEqual(statsOf([1, Number.NaN, 2, Infinity, 3]), statsOf([1, 2, 3]))
})

test('summary: p95 is close to the exact value and inside [min, max]', () => {
  for (const values of Object.values(datasets)) {
    const s = summarizeFieldStats(statsOf(values))
    const exact = exactQuantile(
      [...values].sort((x, y) => x - y),
      0.95,
    )
    assert.ok(s.p95 !== undefined && relativeError(s.p95, exact) <= 0.01 * (1 + 1e-9), `${s.p95} vs ${exact}`)
    assert.ok(s.p95 >= s.min && s.p95 <= s.max)
  }
})

test('summary: empty stats', () => {
  const s = summarizeFieldStats(emptyFieldStats())
  assert.deepEqual(s, {
    count: 0,
    min: 0,
    max: 0,
    mean: 0,
    stddev: 0,
    p95: undefined,
    anomaly: { maxZ: 0, outliers: 0, flagged: false },
  })
})

test('summary: a single reading', () => {
  const s = summarizeFieldStats(statsOf([-7.25]))
  assert.deepEqual(s, {
    count: 1,
    min: -7.25,
    max: -7.25,
    mean: -7.25,
    stddev: 0,
    p95: -7.25,
    anomaly: { maxZ: 0, outliers: 0, flagged: false },
  })
})

test('summary: constant readings have stddev 0, maxZ 0 and no outliers', () => {
  const s = summarizeFieldStats(statsOf(sample(60, () => 0.1)), { minCount: 1, zThreshold: 0.5 })
  assert.equal(s.stddev, 0)
  assert.equal(s.anomaly.maxZ, 0)
  assert.equal(s.anomaly.outliers, 0)
  assert.equal(s.anomaly.flagged, false)
  assert.equal(s.p95, 0.1)
})

test('summary: one obvious spike among 60 normal readings is flagged and counted as an outlier', () => {
  const r = mulberry32(2026)
  const values = [...sample(60, () => 20 + 0.5 * gaussian(r)), 35]
  const s = summarizeFieldStats(statsOf(values))
  assert.equal(s.count, 61)
  assert.equal(s.max, 35)
  assert.ok(s.anomaly.maxZ >= 4, `maxZ ${s.anomaly.maxZ}`)
  assert.equal(s.anomaly.flagged, true)
  assert.equal(s.anomaly.outliers, 1)
  // The same spike with too few readings, or a higher threshold, is not flagged.
  assert.equal(summarizeFieldStats(statsOf(values), { minCount: 100 }).anomaly.flagged, false)
  assert.equal(summarizeFieldStats(statsOf(values), { zThreshold: 20 }).anomaly.flagged, false)
})

test('summary: a clean sine is not flagged and has no outliers', () => {
  const values = sample(60, () => 0).map((_, i) => 20 + 3 * Math.sin((2 * Math.PI * i) / 60))
  const s = summarizeFieldStats(statsOf(values))
  assert.ok(Math.abs(s.anomaly.maxZ - Math.SQRT2) < 0.01, `maxZ ${s.anomaly.maxZ}`)
  assert.equal(s.anomaly.flagged, false)
  assert.equal(s.anomaly.outliers, 0)
  assertClose(s.mean, 20, 'mean')
  assertClose(s.stddev, 3 / Math.SQRT2, 'stddev')
})

test('summary: outliers of a heavy-tailed window match the exact count up to bucket resolution', () => {
  const values = datasets['heavy tail']!
  const s = summarizeFieldStats(statsOf(values))
  const high = s.mean + 3 * s.stddev
  const low = s.mean - 3 * s.stddev
  const exact = values.filter((v) => v < low || v > high).length
  const unsure = values.filter((v) => Math.abs(v - high) <= 0.01 * high || Math.abs(v - low) <= 0.01 * Math.abs(low))
  assert.ok(exact > 0)
  assert.ok(Math.abs(s.anomaly.outliers - exact) <= unsure.length, `${s.anomaly.outliers} vs ${exact}`)
})

test('summarize: outliers stay a lower bound where sketch buckets are wider than the 3-sigma band (pressure, Pa)', () => {
  // A sine's largest |z| is sqrt(2): nothing lies beyond 3 sigma.
  const calm = Array.from({ length: 60 }, (_, i) => 100_980 + 5 * Math.sin(i / 3))
  assert.equal(summarizeFieldStats(statsOf(calm)).anomaly.outliers, 0, 'no reading is beyond 3 sigma')
  const spiked = summarizeFieldStats(statsOf([...calm, 101_100]))
  assert.ok(spiked.anomaly.outliers >= 1, 'the spike, known exactly as the maximum')
  assert.ok(spiked.anomaly.outliers <= 2, `not the whole window: ${spiked.anomaly.outliers}`)
})
