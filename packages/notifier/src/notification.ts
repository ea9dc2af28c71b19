import { createHash } from 'node:crypto'
import type { AlertEvent } from '@isobar/alerts'

export type AlertSource = 'sensors' | 'weather'

/** One alert transition to deliver (what both channels send), derived from an alert event. */
export interface Notification {
  /** Same for every delivery of the same transition (retries, redelivery after a restart): receivers dedup on it. */
  dedupKey: string
  source: AlertSource
  rule: string
  severity: string
  state: 'firing' | 'resolved'
  change: 'fired' | 'resolved'
  entity: string
  site?: string
  zone?: string
  sensor?: string
  station?: string
  message: string
  value?: number
  threshold?: number
  /** When the alert started firing (ms). */
  startsAtMs: number
  /** Event time of the transition (ms). */
  eventTimeMs: number
  /** Clock time the alert engine emitted the transition (ms): delivery latency is measured from it. */
  raisedAtMs: number
  alertId: string
}

/**
 * Where a sensor is, from Isobar's sensor id convention `<kind>:<site>.<zone>.<rest>` (the simulator's
 * `sim:s01.z2.temperature-00042` → site s01, zone s01.z2) or a zone entity `zone:<site>.<zone>`; unknown otherwise.
 */
export function sensorPlace(entity: string): { site?: string; zone?: string; sensor?: string } {
  if (entity.startsWith('zone:')) {
    const zone = entity.slice('zone:'.length)
    const site = zone.split('.', 1)[0]
    return { zone, ...(site ? { site } : {}) }
  }
  const match = /^[^:]+:([^.:]+)\.([^.:]+)\./.exec(entity)
  if (!match) return { sensor: entity }
  return { sensor: entity, site: match[1], zone: `${match[1]}.${match[2]}` }
}

/** The notification of an event, or undefined when it is not news to send (silenced, ack, flapping updates). */
export function toNotification(event: AlertEvent, source: AlertSource): Notification | undefined {
  if (!event.notify) return undefined
  if (event.change !== 'fired' && event.change !== 'resolved') return undefined
  const place = source === 'sensors' ? sensorPlace(event.entityId) : { station: event.entityId }
  const dedupKey = createHash('sha256')
    .update(
      [source, event.ruleId, event.entityId, event.alertId, event.change, String(event.eventTimeMs)].join('\u0000'),
    )
    .digest('hex')
    .slice(0, 32)
  return {
    dedupKey,
    source,
    rule: event.ruleId,
    severity: event.severity,
    state: event.state,
    change: event.change,
    entity: event.entityId,
    ...place,
    message: event.message,
    ...(event.value === undefined ? {} : { value: event.value }),
    ...(event.threshold === undefined ? {} : { threshold: event.threshold }),
    startsAtMs: event.firingSinceMs ?? event.eventTimeMs,
    eventTimeMs: event.eventTimeMs,
    raisedAtMs: event.raisedAtMs,
    alertId: event.alertId,
  }
}
