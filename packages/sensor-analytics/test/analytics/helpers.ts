/**
 * Test data and the expected answer for the analytics tests: a seeded workload of sensor readings, and an
 * independent batch computation of every window aggregate (straight from the readings, no panes, no sketch).
 */
import assert from 'node:assert/strict'
import { javaPartitionForKey } from '@isobar/core'
import { mulberry32 as seeded } from './stats/helpers.ts'

/** 2026-01-01T00:00:00Z: a multiple of every window size. */
export const START_MS = 1_767_225_600_000

/** A sensor-reading v3 value with the two quantities the tests measure. */
export interface TestReading {
  sensorId: string
  zoneId: string
  sequence: number
  eventTimeMs: number
  ingestTimeMs: number
  temperatureC: number
  relativeHumidityPct: number
}

export const TEST_FIELDS = ['relativeHumidityPct', 'temperatureC'] as const

export interface WorkloadOptions {
  seed: number
  sensors: number
  zones: number
  panes: number
  /** Readings per sensor and pane. */
  perPane: number
  paneMs: number
  /** Epoch-aligned start of the first pane. */
  startMs: number
  /** Arrival order = event time displaced by less than this (keep it below graceMs: nothing is late). */
  disorderMs: number
  /** Share of readings sent twice (at-least-once producers). */
  duplicateRate: number
}

export const sensorIdOf = (i: number): string => `mote:s${String(i).padStart(4, '0')}`
export const zoneIdOf = (i: number): string => `site-1.z${i}`

/** Readings in arrival order (bounded disorder, duplicates included). */
export function generateReadings(o: WorkloadOptions): TestReading[] {
  const rnd = seeded(o.seed)
  const sequences = new Array<number>(o.sensors).fill(0)
  const arrivals: Array<{ at: number; r: TestReading }> = []
  for (let p = 0; p < o.panes; p++) {
    for (let s = 0; s < o.sensors; s++) {
      const zone = s % o.zones
      for (let k = 0; k < o.perPane; k++) {
        const eventTimeMs = o.startMs + p * o.paneMs + Math.floor(rnd() * o.paneMs)
        const r: TestReading = {
          sensorId: sensorIdOf(s),
          zoneId: zoneIdOf(zone),
          sequence: sequences[s]!++,
          eventTimeMs,
          ingestTimeMs: eventTimeMs + 5,
          temperatureC: Math.round((18 + zone * 2 + (s % 7) * 0.3 + (rnd() - 0.5) * 6) * 100) / 100,
          relativeHumidityPct: Math.round((40 + (rnd() - 0.5) * 30) * 10) / 10,
        }
        arrivals.push({ at: eventTimeMs + rnd() * o.disorderMs, r })
        if (rnd() < o.duplicateRate) arrivals.push({ at: eventTimeMs + rnd() * o.disorderMs, r })
      }
    }
  }
  return arrivals.sort((a, b) => a.at - b.at).map((a) => a.r)
}

/** An id with javaPartitionForKey(id) === partition for every partition: `make(n)` for the first n that fits. */
export function idsPerPartition(partitions: number, make: (n: number) => string): string[] {
  const ids: string[] = []
  for (let p = 0; p < partitions; p++) {
    let n = 0
    while (javaPartitionForKey(Buffer.from(make(n)), partitions) !== p) n++
    ids.push(make(n))
  }
  return ids
}

/**
 * Two readings per readings partition far in the future (+1 h, then +2 h, same sensor): the first closes every
 * real pane by stream time; the second closes the first's pane, whose zone hashes to a different panes partition
 * each, so stage 2's stream time passes every real window too. Nothing waits for a wall-clock idle timeout.
 */
export function sentinelReadings(partitions: number, lastEventMs: number): TestReading[] {
  const sensors = idsPerPartition(partitions, (n) => `mote:sentinel-${n}`)
  const zones = idsPerPartition(partitions, (n) => `sentinel-${n}`)
  return sensors.flatMap((sensorId, i) =>
    [3_600_000, 7_200_000].map((ahead, k) => ({
      sensorId,
      zoneId: zones[i]!,
      sequence: k,
      eventTimeMs: lastEventMs + ahead,
      ingestTimeMs: lastEventMs + ahead,
      temperatureC: 20,
      relativeHumidityPct: 50,
    })),
  )
}

/** What an aggregate record is compared on (emittedAtMs and the anomaly flags are left out). */
export interface AggregateRow {
  sensorId: string
  field: string
  scope: 'sensor' | 'zone'
  zoneId?: string
  windowKind: 'tumbling' | 'hopping'
  windowStartMs: number
  windowEndMs: number
  count: number
  min: number
  max: number
  mean: number
  stddev: number
  p95?: number
  sensors?: number
  final: boolean
  emittedAtMs?: number
}

export const rowId = (r: Pick<AggregateRow, 'sensorId' | 'field' | 'windowKind' | 'windowStartMs'>): string =>
  `${r.sensorId}|${r.field}|${r.windowKind}|${r.windowStartMs}`

export interface ExpectedWindow {
  entity: string
  field: string
  scope: 'sensor' | 'zone'
  zoneId: string
  windowKind: 'tumbling' | 'hopping'
  start: number
  end: number
  values: number[]
  sensors: Set<string>
}

