import type { Severity } from './rules/types.ts'

/** What changed in this event. */
export type AlertChange =
  'fired' | 'resolved' | 'acknowledged' | 'silenced' | 'unsilenced' | 'flapping-started' | 'flapping-stopped'

/**
 * One alert state change, published on the alerts topic keyed by `alertKey(ruleId, entityId)`. The latest
 * event per key is the alert's current state. Fields beyond alert schema v1 (change, ack, silence,
 * flapping, notify) are the proposed v2 additions.
 */
export interface AlertEvent {
  alertId: string
  ruleId: string
  entityId: string
  state: 'firing' | 'resolved'
  change: AlertChange
  severity: Severity
  /** Metric evaluated (for stale rules without a metric: 'lastSeen'). */
  field: string
  /** The observed value (rate rules: the change; stale rules: ms since the last sample). */
  value?: number
  threshold?: number
  message: string
  /** Event time of the data that changed the state (clock time for stale rules and commands). */
  eventTimeMs: number
  /** Clock time the engine emitted it. */
  raisedAtMs: number
  firingSinceMs?: number
  acknowledgedBy?: string
  acknowledgedAtMs?: number
  silencedUntilMs?: number
  flapping: boolean
  /** False when a notifier should stay quiet: silenced, or an update that is not news (ack, unsilence). */
  notify: boolean
}

/** Record key of an alert: one key per rule and entity (rule ids never contain '+'). */
export function alertKey(ruleId: string, entityId: string): string {
  return `${ruleId}+${entityId}`
}

export function splitAlertKey(key: string): { ruleId: string; entityId: string | undefined } {
  const plus = key.indexOf('+')
  return plus < 0 ? { ruleId: key, entityId: undefined } : { ruleId: key.slice(0, plus), entityId: key.slice(plus + 1) }
}
