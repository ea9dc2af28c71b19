/**
 * A compact JSON form of FieldStats for changelogs: positional arrays instead of named fields, the sketch's
 * parameters only when they differ from the defaults. About a third of the plain JSON, and a changelog record is
 * written for every window changed per commit, so its size is the stream stage's main I/O cost.
 */
import { DEFAULT_SKETCH_ACCURACY, DEFAULT_SKETCH_MAX_BUCKETS, type QuantileSketch } from './sketch.ts'
import type { FieldStats } from './field-stats.ts'

/** [count, mean, m2, min, max, zero, posOffset, posCounts, negOffset, negCounts, accuracy?, maxBuckets?] */
export type CompactFieldStats = [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number[],
  number,
  number[],
  number?,
  number?,
]

export function compactFieldStats(stats: FieldStats): CompactFieldStats {
  const s = stats.sketch
  const compact: CompactFieldStats = [
    stats.count,
    stats.mean,
    stats.m2,
    stats.min,
    stats.max,
    s.zero,
    s.pos.offset,
    s.pos.counts,
    s.neg.offset,
    s.neg.counts,
  ]
  if (s.accuracy !== DEFAULT_SKETCH_ACCURACY || s.maxBuckets !== DEFAULT_SKETCH_MAX_BUCKETS) {
    compact.push(s.accuracy, s.maxBuckets)
  }
  return compact
}

export function expandFieldStats(c: CompactFieldStats): FieldStats {
  const sketch: QuantileSketch = {
    accuracy: c[10] ?? DEFAULT_SKETCH_ACCURACY,
    maxBuckets: c[11] ?? DEFAULT_SKETCH_MAX_BUCKETS,
    zero: c[5],
    pos: { offset: c[6], counts: c[7] },
    neg: { offset: c[8], counts: c[9] },
  }
  return { count: c[0], mean: c[1], m2: c[2], min: c[3], max: c[4], sketch }
}