/** Every (entity, field, window kind, start) with the readings it holds, computed directly from the readings. */
export function batchWindows(
  readings: readonly TestReading[],
  w: { paneMs: number; hopSizeMs: number },
): Map<string, ExpectedWindow> {
  const out = new Map<string, ExpectedWindow>()
  const add = (
    entity: string,
    scope: 'sensor' | 'zone',
    windowKind: 'tumbling' | 'hopping',
    start: number,
    size: number,
    r: TestReading,
  ): void => {
    for (const field of TEST_FIELDS) {
      const id = rowId({ sensorId: entity, field, windowKind, windowStartMs: start })
      let window = out.get(id)
      if (!window) {
        window = {
          entity,
          field,
          scope,
          zoneId: r.zoneId,
          windowKind,
          start,
          end: start + size,
          values: [],
          sensors: new Set(),
        }
        out.set(id, window)
      }
      window.values.push(r[field])
      window.sensors.add(r.sensorId)
    }
  }
  // The analytics counts a sensor's sequence number once (duplicates from at-least-once edges); so does this.
  const seen = new Set<string>()
  for (const r of readings) {
    const once = `${r.sensorId}\u0000${r.sequence}`
    if (seen.has(once)) continue
    seen.add(once)
    const zone = `zone:${r.zoneId}`
    const paneStart = Math.floor(r.eventTimeMs / w.paneMs) * w.paneMs
    add(r.sensorId, 'sensor', 'tumbling', paneStart, w.paneMs, r)
    add(zone, 'zone', 'tumbling', paneStart, w.paneMs, r)
    // Every hopping window [start, start + hopSizeMs) with start a multiple of paneMs that contains the reading.
    for (let start = paneStart; start > r.eventTimeMs - w.hopSizeMs; start -= w.paneMs) {
      add(r.sensorId, 'sensor', 'hopping', start, w.hopSizeMs, r)
      add(zone, 'zone', 'hopping', start, w.hopSizeMs, r)
    }
  }
  return out
}

function closeRelative(actual: number, expected: number, tolerance: number): boolean {
  return Math.abs(actual - expected) <= tolerance * Math.max(Math.abs(expected), 1e-12)
}

/**
 * Asserts the stream's rows are exactly the batch windows: same ids, counts/min/max exact, mean and population
 * stddev to 1e-9 relative, p95 within the sketch's 1% of the exact value at rank floor(0.95 (n - 1)) ± 1.
 */
export function assertMatchesBatch(rows: readonly AggregateRow[], expected: ReadonlyMap<string, ExpectedWindow>): void {
  const actual = new Map<string, AggregateRow>()
  for (const row of rows) {
    const id = rowId(row)
    const earlier = actual.get(id)
    assert.ok(!earlier, `window emitted twice: ${id} (counts ${earlier?.count}, ${row.count})`)
    actual.set(id, row)
  }
  const missing = [...expected.keys()].filter((id) => !actual.has(id))
  const extra = [...actual.keys()].filter((id) => !expected.has(id))
  assert.deepEqual({ missing: missing.slice(0, 10), extra: extra.slice(0, 10) }, { missing: [], extra: [] })
  for (const [id, e] of expected) {
    const row = actual.get(id)!
    const values = [...e.values].sort((a, b) => a - b)
    const n = values.length
    const mean = values.reduce((s, v) => s + v, 0) / n
    const stddev = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / n)
    const shape = {
      scope: row.scope,
      zoneId: row.zoneId,
      windowEndMs: row.windowEndMs,
      count: row.count,
      min: row.min,
      max: row.max,
      sensors: row.sensors,
      final: row.final,
    }
    assert.deepEqual(
      shape,
      {
        scope: e.scope,
        zoneId: e.zoneId,
        windowEndMs: e.end,
        count: n,
        min: values[0],
        max: values[n - 1],
        sensors: e.scope === 'zone' ? e.sensors.size : undefined,
        final: true,
      },
      id,
    )
    assert.ok(closeRelative(row.mean, mean, 1e-9), `${id}: mean ${row.mean} vs ${mean}`)
    assert.ok(closeRelative(row.stddev, stddev, 1e-9) || Math.abs(row.stddev - stddev) < 1e-12, `${id}: stddev`)
    const rank = Math.floor(0.95 * (n - 1))
    const candidates = [rank - 1, rank, rank + 1].filter((k) => k >= 0 && k < n).map((k) => values[k]!)
    assert.ok(
      row.p95 !== undefined && candidates.some((v) => Math.abs(row.p95! - v) <= 0.01 * Math.abs(v) + 1e-9),
      `${id}: p95 ${row.p95} vs exact ${candidates.join('/')}`,
    )
  }
}

/** Only the windows of the real readings (the sentinels' own windows start an hour later). */
export function realRows(rows: readonly AggregateRow[], sentinelFromMs: number): AggregateRow[] {
  return rows.filter((r) => r.windowStartMs < sentinelFromMs && !r.sensorId.includes('sentinel'))
}

export function lastEventMs(readings: readonly TestReading[]): number {
  return readings.reduce((max, r) => Math.max(max, r.eventTimeMs), Number.NEGATIVE_INFINITY)
}
