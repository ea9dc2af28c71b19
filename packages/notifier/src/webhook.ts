import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Fetch } from './http.ts'
import { postJson } from './http.ts'
import type { Notification } from './notification.ts'

export const SIGNATURE_HEADER = 'x-isobar-signature'
export const TIMESTAMP_HEADER = 'x-isobar-timestamp'
export const DEDUP_HEADER = 'x-isobar-dedup-key'

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`: a receiver recomputes it with the shared secret. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

/** Constant-time check of a received signature (what a receiver does). */
export function verifySignature(secret: string, timestamp: string, body: string, received: string): boolean {
  const expected = Buffer.from(signature(secret, timestamp, body))
  const actual = Buffer.from(received)
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

/** The webhook body: one transition, JSON, times in ISO 8601. */
export function webhookBody(n: Notification): string {
  return JSON.stringify({
    version: 1,
    dedupKey: n.dedupKey,
    source: n.source,
    rule: n.rule,
    severity: n.severity,
    state: n.state,
    change: n.change,
    entity: n.entity,
    site: n.site ?? null,
    zone: n.zone ?? null,
    sensor: n.sensor ?? null,
    station: n.station ?? null,
    message: n.message,
    value: n.value ?? null,
    threshold: n.threshold ?? null,
    startsAt: new Date(n.startsAtMs).toISOString(),
    eventTime: new Date(n.eventTimeMs).toISOString(),
    alertId: n.alertId,
  })
}

export interface WebhookChannelOptions {
  url: string
  secret: string
  timeoutMs: number
  fetch: Fetch
  now?: () => number
}

/** Sends one notification; the body is the same on every attempt, the signature covers the attempt's timestamp. */
export function webhookSender(options: WebhookChannelOptions): (n: Notification) => Promise<void> {
  const now = options.now ?? Date.now
  return (n) => {
    const body = webhookBody(n)
    const timestamp = String(Math.floor(now() / 1000))
    return postJson(
      options.fetch,
      'webhook',
      options.url,
      body,
      {
        [SIGNATURE_HEADER]: signature(options.secret, timestamp, body),
        [TIMESTAMP_HEADER]: timestamp,
        [DEDUP_HEADER]: n.dedupKey,
        'idempotency-key': n.dedupKey,
      },
      options.timeoutMs,
    )
  }
}
