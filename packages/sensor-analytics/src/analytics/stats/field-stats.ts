/**
 * Mergeable statistics of one measured field over a window: moments by Welford's update (one sample) and Chan,
 * Golub and LeVeque's pairwise update (two partial results), extremes, and a quantile sketch. Plain JSON, so a
 * pane survives JSON.stringify / JSON.parse on a changelog or topic unchanged.
 */
import {
  addToSketch,
  emptySketch,
  forEachSketchBucket,
  mergeSketches,
  sketchQuantile,
  type QuantileSketch,
} from './sketch.ts'

export interface FieldStats {
  count: number
  mean: number
  /** Sum of squared deviations from the mean (population variance = m2 / count). */
  m2: number
  /** 0 while count is 0 (JSON has no Infinity). */
  min: number
  /** 0 while count is 0. */
  max: number
  sketch: QuantileSketch
}

export interface FieldSummaryOptions {
  /** maxZ at or above which a window is flagged (default 4). */
  zThreshold?: number
  /** Fewer readings than this are never flagged (default 10). */
  minCount?: number
}

export interface FieldAnomaly {
  /** max(|max - mean|, |mean - min|) / stddev; 0 when stddev is 0. */
  maxZ: number
  /**
   * Readings outside mean ± 3 stddev, a lower bound: sketch buckets lying wholly outside (at 1% relative
   * resolution), and at least the exact extremes that are outside.
   */
  outliers: number
  /** count >= minCount && maxZ >= zThreshold. */
  flagged: boolean
}

export interface FieldSummary {
  count: number
  min: number
  max: number
  mean: number
  /** Population standard deviation. */
  stddev: number
  /** Undefined when count is 0. */
  p95: number | undefined
  anomaly: FieldAnomaly
}

export const DEFAULT_Z_THRESHOLD = 4
export const DEFAULT_MIN_COUNT = 10
const OUTLIER_SIGMAS = 3

export function emptyFieldStats(sketchAccuracy?: number): FieldStats {
  return { count: 0, mean: 0, m2: 0, min: 0, max: 0, sketch: emptySketch(sketchAccuracy) }
}

/** Adds one reading (mutates and returns the stats). Non-finite values are ignored, as by the sketch. */
export function addSample(stats: FieldStats, x: number): FieldStats {
  if (!Number.isFinite(x)) return stats
  const count = stats.count + 1
  if (count === 1) {
    stats.min = x
    stats.max = x
  } else if (x < stats.min) {
    stats.min = x
  } else if (x > stats.max) {
    stats.max = x
  }
  const delta = x - stats.mean
  stats.mean += delta / count
  stats.m2 += delta * (x - stats.mean)
  stats.count = count
  addToSketch(stats.sketch, x)
  return stats
}

/** A new FieldStats for the union of both windows' readings; the inputs are left untouched. */
export function mergeFieldStats(a: FieldStats, b: FieldStats): FieldStats {
  const sketch = mergeSketches(a.sketch, b.sketch)
  if (b.count === 0) return { count: a.count, mean: a.mean, m2: a.m2, min: a.min, max: a.max, sketch }
  if (a.count === 0) return { count: b.count, mean: b.mean, m2: b.m2, min: b.min, max: b.max, sketch }
  const count = a.count + b.count
  const delta = b.mean - a.mean
  return {
    count,
    mean: a.mean + (delta * b.count) / count,
    m2: a.m2 + b.m2 + (delta * delta * a.count * b.count) / count,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    sketch,
  }
}

/** Counts readings outside [low, high] at bucket resolution. */
// Every value x in a bucket is within a|x| of its representative v, so within a|v|/(1-a) of v: a bucket counts
// only when all of it lies outside [low, high]. Where buckets are wider than the band (pressure in Pa: 1% is
// 1 kPa), this finds nothing, and the exact extremes still give a lower bound.
function sketchOutside(sketch: QuantileSketch, low: number, high: number): number {
  const spread = sketch.accuracy / (1 - sketch.accuracy)
  let outside = 0
  forEachSketchBucket(sketch, ({ value, count }) => {
    const margin = Math.abs(value) * spread
    if (value + margin < low || value - margin > high) outside += count
  })
  return outside
}

export function summarizeFieldStats(stats: FieldStats, options: FieldSummaryOptions = {}): FieldSummary {
  const zThreshold = options.zThreshold ?? DEFAULT_Z_THRESHOLD
  const minCount = options.minCount ?? DEFAULT_MIN_COUNT
  const { count, min, max, mean } = stats
  // Rounding can leave m2 a hair below 0 for constant data.
  const stddev = count > 0 ? Math.sqrt(Math.max(0, stats.m2) / count) : 0
  const maxZ = stddev > 0 ? Math.max(Math.abs(max - mean), Math.abs(mean - min)) / stddev : 0
  const low = mean - OUTLIER_SIGMAS * stddev
  const high = mean + OUTLIER_SIGMAS * stddev
  const extremes = (max > high ? 1 : 0) + (min < low ? 1 : 0)
  const outliers = stddev > 0 ? Math.max(extremes, sketchOutside(stats.sketch, low, high)) : 0
  const p95 = sketchQuantile(stats.sketch, 0.95)
  return {
    count,
    min,
    max,
    mean,
    stddev,
    // The bucket representative may lie a hair outside the observed range; the exact extremes bound it.
    p95: p95 === undefined || count === 0 ? undefined : Math.min(max, Math.max(min, p95)),
    anomaly: { maxZ, outliers, flagged: count >= minCount && maxZ >= zThreshold },
  }
}
