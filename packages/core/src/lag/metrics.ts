import { Counter, Gauge, type Registry } from 'prom-client'
import type { LagMonitor, PartitionLagStatus } from './monitor.ts'
import { LAG_STATUS_CODES } from './status.ts'

/**
 * Exposes a LagMonitor's latest snapshot on a registry; values are read at scrape time (collect callbacks):
 * - isobar_consumer_lag_records{group,topic,partition}   records behind (absent without a committed offset)
 * - isobar_consumer_lag_seconds{group,topic,partition}   age of the next unconsumed record (absent when unknown)
 * - isobar_consumer_lag_status{group,topic,partition}    OK=0 WARN=1 STALL=2 STOP=3 REWIND=4
 * - isobar_consumer_group_status{group}                  worst partition status, same codes
 * - isobar_consumer_lag_sample_failures_total{group}      failed samples
 * Call it once per registry (metric names are unique per registry); one monitor can watch many groups.
 */
export function registerLagMetrics(registry: Registry, monitor: LagMonitor): void {
  // One gauge per partition-level figure, read from the latest snapshot at scrape time (null: no series).
  const partitionGauge = (name: string, help: string, value: (p: PartitionLagStatus) => number | null): void => {
    new Gauge({
      name,
      help,
      labelNames: ['group', 'topic', 'partition'] as const,
      registers: [registry],
      collect() {
        this.reset()
        for (const g of monitor.snapshot()) {
          for (const p of g.partitions) {
            const v = value(p)
            if (v !== null) this.set({ group: g.group, topic: p.topic, partition: p.partition }, v)
          }
        }
      },
    })
  }
  partitionGauge(
    'isobar_consumer_lag_records',
    'Records between the committed offset and the end of the partition',
    (p) => (p.lag === null ? null : Number(p.lag)),
  )
  partitionGauge(
    'isobar_consumer_lag_seconds',
    'Age of the next unconsumed record (0 when caught up)',
    (p) => p.lagSeconds,
  )
  partitionGauge(
    'isobar_consumer_lag_status',
    'Burrow-style partition status: OK=0 WARN=1 STALL=2 STOP=3 REWIND=4',
    (p) => LAG_STATUS_CODES[p.status],
  )
  new Gauge({
    name: 'isobar_consumer_group_status',
    help: 'Worst partition status of the group: OK=0 WARN=1 STALL=2 STOP=3 REWIND=4',
    labelNames: ['group'],
    registers: [registry],
    collect() {
      this.reset()
      for (const g of monitor.snapshot()) this.set({ group: g.group }, LAG_STATUS_CODES[g.status])
    },
  })
  const reported = new Map<string, number>()
  new Counter({
    name: 'isobar_consumer_lag_sample_failures_total',
    help: 'Failed consumer lag samples (admin requests that threw)',
    labelNames: ['group'],
    registers: [registry],
    collect() {
      for (const g of monitor.snapshot()) {
        const delta = g.failures - (reported.get(g.group) ?? 0)
        this.inc({ group: g.group }, delta)
        reported.set(g.group, g.failures)
      }
    },
  })
}
