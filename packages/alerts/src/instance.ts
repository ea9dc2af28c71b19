import type { DetectorState } from './anomaly/detector.ts'
import type { Evaluation } from './conditions.ts'
import { SlidingWindow } from './sliding.ts'
import type { AlertRule } from './rules/types.ts'

/**
 * normal → pending (condition true, `for` not yet met) → firing → recovering (clear condition true,
 * `clearFor` not yet met) → normal (the episode resolved). One instance per rule and entity (dedup).
 */
export type AlertPhase = 'normal' | 'pending' | 'firing' | 'recovering'

export interface AlertInstance {
  readonly rule: AlertRule
  readonly entityId: string
  readonly key: string
  phase: AlertPhase
  /** Event time the current phase started (pending or recovering). */
  phaseSinceMs: number
  /** Stable for one pending → firing → resolved episode; a new episode gets a new id. */
  alertId: string | undefined
  firingSinceMs: number | undefined
  /** Clock time the episode fired: acknowledgements issued before it belong to an older episode. */
  firedAtClockMs: number | undefined
  /** Latest event time evaluated; older samples are out of order and skipped. */
  lastTimeMs: number
  lastValue: number | undefined
  /** Clock time of the latest sample (stale rules). */
  lastSeenMs: number
  lastEvaluation: Evaluation | undefined
  /** Recent history for windowed rules (rate of change, stuck). */
  window: SlidingWindow
  /** Anomaly rules: the trailing baseline (created on first use). */
  detector: DetectorState | undefined
  /** Anomaly rules: the episode's largest score (severity). */
  peakScore: number
  ack: { by: string; atMs: number } | undefined
  flapping: boolean
  /** Times of recent firing/resolved transitions (flapping detection). */
  transitions: number[]
}

export function newInstance(rule: AlertRule, entityId: string, key: string, nowMs: number): AlertInstance {
  return {
    rule,
    entityId,
    key,
    phase: 'normal',
    phaseSinceMs: 0,
    alertId: undefined,
    firingSinceMs: undefined,
    firedAtClockMs: undefined,
    lastTimeMs: -Infinity,
    lastValue: undefined,
    lastSeenMs: nowMs,
    lastEvaluation: undefined,
    window: new SlidingWindow(),
    detector: undefined,
    peakScore: 0,
    ack: undefined,
    flapping: false,
    transitions: [],
  }
}

export function isOpen(instance: AlertInstance): boolean {
  return instance.phase === 'firing' || instance.phase === 'recovering'
}

/** The state an outsider sees. */
export type AlertState = 'pending' | 'firing' | 'resolved'

export function visibleState(instance: AlertInstance): AlertState {
  if (isOpen(instance)) return 'firing'
  return instance.phase === 'pending' ? 'pending' : 'resolved'
}

/** One alert's current state, for `alerts()` and UIs. */
export interface AlertStatus {
  key: string
  alertId: string
  ruleId: string
  entityId: string
  state: AlertState
  /** Firing, but the clear condition holds and `clearFor` is running. */
  recovering: boolean
  severity: AlertRule['severity']
  field: string
  value: number | undefined
  threshold: number | undefined
  firingSinceMs: number | undefined
  acknowledgedBy: string | undefined
  acknowledgedAtMs: number | undefined
  silencedUntilMs: number | undefined
  flapping: boolean
}
