/** The shapes the Admin API and the live feed send (the subset the console shows). */
import type { AlertEvent as AlertEventRecord } from '@isobar/alerts/events'

export interface Aggregate {
  sensorId: string
  field: string
  windowKind: string
  windowStartMs: number
  windowEndMs: number
  windowSizeMs?: number
  count: number
  min: number
  max: number
  mean: number
  stddev?: number
  p95?: number
  anomaly?: { maxZ: number; outliers: number; flagged: boolean }
  scope?: 'sensor' | 'zone'
  zoneId?: string
  sensors?: number
  emittedAtMs: number
  final: boolean
  /** Record timestamp: when it was written to sensors.aggregates. */
  ts: number
  schemaId?: number
}

/** An alert event as the live feed sends it: the record the alert engine published, plus its record timestamp. */
export type AlertEvent = AlertEventRecord & { ts: number }

export interface Observation {
  stationId: string
  source: string
  eventTimeMs: number
  name?: string
  latitude?: number
  longitude?: number
  temperatureC?: number
  relativeHumidityPct?: number
  pressurePa?: number
  windSpeedMps?: number
  windGustMps?: number
  windDirectionDeg?: number
  ts: number
  [field: string]: unknown
}

export interface LagRow {
  groupId: string
  status: string
  members: number
  lag: number
  lagSeconds: number
  sampledAtMs: number
  lastError: string | null
}

export type Role = 'read' | 'admin'
