import type { Admin } from '@isobar/core'
import type { AlertEvent } from '../events.ts'
import { decodeAlertEvent } from './codec.ts'

const CHUNK = 5000

/**
 * The current state of every alert: the latest event per key, read from the start of each partition of the
 * alerts topic up to its end at call time (a key always lives on one partition, so offset order is enough).
 */
export async function readLatestAlerts(admin: Admin, topic: string, timeoutMs = 20_000): Promise<AlertEvent[]> {
  const latest = new Map<string, AlertEvent>()
  const deadline = Date.now() + timeoutMs
  for (const partition of await admin.listOffsets(topic)) {
    let offset = partition.earliest
    while (offset < partition.latest) {
      const remaining = Math.max(1000, deadline - Date.now())
      const result = await admin.readRecords({
        topic,
        partition: partition.partition,
        from: { offset },
        limit: CHUNK,
        timeoutMs: remaining,
      })
      for (const record of result.records) {
        if (record.offset >= partition.latest) break
        const key = record.key?.toString('utf8')
        const event = decodeAlertEvent(record.value)
        if (key !== undefined && event) latest.set(key, event)
      }
      if (result.nextOffset <= offset) break
      offset = result.nextOffset
    }
  }
  return [...latest.values()]
}
