/**
 * A relative-error quantile sketch of the DDSketch family (Masson, Rim, Lee, "DDSketch: a fast and fully-mergeable
 * quantile sketch with relative-error guarantees", VLDB 2019).
 *
 * A value x > 0 falls in bucket i = ceil(log_gamma(x)), which covers (gamma^(i-1), gamma^i] with
 * gamma = (1 + a) / (1 - a). Reporting 2 gamma^i / (gamma + 1) for every value of bucket i is off by at most the
 * relative accuracy a. Negative values use a second store indexed by |x|; zeros are only counted.
 *
 * The state is plain JSON (it goes through JSON.stringify / JSON.parse on changelogs and topics): each store is a
 * dense run of counts from `offset`, which is compact for sensor data (a pane spans a few dozen buckets) and makes
 * an insert one log, one subtraction and one increment.
 *
 * Bounded memory: a store keeps at most `maxBuckets` consecutive indices, the highest ones. Anything below
 * (top - maxBuckets + 1) is counted in that lowest kept bucket ("collapsing lowest"). Cost: values whose magnitude
 * is more than gamma^maxBuckets times smaller than the largest magnitude in their store lose the accuracy guarantee
 * and read as the lowest kept bucket. With a = 0.01 and 2048 buckets that ratio is about 6e17, so real sensor
 * ranges never collapse. The kept range depends only on the largest index seen, so collapsing does not depend on
 * insertion order and merging stays exact.
 */

/** Counts of consecutive bucket indices: counts[k] is bucket (offset + k). Empty: counts = []. */
export interface SketchStore {
  offset: number
  counts: number[]
}

export interface QuantileSketch {
  /** Relative accuracy a; sketches merge only with the same a. */
  accuracy: number
  maxBuckets: number
  /** Number of zeros added. */
  zero: number
  /** Positive values, by ceil(log_gamma(x)). */
  pos: SketchStore
  /** Negative values, by ceil(log_gamma(-x)). */
  neg: SketchStore
}

export const DEFAULT_SKETCH_ACCURACY = 0.01
export const DEFAULT_SKETCH_MAX_BUCKETS = 2048

export function emptySketch(
  accuracy: number = DEFAULT_SKETCH_ACCURACY,
  maxBuckets: number = DEFAULT_SKETCH_MAX_BUCKETS,
): QuantileSketch {
  if (!(accuracy > 0 && accuracy < 1)) throw new RangeError(`sketch accuracy must be in (0, 1), got ${accuracy}`)
  if (!Number.isInteger(maxBuckets) || maxBuckets < 1) {
    throw new RangeError(`sketch maxBuckets must be a positive integer, got ${maxBuckets}`)
  }
  return { accuracy, maxBuckets, zero: 0, pos: { offset: 0, counts: [] }, neg: { offset: 0, counts: [] } }
}

// The service uses one accuracy, so caching the last one spares a logarithm per insert.
let cachedAccuracy = NaN
let cachedInverseLogGamma = NaN

function inverseLogGamma(accuracy: number): number {
  if (accuracy !== cachedAccuracy) {
    cachedInverseLogGamma = 1 / Math.log((1 + accuracy) / (1 - accuracy))
    cachedAccuracy = accuracy
  }
  return cachedInverseLogGamma
}

function bucketIndex(magnitude: number, accuracy: number): number {
  return Math.ceil(Math.log(magnitude) * inverseLogGamma(accuracy))
}

/** The representative of bucket `index`: within relative error a of every value in it. */
function bucketValue(index: number, accuracy: number): number {
  const gamma = (1 + accuracy) / (1 - accuracy)
  return (2 * Math.pow(gamma, index)) / (gamma + 1)
}

function zeros(n: number): number[] {
  return new Array<number>(n).fill(0)
}

function addToStore(store: SketchStore, index: number, maxBuckets: number): void {
  const counts = store.counts
  const length = counts.length
  if (length === 0) {
    store.offset = index
    counts.push(1)
    return
  }
  const k = index - store.offset
  if (k >= 0 && k < length) {
    counts[k]!++
    return
  }
  if (k >= length) {
    // A new highest index: extend upward, collapsing what falls out of the kept range.
    const newOffset = Math.max(store.offset, index - maxBuckets + 1)
    if (newOffset === store.offset) {
      for (let i = length; i < k; i++) counts.push(0)
      counts.push(1)
      return
    }
    const next = zeros(index - newOffset + 1)
    for (let i = 0; i < length; i++) {
      const at = store.offset + i - newOffset
      next[at < 0 ? 0 : at]! += counts[i]!
    }
    next[next.length - 1]!++
    store.offset = newOffset
    store.counts = next
    return
  }
  // Below the lowest index: extend downward as far as the kept range allows, then count in the lowest bucket.
  const lowest = Math.max(index, store.offset + length - maxBuckets)
  if (lowest < store.offset) {
    store.counts = zeros(store.offset - lowest).concat(counts)
    store.offset = lowest
  }
  store.counts[index - store.offset < 0 ? 0 : index - store.offset]!++
}

