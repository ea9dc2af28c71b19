import { detect, type DetectorState } from './anomaly/detector.ts'
import type { AnomalyRule, RateOfChangeRule, StuckRule, ThresholdRule } from './rules/types.ts'
import type { SlidingWindow } from './sliding.ts'

/** breach: raise condition true · clear: clear condition true · hold: inside the hysteresis band. */
export type Verdict = 'breach' | 'clear' | 'hold'

export interface Evaluation {
  verdict: Verdict
  /** The number compared with the threshold (the value, or the change for rate rules, or the spread). */
  observed: number
  threshold: number
  /** Anomaly rules: the detector's score (deviation over its threshold). */
  score?: number
}

export function evaluateThreshold(rule: ThresholdRule, value: number): Evaluation {
  const above = rule.direction === 'above'
  const breach = above ? value > rule.threshold : value < rule.threshold
  const clear = above ? value <= rule.clear : value >= rule.clear
  return { verdict: breach ? 'breach' : clear ? 'clear' : 'hold', observed: value, threshold: rule.threshold }
}

/** `window` holds the points of the last `withinMs`, the current one included (last). */
export function evaluateRateOfChange(rule: RateOfChangeRule, window: SlidingWindow, value: number): Evaluation {
  const extreme = rule.direction === 'drop' ? Math.max(value, window.max) : Math.min(value, window.min)
  const change = rule.direction === 'drop' ? extreme - value : value - extreme
  const verdict = change >= rule.by ? 'breach' : change < rule.clear ? 'clear' : 'hold'
  return { verdict, observed: round(change), threshold: rule.by }
}

/**
 * `window` covers at least `withinMs` when its first point is that old (one point older than the window is
 * kept for this); shorter history can neither raise nor clear.
 */
export function evaluateStuck(rule: StuckRule, window: SlidingWindow, now: number): Evaluation {
  const first = window.firstTime
  const spread = window.count === 0 ? 0 : round(window.max - window.min)
  const covered = first !== undefined && now - first >= rule.withinMs && window.count >= rule.minSamples
  if (spread > rule.tolerance) return { verdict: 'clear', observed: spread, threshold: rule.tolerance }
  return { verdict: covered ? 'breach' : 'hold', observed: spread, threshold: rule.tolerance }
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6
}

/** Anomaly rules: breach while the detector is in an episode, clear otherwise (it has its own hysteresis). */
export function evaluateAnomaly(rule: AnomalyRule, state: DetectorState, t: number, value: number): Evaluation {
  const step = detect(state, rule.detector, value, t)
  const verdict = step.inEpisode ? 'breach' : 'clear'
  return { verdict, observed: value, threshold: round(step.baseline ?? value), score: round(step.score) }
}
