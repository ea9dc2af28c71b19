/** Validated, normalized alert rules: durations in milliseconds, defaults applied. */
import type { DetectorParams } from '../anomaly/detector.ts'

export type Severity = 'info' | 'warning' | 'critical'

export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical']

export interface FlappingPolicy {
  /** Window over which firing/resolved transitions are counted. */
  windowMs: number
  /** This many transitions in the window mark the alert flapping and suppress its events. */
  maxTransitions: number
  /** Flapping ends when the window holds no more than this many (hysteresis). */
  clearTransitions: number
}

interface RuleBase {
  id: string
  severity: Severity
  description: string | undefined
  /** The condition must hold this long (in event time) before pending turns firing. */
  forMs: number
  /** The clear condition must hold this long before firing turns resolved. */
  clearForMs: number
  flapping: FlappingPolicy | undefined
  /** Only entities whose id matches are evaluated. */
  entityPattern: RegExp | undefined
}

/** value above (or below) `threshold` raises; crossing back past `clear` clears (hysteresis band between). */
export interface ThresholdRule extends RuleBase {
  type: 'threshold'
  metric: string
  direction: 'above' | 'below'
  threshold: number
  clear: number
}

/** A drop (peak in window − latest) or rise (latest − trough in window) of at least `by` within `withinMs`. */
export interface RateOfChangeRule extends RuleBase {
  type: 'rate-of-change'
  metric: string
  direction: 'drop' | 'rise'
  by: number
  withinMs: number
  /** The change must fall below this to clear. */
  clear: number
}

/** No sample (or none carrying `metric`) from a known entity for `afterMs` of clock time. */
export interface StaleRule extends RuleBase {
  type: 'stale'
  metric: string | undefined
  afterMs: number
}

/** A flat-lined sensor: at least `minSamples` over `withinMs` whose spread (max − min) is within `tolerance`. */
export interface StuckRule extends RuleBase {
  type: 'stuck'
  metric: string
  withinMs: number
  tolerance: number
  minSamples: number
}

/**
 * An anomaly episode of the metric against the entity's own trailing baseline (see anomaly/detector.ts): fires
 * at the episode's onset, stays firing while readings deviate from the baseline frozen at onset, resolves when
 * they are back. Severity turns critical once the episode's peak score reaches `criticalScore`.
 */
export interface AnomalyRule extends RuleBase {
  type: 'anomaly'
  metric: string
  detector: DetectorParams
  criticalScore: number | undefined
}

export type AlertRule = ThresholdRule | RateOfChangeRule | StaleRule | StuckRule | AnomalyRule

export type RuleType = AlertRule['type']

export const RULE_TYPES: readonly RuleType[] = ['threshold', 'rate-of-change', 'stale', 'stuck', 'anomaly']
