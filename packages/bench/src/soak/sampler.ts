/** One soak sample: process memory, consumer lag, dead-letter and late rates, and event-time skew, read live. */
import { readFile } from 'node:fs/promises'
import type { Admin, ConsumedRecord } from '@isobar/core'
import { metricValue, parseVmRss } from './prometheus.ts'
import type { ServiceSample, SoakSample, SoakService } from './types.ts'

export interface SampleSources {
  admin: Admin
  services: readonly SoakService[]
  readingsTopic: string
  /** Records read from the end of each readings partition for the skew (default 20). */
  skewRecords?: number
  now?: () => number
}

const isDeadLetterTopic = (name: string): boolean => /(^|[._-])dlq$/.test(name)
const isLateTopic = (name: string): boolean => name.endsWith('-late')

export async function takeSample(
  sources: SampleSources,
  startedMs: number,
  previous: SoakSample | undefined,
): Promise<SoakSample> {
  const now = sources.now ?? Date.now
  const timeMs = now()
  const [services, lag, offsets, skew] = await Promise.all([
    serviceSamples(sources.services),
    groupLags(sources.admin),
    topicOffsets(sources.admin, sources.readingsTopic),
    readingsSkew(sources.admin, sources.readingsTopic, sources.skewRecords ?? 20),
  ])
  const seconds = previous ? (timeMs - previous.timeMs) / 1000 : 0
  const rate = (current: number, before: number | undefined): number =>
    seconds > 0 && before !== undefined ? Math.max(0, (current - before) / seconds) : 0
  return {
    timeMs,
    elapsedS: Math.round((timeMs - startedMs) / 100) / 10,
    services,
    lag,
    offsets,
    rates: {
      readingsPerS: rate(offsets.readings, previous?.offsets.readings),
      deadLettersPerS: rate(offsets.deadLetters, previous?.offsets.deadLetters),
      latePerS: rate(offsets.late, previous?.offsets.late),
    },
    skew,
  }
}

async function serviceSamples(services: readonly SoakService[]): Promise<Record<string, ServiceSample>> {
  const entries = await Promise.all(
    services.map(async (service): Promise<[string, ServiceSample]> => {
      const rss =
        service.pid === undefined
          ? undefined
          : await readFile(`/proc/${service.pid}/status`, 'utf8').then(parseVmRss, () => undefined)
      let heap: number | undefined
      if (service.metricsUrl !== undefined) {
        try {
          const response = await fetch(service.metricsUrl, { signal: AbortSignal.timeout(3000) })
          const text = await response.text()
          heap =
            metricValue(text, 'isobar_nodejs_heap_size_used_bytes') ?? metricValue(text, 'nodejs_heap_size_used_bytes')
        } catch {
          heap = undefined
        }
      }
      return [service.name, { rssBytes: rss ?? null, heapUsedBytes: heap ?? null }]
    }),
  )
  return Object.fromEntries(entries)
}

async function groupLags(admin: Admin): Promise<Record<string, number | null>> {
  const groups = await admin.listGroups()
  const out: Record<string, number | null> = {}
  for (const { groupId } of groups.sort((a, b) => a.groupId.localeCompare(b.groupId))) {
    try {
      const partitions = await admin.groupLag(groupId)
      const committed = partitions.filter((p) => p.lag !== null)
      out[groupId] = committed.length === 0 ? null : committed.reduce((sum, p) => sum + Number(p.lag), 0)
    } catch {
      out[groupId] = null
    }
  }
  return out
}

async function topicOffsets(admin: Admin, readingsTopic: string): Promise<SoakSample['offsets']> {
  const topics = await admin.listTopics()
  const endSum = async (topic: string): Promise<number> =>
    (await admin.listOffsets(topic)).reduce((sum, p) => sum + Number(p.latest), 0)
  const sumOf = async (names: string[]): Promise<number> =>
    (await Promise.all(names.map(endSum))).reduce((a, b) => a + b, 0)
  return {
    readings: topics.includes(readingsTopic) ? await endSum(readingsTopic) : 0,
    deadLetters: await sumOf(topics.filter(isDeadLetterTopic)),
    late: await sumOf(topics.filter(isLateTopic)),
  }
}

/** Event time of a reading value (plain JSON or the registry wire format: magic 0, 4-byte id, JSON). */
export function readingEventTime(value: Buffer | null): number | undefined {
  if (value === null || value.length === 0) return undefined
  try {
    const json = value[0] === 0 ? value.subarray(5) : value
    const parsed = JSON.parse(json.toString('utf8')) as { eventTimeMs?: unknown }
    return typeof parsed.eventTimeMs === 'number' && Number.isFinite(parsed.eventTimeMs)
      ? parsed.eventTimeMs
      : undefined
  } catch {
    return undefined
  }
}

async function readingsSkew(admin: Admin, topic: string, limit: number): Promise<SoakSample['skew']> {
  let offsets
  try {
    offsets = await admin.listOffsets(topic)
  } catch {
    return { medianMs: null, p95Ms: null, maxMs: null }
  }
  const records: ConsumedRecord[] = []
  for (const { partition, latest, earliest } of offsets) {
    if (latest <= earliest) continue
    const from = latest - BigInt(limit) > earliest ? latest - BigInt(limit) : earliest
    const read = await admin.readRecords({ topic, partition, from: { offset: from }, limit, timeoutMs: 5000 })
    records.push(...read.records)
  }
  const deltas: number[] = []
  for (const record of records) {
    const eventTime = readingEventTime(record.value)
    if (eventTime !== undefined) deltas.push(eventTime - record.timestamp)
  }
  deltas.sort((a, b) => a - b)
  const at = (q: number): number | null => (deltas.length === 0 ? null : deltas[Math.floor(q * (deltas.length - 1))]!)
  return { medianMs: at(0.5), p95Ms: at(0.95), maxMs: at(1) }
}
