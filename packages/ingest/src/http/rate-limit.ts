/** Token buckets per device: `ratePerSecond` records per second, bursts up to `burst`; bounded to 100,000 keys. */
const MAX_KEYS = 100_000

export class TokenBuckets {
  readonly #rate: number
  readonly #burst: number
  readonly #now: () => number
  readonly #buckets = new Map<string, { tokens: number; at: number }>()

  constructor(ratePerSecond: number, burst: number, now: () => number) {
    this.#rate = ratePerSecond
    this.#burst = burst
    this.#now = now
  }

  /** Takes `n` tokens and returns 0, or takes none and returns the seconds until `n` would be available. */
  take(key: string, n: number): number {
    const now = this.#now()
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, at: now }
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.at) / 1000) * this.#rate)
    bucket.at = now
    if (!this.#buckets.has(key)) {
      if (this.#buckets.size >= MAX_KEYS) this.#buckets.clear()
      this.#buckets.set(key, bucket)
    }
    if (n > this.#burst) return Number.POSITIVE_INFINITY
    if (bucket.tokens >= n) {
      bucket.tokens -= n
      return 0
    }
    return (n - bucket.tokens) / this.#rate
  }
}
