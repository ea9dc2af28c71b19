/**
 * Pane-based windows (Li et al., "No pane, no gain", SIGMOD Record 2005): readings fold once into a 1-minute pane
 * per sensor; zone minutes and 5-minute hopping windows are merges of panes, never a second pass over readings.
 * A reading therefore costs one sketch insert instead of one per overlapping hopping window. Every statistic is
 * mergeable (moments by Chan's parallel formula, p95 from a bucketed sketch whose merge is exact), so a merged
 * window equals the window computed from its readings directly.
 */
import type { AggregateSerde, Aggregation } from '@isobar/stream'
import type { MeasuredField, Measurement } from './reading.ts'
import type { DetectedMeasurement } from './anomaly/stage.ts'
import { addSequence } from './sequences.ts'
import {
  addSample,
  compactFieldStats,
  emptyFieldStats,
  expandFieldStats,
  mergeFieldStats,
  type CompactFieldStats,
  type FieldStats,
} from './stats/index.ts'

export type FieldStatsMap = Partial<Record<MeasuredField, FieldStats>>

/** Per quantity, from the streaming detector: [readings in an anomaly episode, strongest score]. */
export type DetectedMap = Partial<Record<MeasuredField, [number, number]>>

/** One sensor's statistics over one pane (stage 1 state, and the record stage 2 reads). */
export interface Pane {
  sensorId: string
  zoneId?: string
  fields: FieldStatsMap
  /** Absent when the detector is off. */
  detected?: DetectedMap
  /** Sequence numbers counted (see sequences.ts): a reading seen twice is counted once. */
  sequences?: number[]
}

/** Statistics merged from panes: one sensor over 5 minutes, or one zone over 1 or 5 minutes. */
export interface Rollup {
  zoneId?: string
  /** Distinct sensors merged, sorted. */
  sensors: string[]
  fields: FieldStatsMap
  detected?: DetectedMap
}

function mergeDetected(into: DetectedMap | undefined, from: DetectedMap | undefined): DetectedMap | undefined {
  if (!from) return into
  const out: DetectedMap = { ...into }
  for (const field in from) {
    const f = field as MeasuredField
    const [count, score] = from[f]!
    const existing = out[f]
    out[f] = existing ? [existing[0] + count, Math.max(existing[1], score)] : [count, score]
  }
  return out
}

export const paneAggregation: Aggregation<Measurement, Pane> = {
  init: () => ({ sensorId: '', fields: {} }),
  add(pane, m) {
    if (m.sequence !== undefined && !addSequence((pane.sequences ??= []), m.sequence)) return pane
    pane.sensorId = m.sensorId
    if (m.zoneId !== undefined) pane.zoneId = m.zoneId
    for (const field in m.values) {
      const f = field as MeasuredField
      pane.fields[f] = addSample(pane.fields[f] ?? emptyFieldStats(), m.values[f]!)
    }
    const detected = (m as DetectedMeasurement).detected
    if (detected) {
      const into = (pane.detected ??= {})
      for (const field in detected) {
        const f = field as MeasuredField
        const [anomalous, score] = detected[f]!
        const d = into[f]
        if (d) {
          d[0] += anomalous
          if (score > d[1]) d[1] = score
        } else into[f] = [anomalous, score]
      }
    }
    return pane
  },
}

function mergeFields(into: FieldStatsMap, from: FieldStatsMap): FieldStatsMap {
  const out: FieldStatsMap = { ...into }
  for (const field in from) {
    const f = field as MeasuredField
    const existing = out[f]
    out[f] = existing ? mergeFieldStats(existing, from[f]!) : mergeFieldStats(emptyFieldStats(), from[f]!)
  }
  return out
}

function insertSorted(list: string[], id: string): string[] {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (list[mid]! < id) lo = mid + 1
    else hi = mid
  }
  if (list[lo] !== id) list.splice(lo, 0, id)
  return list
}

export const rollupAggregation: Aggregation<Pane, Rollup> = {
  init: () => ({ sensors: [], fields: {} }),
  add(rollup, pane) {
    if (pane.zoneId !== undefined) rollup.zoneId = pane.zoneId
    insertSorted(rollup.sensors, pane.sensorId)
    rollup.fields = mergeFields(rollup.fields, pane.fields)
    const detected = mergeDetected(rollup.detected, pane.detected)
    if (detected) rollup.detected = detected
    return rollup
  },
  merge(a, b) {
    const sensors = [...a.sensors]
    for (const id of b.sensors) insertSorted(sensors, id)
    const detected = mergeDetected(a.detected, b.detected)
    return {
      ...(a.zoneId ? { zoneId: a.zoneId } : {}),
      sensors,
      fields: mergeFields(a.fields, b.fields),
      ...(detected ? { detected } : {}),
    }
  },
}

/** Entity ids of zone statistics: `zone:<zoneId>` (sensor ids are `<kind>:<id>`, so the two never collide). */
export function zoneEntity(zoneId: string): string {
  return `zone:${zoneId}`
}

type CompactFields = Array<[MeasuredField, ...CompactFieldStats]>

function compactFields(fields: FieldStatsMap): CompactFields {
  return Object.entries(fields).map(([field, stats]) => [field as MeasuredField, ...compactFieldStats(stats)])
}

function expandFields(compact: CompactFields): FieldStatsMap {
  const fields: FieldStatsMap = {}
  for (const [field, ...stats] of compact) fields[field] = expandFieldStats(stats)
  return fields
}

/**
 * Changelog form of a pane: `[sensorId, zoneId | null, fields, detected | null?, sequences?]` with compact
 * statistics (panes written before sequences were kept have 3 or 4 elements and read the same).
 */
export const paneSerde: AggregateSerde<Pane> = {
  encode: (pane) => {
    const json: unknown[] = [pane.sensorId, pane.zoneId ?? null, compactFields(pane.fields)]
    if (pane.detected || pane.sequences) json.push(pane.detected ?? null)
    if (pane.sequences) json.push(pane.sequences)
    return json
  },
  decode(json) {
    const [sensorId, zoneId, fields, detected, sequences] = json as [
      string,
      string | null,
      CompactFields,
      (DetectedMap | null)?,
      number[]?,
    ]
    return {
      sensorId,
      ...(zoneId === null ? {} : { zoneId }),
      fields: expandFields(fields),
      ...(detected ? { detected } : {}),
      ...(sequences ? { sequences } : {}),
    }
  },
}

/** Changelog form of a rollup: `[zoneId | null, sensors, fields, detected?]` with compact statistics. */
export const rollupSerde: AggregateSerde<Rollup> = {
  encode: (rollup) => {
    const json: unknown[] = [rollup.zoneId ?? null, rollup.sensors, compactFields(rollup.fields)]
    if (rollup.detected) json.push(rollup.detected)
    return json
  },
  decode(json) {
    const [zoneId, sensors, fields, detected] = json as [string | null, string[], CompactFields, DetectedMap?]
    return {
      ...(zoneId === null ? {} : { zoneId }),
      sensors,
      fields: expandFields(fields),
      ...(detected ? { detected } : {}),
    }
  },
}
