import { Counter, Gauge, Histogram, type Registry } from '@isobar/core'

export interface NotifierMetrics {
  delivered: Counter<'channel' | 'source' | 'state'>
  failures: Counter<'channel'>
  skipped: Counter<'reason'>
  latency: Histogram<'channel'>
}

export function createNotifierMetrics(registry: Registry, firing: () => number): NotifierMetrics {
  new Gauge({
    name: 'isobar_notifier_firing_alerts',
    help: 'Alerts this notifier saw fire and not yet resolve (re-sent to Alertmanager while they fire)',
    registers: [registry],
    collect() {
      this.set(firing())
    },
  })
  return {
    delivered: new Counter({
      name: 'isobar_notifier_notifications_total',
      help: 'Alert transitions delivered, by channel, source (sensors, weather) and state (firing, resolved)',
      labelNames: ['channel', 'source', 'state'],
      registers: [registry],
    }),
    failures: new Counter({
      name: 'isobar_notifier_delivery_failures_total',
      help: 'Failed delivery attempts (each is retried with backoff; nothing is dropped)',
      labelNames: ['channel'],
      registers: [registry],
    }),
    skipped: new Counter({
      name: 'isobar_notifier_skipped_total',
      help: 'Alert topic records not sent: not_news (notify false, acks, flapping updates) or undecodable',
      labelNames: ['reason'],
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'isobar_notifier_delivery_seconds',
      help: 'From the alert engine raising a transition to its delivery, retries included',
      labelNames: ['channel'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
  }
}
