/** Deterministic test data: a tiny seeded PRNG (mulberry32) and a few distributions on top of it. */

import { mulberry32 } from '@isobar/simulator'

export type Random = () => number

/** Uniform in [0, 1); the same seed always gives the same sequence (Isobar's one PRNG). */
export { mulberry32 }

/** Standard normal by Box–Muller. */
export function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
}

export function sample(n: number, draw: () => number): number[] {
  return Array.from({ length: n }, draw)
}

/** Splits values into `parts` random (possibly empty) groups, keeping each value exactly once. */
export function randomSplit(random: Random, values: number[], parts: number): number[][] {
  const groups: number[][] = Array.from({ length: parts }, () => [])
  for (const v of values) groups[Math.floor(random() * parts)]!.push(v)
  return groups
}

export function shuffled<T>(random: Random, values: T[]): T[] {
  const out = [...values]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/** The value of 0-based rank floor(q (n - 1)), the definition the sketch's guarantee is stated against. */
export function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))]!
}

export function relativeError(actual: number, expected: number): number {
  if (expected === 0) return Math.abs(actual)
  return Math.abs(actual - expected) / Math.abs(expected)
}
