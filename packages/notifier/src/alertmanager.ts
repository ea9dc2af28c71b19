import type { Fetch } from './http.ts'
import { postJson } from './http.ts'
import type { Notification } from './notification.ts'

/** One alert of Alertmanager's v2 API (`POST /api/v2/alerts`). */
export interface AlertmanagerAlert {
  labels: Record<string, string>
  annotations: Record<string, string>
  startsAt: string
  endsAt: string
}

/**
 * The Alertmanager alert of a transition. Labels identify the alert (alertname = rule, source, site, zone, sensor
 * or station, entity) plus severity; a firing alert ends `firingTtlMs` after now unless it is sent again
 * (the notifier re-sends firing alerts while they fire), a resolved one ends at its event time.
 */
export function alertmanagerAlert(n: Notification, nowMs: number, firingTtlMs: number): AlertmanagerAlert {
  const labels: Record<string, string> = {
    alertname: n.rule,
    rule: n.rule,
    severity: n.severity,
    source: n.source,
    entity: n.entity,
  }
  for (const key of ['site', 'zone', 'sensor', 'station'] as const) {
    const value = n[key]
    if (value !== undefined) labels[key] = value
  }
  const annotations: Record<string, string> = { summary: n.message, alert_id: n.alertId }
  if (n.value !== undefined) annotations.value = String(n.value)
  if (n.threshold !== undefined) annotations.threshold = String(n.threshold)
  const endsAtMs = n.state === 'resolved' ? Math.max(n.eventTimeMs, n.startsAtMs) : nowMs + firingTtlMs
  return {
    labels,
    annotations,
    startsAt: new Date(n.startsAtMs).toISOString(),
    endsAt: new Date(endsAtMs).toISOString(),
  }
}

export interface AlertmanagerChannelOptions {
  url: string
  firingTtlMs: number
  timeoutMs: number
  fetch: Fetch
  now?: () => number
}

export function alertmanagerSender(
  options: AlertmanagerChannelOptions,
): (batch: readonly Notification[]) => Promise<void> {
  const endpoint = `${options.url.replace(/\/+$/, '')}/api/v2/alerts`
  const now = options.now ?? Date.now
  return (batch) =>
    postJson(
      options.fetch,
      'alertmanager',
      endpoint,
      JSON.stringify(batch.map((n) => alertmanagerAlert(n, now(), options.firingTtlMs))),
      {},
      options.timeoutMs,
    )
}
