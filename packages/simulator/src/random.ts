/**
 * Isobar's one seeded PRNG (mulberry32): the same seed always yields the same sequence, on every platform.
 * Reproducibility, not crypto quality: simulations, deterministic test data, fuzzing.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** mulberry32 with the distributions the simulators draw from. */
export class SeededRandom {
  readonly #next: () => number
  #spare: number | undefined

  constructor(seed: number) {
    this.#next = mulberry32(seed)
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.#next()
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  range(min: number, max: number): number {
    return min + this.next() * (max - min)
  }

  chance(probability: number): boolean {
    return probability > 0 && this.next() < probability
  }

  sign(): 1 | -1 {
    return this.next() < 0.5 ? -1 : 1
  }

  /** Standard normal (Box–Muller, caching the second value). */
  gaussian(): number {
    if (this.#spare !== undefined) {
      const spare = this.#spare
      this.#spare = undefined
      return spare
    }
    const u = 1 - this.next()
    const v = this.next()
    const r = Math.sqrt(-2 * Math.log(u))
    this.#spare = r * Math.sin(2 * Math.PI * v)
    return r * Math.cos(2 * Math.PI * v)
  }
}
