/** Latency percentiles of one run, ms. */
export interface LatencyStats {
  count: number
  meanMs: number
  p50Ms: number
  p99Ms: number
  p999Ms: number
  maxMs: number
}

/**
 * Nearest-rank percentiles (the smallest sample with at least q of all samples at or below it), as HdrHistogram
 * and Kafka's tools report them; no interpolation, so every figure is a latency that was measured.
 */
export function latencyStats(samples: ArrayLike<number>): LatencyStats {
  const count = samples.length
  if (count === 0) throw new RangeError('no latency samples')
  const sorted = Float64Array.from(samples).sort()
  let sum = 0
  for (const v of sorted) sum += v
  return {
    count,
    meanMs: round(sum / count),
    p50Ms: round(percentile(sorted, 0.5)),
    p99Ms: round(percentile(sorted, 0.99)),
    p999Ms: round(percentile(sorted, 0.999)),
    maxMs: round(sorted[count - 1]!),
  }
}

/** `q` in (0, 1] of ascending `sorted`. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (!(q > 0 && q <= 1)) throw new RangeError(`percentile ${q} is not in (0, 1]`)
  if (sorted.length === 0) throw new RangeError('no samples')
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}

export interface EndToEndLatencySummary {
  avgMs: number
  p50Ms: number
  p99Ms: number
  p999Ms: number
}

/**
 * The summary EndToEndLatency prints ("Avg latency: 6.0287 ms" and "Percentiles: 50th = 3, 99th = 56, 99.9th =
 * 274"), found by shape: deprecation notices and per-record lines share stdout.
 */
export function parseEndToEndLatency(stdout: string): EndToEndLatencySummary {
  const avg = /^Avg latency: ([0-9]+(?:\.[0-9]+)?) ms$/m.exec(stdout)
  const pct = /^Percentiles: 50th = ([0-9]+), 99th = ([0-9]+), 99\.9th = ([0-9]+)$/m.exec(stdout)
  if (!avg || !pct)
    throw new Error(`EndToEndLatency printed no summary:\n${stdout.trim().split('\n').slice(-5).join('\n')}`)
  return { avgMs: Number(avg[1]), p50Ms: Number(pct[1]), p99Ms: Number(pct[2]), p999Ms: Number(pct[3]) }
}
