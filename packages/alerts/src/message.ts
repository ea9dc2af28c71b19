import type { Evaluation } from './conditions.ts'
import { formatDuration } from './duration.ts'
import type { AlertChange } from './events.ts'
import type { AlertRule } from './rules/types.ts'

/** A one-line human message, e.g. "gust-high on metar:KDAL: windGustMps 23.4 above 20". */
export function describeAlert(
  rule: AlertRule,
  entityId: string,
  change: AlertChange,
  evaluation: Evaluation | undefined,
): string {
  const head = `${rule.description ?? rule.id} on ${entityId}`
  if (change !== 'fired' || !evaluation) return `${head}: ${change}`
  const value = evaluation.observed
  switch (rule.type) {
    case 'threshold':
      return `${head}: ${rule.metric} ${value} ${rule.direction} ${rule.threshold}`
    case 'rate-of-change':
      return `${head}: ${rule.metric} ${rule.direction} of ${value} within ${formatDuration(rule.withinMs)} (limit ${rule.by})`
    case 'stale':
      return `${head}: no reading for ${formatDuration(value)} (limit ${formatDuration(rule.afterMs)})`
    case 'stuck':
      return `${head}: ${rule.metric} flat (spread ${value}) for ${formatDuration(rule.withinMs)}`
    case 'anomaly':
      return `${head}: ${rule.metric} ${value} away from its baseline ${evaluation.threshold} (score ${evaluation.score ?? 0})`
  }
}
