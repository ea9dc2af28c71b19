import type { RateOfChangeRule, StuckRule, ThresholdRule } from './rules/types.ts'

/** breach: raise condition true · clear: clear condition true · hold: inside the hysteresis band. */
export type Verdict = 'breach' | 'clear' | 'hold'

export interface Evaluation {
  verdict: Verdict
  /** The number compared with the threshold (the value, or the change for rate rules, or the spread). */
  observed: number
  threshold: number
}

export interface Point {
  t: number
  v: number
}

export function evaluateThreshold(rule: ThresholdRule, value: number): Evaluation {
  const above = rule.direction === 'above'
  const breach = above ? value > rule.threshold : value < rule.threshold
  const clear = above ? value <= rule.clear : value >= rule.clear
  return { verdict: breach ? 'breach' : clear ? 'clear' : 'hold', observed: value, threshold: rule.threshold }
}

/** `window` holds the points of the last `withinMs`, the current one included (last). */
export function evaluateRateOfChange(rule: RateOfChangeRule, window: readonly Point[], value: number): Evaluation {
  let extreme = value
  for (const p of window) extreme = rule.direction === 'drop' ? Math.max(extreme, p.v) : Math.min(extreme, p.v)
  const change = rule.direction === 'drop' ? extreme - value : value - extreme
  const verdict = change >= rule.by ? 'breach' : change < rule.clear ? 'clear' : 'hold'
  return { verdict, observed: round(change), threshold: rule.by }
}

/**
 * `window` covers at least `withinMs` when its first point is that old (one point older than the window is
 * kept for this); shorter history can neither raise nor clear.
 */
export function evaluateStuck(rule: StuckRule, window: readonly Point[], now: number): Evaluation {
  const first = window[0]
  let min = Infinity
  let max = -Infinity
  for (const p of window) {
    min = Math.min(min, p.v)
    max = Math.max(max, p.v)
  }
  const spread = window.length === 0 ? 0 : round(max - min)
  const covered = first !== undefined && now - first.t >= rule.withinMs && window.length >= rule.minSamples
  if (spread > rule.tolerance) return { verdict: 'clear', observed: spread, threshold: rule.tolerance }
  return { verdict: covered ? 'breach' : 'hold', observed: spread, threshold: rule.tolerance }
}

/** Keeps the points inside [now − withinMs, now]; with `keepOneOlder`, also the newest point before that. */
export function trimWindow(window: Point[], now: number, withinMs: number, keepOneOlder: boolean): void {
  const start = now - withinMs
  let drop = 0
  while (drop < window.length && window[drop]!.t < start) drop++
  if (keepOneOlder && drop > 0) drop--
  if (drop > 0) window.splice(0, drop)
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6
}
