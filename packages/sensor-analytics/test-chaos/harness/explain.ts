/**
 * When windows are missing after a fault, what the topics say about the first one: the stage's changelog records
 * for it (committed or not: was it opened, closed, closed in a transaction that aborted?), the panes it should have
 * merged with their offsets against the stage's committed position, and the late records of its entity. Printed
 * with the failure, so a rare loss seen once in CI can be told apart: lost input, lost state, or lost output.
 */
import type { ConsumedRecord, KafkaClient } from '@isobar/core'
import { LATE_HEADER } from '@isobar/stream'
import type { ExpectedWindow } from '../../test/analytics/helpers.ts'

export interface ExplainOptions {
  kafka: KafkaClient
  applicationId: string
  partitions: number
  windowing: { paneMs: number; hopSizeMs: number }
  topics: { panes: string; late: string }
}

export async function explainMissingWindow(o: ExplainOptions, window: ExpectedWindow): Promise<string> {
  const lines: string[] = []
  const hopping = window.windowKind === 'hopping'
  const stage = hopping
    ? `${o.applicationId}-hop-${Math.round(o.windowing.hopSizeMs / 60_000)}m`
    : window.scope === 'zone'
      ? `${o.applicationId}-zone-1m`
      : o.applicationId
  const sizeMs = hopping ? o.windowing.hopSizeMs : o.windowing.paneMs
  lines.push(`first missing window: ${window.entity} ${window.windowKind} ${window.start}, stage ${stage}`)
  try {
    const storeKey = `${window.entity}\u0000${window.start}`
    const changelog = `${stage}-changelog`
    for (let p = 0; p < o.partitions; p++) {
      const committed = new Set((await readAll(o.kafka, changelog, p)).map((r) => r.offset))
      const all = await readUncommitted(o.kafka, changelog, p)
      const mine = all.filter((r) => r.key?.toString() === storeKey)
      for (const r of mine) {
        lines.push(
          `  changelog ${p}@${r.offset}: ${r.value ? 'put' : 'tombstone'}, ${committed.has(r.offset) ? 'committed' : 'NOT committed'}`,
        )
      }
    }
    const admin = o.kafka.admin()
    const offsets = await admin.groupOffsets(stage).finally(() => admin.close())
    lines.push(`  ${stage} committed positions: ${offsets.map((x) => `${x.partition}@${x.offset}`).join(' ')}`)
    if (stage !== o.applicationId) {
      for (let p = 0; p < o.partitions; p++) {
        const panes = (await readAll(o.kafka, o.topics.panes, p)).filter((r) => {
          const text = r.value?.toString() ?? ''
          if (text.includes('"watermark"') || !text.includes(window.entity.replace(/^zone:/, ''))) return false
          const start = paneStart(text)
          return start !== undefined && start >= window.start && start < window.start + sizeMs
        })
        for (const r of panes) lines.push(`  pane ${p}@${r.offset} start ${paneStart(r.value!.toString())}`)
      }
    }
    const late = await Promise.all(Array.from({ length: o.partitions }, (_, p) => readAll(o.kafka, o.topics.late, p)))
    const lateRecords = late.flat()
    const lateMine = lateRecords.filter((r) => r.value?.toString().includes(window.entity.replace(/^zone:/, '')))
    lines.push(`  late topic: ${lateRecords.length} committed records, ${lateMine.length} of this entity`)
    // Late because the log itself was out of order (a reading far ahead written before it), or because the
    // stage's stream time was ahead when it read the record (restored state ahead of its committed position)?
    const readingsByPartition = new Map<number, ConsumedRecord[]>()
    for (const r of lateMine.slice(0, 3)) {
      const source = r.headers[LATE_HEADER]?.toString() ?? ''
      const [topic, partitionText, offsetText] = source.split('/')
      if (topic === undefined || partitionText === undefined || offsetText === undefined) continue
      const partition = Number(partitionText)
      const offset = BigInt(offsetText)
      let log = readingsByPartition.get(partition)
      if (!log) readingsByPartition.set(partition, (log = await readAll(o.kafka, topic, partition)))
      const at = log.findIndex((x) => x.offset === offset)
      const before = log.slice(Math.max(0, at - 300), Math.max(0, at))
      const ahead = before.reduce(
        (best, x) => {
          const t = eventTime(x)
          return t !== undefined && t > best.t ? { t, offset: x.offset } : best
        },
        { t: Number.NEGATIVE_INFINITY, offset: -1n },
      )
      lines.push(
        `  late reading ${source}: event time ${eventTime(log[at]) ?? '?'}; the 300 readings before it in its ` +
          `partition reach ${ahead.t} (at offset ${ahead.offset}); stage positions above`,
      )
    }
  } catch (error) {
    lines.push(`  (explaining failed: ${error instanceof Error ? error.message : String(error)})`)
  }
  return lines.join('\n')
}

function eventTime(record: ConsumedRecord | undefined): number | undefined {
  try {
    const json = JSON.parse(record?.value?.toString() ?? '') as { eventTimeMs?: unknown }
    return typeof json.eventTimeMs === 'number' ? json.eventTimeMs : undefined
  } catch {
    return undefined
  }
}

function paneStart(text: string): number | undefined {
  try {
    const json = JSON.parse(text) as { start?: unknown }
    return typeof json.start === 'number' ? json.start : undefined
  } catch {
    return undefined
  }
}

async function readAll(kafka: KafkaClient, topic: string, partition: number): Promise<ConsumedRecord[]> {
  const out: ConsumedRecord[] = []
  await kafka.readCommitted({ topic, partition, timeoutMs: 60_000, onRecords: (r) => out.push(...r) })
  return out
}

async function readUncommitted(kafka: KafkaClient, topic: string, partition: number): Promise<ConsumedRecord[]> {
  const admin = kafka.admin()
  try {
    const out: ConsumedRecord[] = []
    let from: { offset: bigint } | 'earliest' = 'earliest'
    for (let i = 0; i < 1000; i++) {
      const page = await admin.readRecords({ topic, partition, from, limit: 5000, timeoutMs: 30_000 })
      out.push(...page.records)
      if (page.records.length === 0 || page.nextOffset >= page.latestOffset) break
      from = { offset: page.nextOffset }
    }
    return out
  } finally {
    await admin.close()
  }
}
