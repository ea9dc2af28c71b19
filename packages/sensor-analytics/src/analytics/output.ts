/**
 * Window results → sensors.aggregates records (schema window-aggregate v2): one record per measured field,
 * keyed by the entity (sensor id, or `zone:<zoneId>`), plus, for closed sensor panes, the pane itself on the
 * internal panes topic keyed by zone so that stage 2 finds every sensor of a zone in one partition.
 */
import { parseJsonPayload } from '@isobar/core'
import type { OutputRecord, TaskProgress, Watermark, WindowResult } from '@isobar/stream'
import type { WindowAggregate } from '@isobar/schemas'
import { zoneEntity, type FieldStatsMap, type Pane, type Rollup } from './panes.ts'
import type { MeasuredField } from './reading.ts'
import { summarizeFieldStats } from './stats/index.ts'

/** Turns an aggregate into record bytes (registry wire format or JSON); throws when the value is invalid. */
export type AggregateEncoder = (value: WindowAggregate) => Buffer

export interface AggregateOutputOptions {
  aggregatesTopic: string
  encode: AggregateEncoder
  zThreshold: number
  minCount: number
  clock: () => number
  /** An aggregate that could not be encoded (counted and logged by the caller; the window is not retried). */
  onEncodeError: (error: unknown, aggregate: WindowAggregate) => void
}

interface Shape {
  entityId: string
  scope: 'sensor' | 'zone'
  zoneId: string | undefined
  windowKind: 'tumbling' | 'hopping'
  sensors: number | undefined
}

function aggregateRecords(
  options: AggregateOutputOptions,
  result: WindowResult<unknown>,
  shape: Shape,
  fields: FieldStatsMap,
): OutputRecord[] {
  const records: OutputRecord[] = []
  const key = Buffer.from(shape.entityId)
  for (const field of Object.keys(fields).sort()) {
    const stats = fields[field as MeasuredField]!
    if (stats.count === 0) continue
    const s = summarizeFieldStats(stats, { zThreshold: options.zThreshold, minCount: options.minCount })
    const aggregate = {
      sensorId: shape.entityId,
      field,
      scope: shape.scope,
      ...(shape.zoneId === undefined ? {} : { zoneId: shape.zoneId }),
      windowKind: shape.windowKind,
      windowStartMs: result.start,
      windowEndMs: result.end,
      windowSizeMs: result.end - result.start,
      count: s.count,
      min: s.min,
      max: s.max,
      mean: s.mean,
      stddev: s.stddev,
      ...(s.p95 === undefined ? {} : { p95: s.p95 }),
      ...(shape.sensors === undefined ? {} : { sensors: shape.sensors }),
      anomaly: s.anomaly,
      emittedAtMs: options.clock(),
      final: result.final,
    } as WindowAggregate
    try {
      records.push({ topic: options.aggregatesTopic, key, value: options.encode(aggregate) })
    } catch (error) {
      options.onEncodeError(error, aggregate)
    }
  }
  return records
}

/** Stage 1: a closed 1-minute sensor pane → its public aggregates and the pane for stage 2. */
export function paneOutput(
  options: AggregateOutputOptions & { panesTopic: string },
): (result: WindowResult<Pane>) => OutputRecord[] {
  return (result) => {
    const pane = result.value
    if (pane === null) return []
    const shape: Shape = {
      entityId: result.key,
      scope: 'sensor',
      zoneId: pane.zoneId,
      windowKind: 'tumbling',
      sensors: undefined,
    }
    const records = aggregateRecords(options, result, shape, pane.fields)
    records.push({
      topic: options.panesTopic,
      key: Buffer.from(pane.zoneId ?? pane.sensorId),
      value: Buffer.from(JSON.stringify({ start: result.start, end: result.end, pane })),
    })
    return records
  }
}

/** Stage 2: a closed zone minute, or a 5-minute sensor or zone window. */
export function rollupOutput(
  options: AggregateOutputOptions & { windowKind: 'tumbling' | 'hopping' },
): (result: WindowResult<Rollup>) => OutputRecord[] {
  return (result) => {
    const rollup = result.value
    if (rollup === null) return []
    const isZone = rollup.zoneId !== undefined && result.key === zoneEntity(rollup.zoneId)
    const shape: Shape = {
      entityId: result.key,
      scope: isZone ? 'zone' : 'sensor',
      zoneId: rollup.zoneId,
      windowKind: options.windowKind,
      sensors: isZone ? rollup.sensors.length : undefined,
    }
    return aggregateRecords(options, result, shape, rollup.fields)
  }
}

/** A pane record as stage 1 wrote it. */
export interface PaneRecord {
  start: number
  end: number
  pane: Pane
}

/**
 * Stage 1's progress, written to every panes partition: panes partition `source` of `sources` will write no pane
 * starting before `time` (null = not known yet), or is idle. Stage 2 closes windows on the slowest of them, so a
 * catching-up partition never makes another's panes late.
 */
export function watermarkRecords(panesTopic: string, partitions: number, progress: TaskProgress): OutputRecord[] {
  const value = Buffer.from(
    JSON.stringify({
      watermark: {
        source: progress.partition,
        sources: partitions,
        time: Number.isFinite(progress.time) ? progress.time : null,
        idle: progress.idle,
      },
    }),
  )
  return Array.from({ length: partitions }, (_, partition) => ({ topic: panesTopic, partition, key: null, value }))
}

export function decodePaneRecord(value: Buffer | null): PaneRecord | Watermark {
  if (!value) throw new TypeError('pane record without a value')
  // Checked like any consumed payload (UTF-8, finite numbers, bounded nesting): one bad record goes to the DLQ.
  const parsed = parseJsonPayload(value, 0) as Partial<PaneRecord> & {
    watermark?: { source: number; sources: number; time: number | null; idle: boolean }
  }
  if (parsed?.watermark) {
    const w = parsed.watermark
    return { watermark: { ...w, time: w.time ?? Number.NEGATIVE_INFINITY } }
  }
  if (typeof parsed?.start !== 'number' || typeof parsed.pane?.sensorId !== 'string') {
    throw new TypeError('not a pane record')
  }
  return parsed as PaneRecord
}