/**
 * Adds one value (mutates and returns the sketch). Non-finite values are ignored: they have no bucket, and JSON,
 * which every reading went through, cannot carry them anyway.
 */
export function addToSketch(sketch: QuantileSketch, value: number): QuantileSketch {
  if (value > 0) {
    if (value !== Infinity) addToStore(sketch.pos, bucketIndex(value, sketch.accuracy), sketch.maxBuckets)
  } else if (value < 0) {
    if (value !== -Infinity) addToStore(sketch.neg, bucketIndex(-value, sketch.accuracy), sketch.maxBuckets)
  } else if (value === 0) {
    sketch.zero++
  }
  return sketch
}

function storeTop(store: SketchStore): number {
  return store.offset + store.counts.length - 1
}

function mergeStores(a: SketchStore, b: SketchStore, maxBuckets: number): SketchStore {
  if (a.counts.length === 0) return { offset: b.offset, counts: [...b.counts] }
  if (b.counts.length === 0) return { offset: a.offset, counts: [...a.counts] }
  const top = Math.max(storeTop(a), storeTop(b))
  const offset = Math.max(Math.min(a.offset, b.offset), top - maxBuckets + 1)
  const counts = zeros(top - offset + 1)
  for (const store of [a, b]) {
    for (let i = 0; i < store.counts.length; i++) {
      const at = store.offset + i - offset
      counts[at < 0 ? 0 : at]! += store.counts[i]!
    }
  }
  return { offset, counts }
}

/**
 * A new sketch holding both inputs (which are left untouched). Exact: the result has the same buckets as the
 * sketch of all values of a and b added one by one, in any order.
 */
export function mergeSketches(a: QuantileSketch, b: QuantileSketch): QuantileSketch {
  if (a.accuracy !== b.accuracy || a.maxBuckets !== b.maxBuckets) {
    throw new RangeError(
      `cannot merge sketches of different parameters (accuracy ${a.accuracy}/${b.accuracy}, ` +
        `maxBuckets ${a.maxBuckets}/${b.maxBuckets})`,
    )
  }
  return {
    accuracy: a.accuracy,
    maxBuckets: a.maxBuckets,
    zero: a.zero + b.zero,
    pos: mergeStores(a.pos, b.pos, a.maxBuckets),
    neg: mergeStores(a.neg, b.neg, a.maxBuckets),
  }
}

function storeCount(store: SketchStore): number {
  let n = 0
  for (const c of store.counts) n += c
  return n
}

export function sketchCount(sketch: QuantileSketch): number {
  return sketch.zero + storeCount(sketch.neg) + storeCount(sketch.pos)
}

/** A bucket's representative value and how many values it holds, from the lowest value to the highest. */
export interface SketchBucket {
  value: number
  count: number
}

/** Visits the non-empty buckets in ascending value order (negatives, zero, positives). */
export function forEachSketchBucket(sketch: QuantileSketch, visit: (bucket: SketchBucket) => void): void {
  const { accuracy, neg, pos } = sketch
  for (let i = neg.counts.length - 1; i >= 0; i--) {
    const count = neg.counts[i]!
    if (count > 0) visit({ value: -bucketValue(neg.offset + i, accuracy), count })
  }
  if (sketch.zero > 0) visit({ value: 0, count: sketch.zero })
  for (let i = 0; i < pos.counts.length; i++) {
    const count = pos.counts[i]!
    if (count > 0) visit({ value: bucketValue(pos.offset + i, accuracy), count })
  }
}

/**
 * The q-quantile (0 ≤ q ≤ 1), undefined when the sketch is empty. It is within relative error a of the value of
 * rank floor(q (n - 1)) (0-based) among the values added, unless that value's bucket was collapsed.
 */
export function sketchQuantile(sketch: QuantileSketch, q: number): number | undefined {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`)
  const n = sketchCount(sketch)
  if (n === 0) return undefined
  const rank = Math.floor(q * (n - 1))
  const { accuracy, neg, pos } = sketch
  let seen = 0
  for (let i = neg.counts.length - 1; i >= 0; i--) {
    seen += neg.counts[i]!
    if (seen > rank) return -bucketValue(neg.offset + i, accuracy)
  }
  seen += sketch.zero
  if (seen > rank) return 0
  for (let i = 0; i < pos.counts.length; i++) {
    seen += pos.counts[i]!
    if (seen > rank) return bucketValue(pos.offset + i, accuracy)
  }
  // Only reachable with corrupt counts (e.g. NaN from a hand-edited changelog record).
  return undefined
}
