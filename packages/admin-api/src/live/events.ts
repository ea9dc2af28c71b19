/**
 * Turns decoded records of the live topics into hub events: conflation key, filter scope and a compact JSON
 * body. Pure functions, so the mapping is unit-tested without Kafka.
 */
import type { NewLiveEvent } from './hub.ts'
import type { LiveEventType, LiveScope } from './types.ts'
import { TopicNames } from '@isobar/schemas'

export const LIVE_TOPICS = {
  aggregates: TopicNames.SENSORS_AGGREGATES,
  alerts: TopicNames.SENSORS_ALERTS,
  observations: TopicNames.WEATHER_OBSERVATIONS,
  weatherAlerts: TopicNames.WEATHER_ALERTS,
} as const

export type LiveTopicRole = keyof typeof LIVE_TOPICS

export interface MappedEvent {
  event: NewLiveEvent
  /** Series position (window start, observation time). */
  position?: number
}

type Json = Record<string, unknown>

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

function siteOf(zone: string | undefined): string | undefined {
  return zone?.split('.', 1)[0]
}

/** Remembers each sensor's zone (learned from its aggregates), so alerts can be filtered by zone and site. */
export class ZoneDirectory {
  readonly #zones = new Map<string, string>()
  readonly #max: number

  constructor(max = 100_000) {
    this.#max = max
  }

  learn(sensor: string, zone: string): void {
    if (this.#zones.get(sensor) === zone) return
    if (this.#zones.size >= this.#max) return
    this.#zones.set(sensor, zone)
  }

  zoneOf(sensor: string): string | undefined {
    return this.#zones.get(sensor)
  }
}

function sensorScope(sensor: string | undefined, zone: string | undefined): LiveScope {
  const site = siteOf(zone)
  return {
    ...(sensor !== undefined && !sensor.startsWith('zone:') ? { sensor } : {}),
    ...(zone !== undefined ? { zone } : {}),
    ...(site !== undefined ? { site } : {}),
  }
}

function event(type: LiveEventType, key: string, scope: LiveScope, body: Json): NewLiveEvent {
  return { type, key, scope, data: JSON.stringify(body) }
}

/**
 * One decoded value → an event, or undefined when it lacks what the view needs (it is still counted as skipped).
 * `meta` carries the record timestamp (`ts`, when the producer wrote it) and the schema id.
 */
export function mapRecord(
  role: LiveTopicRole,
  value: unknown,
  meta: { ts: number; schemaId?: number },
  zones: ZoneDirectory,
): MappedEvent | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
  const v = value as Json
  const extra = { ts: meta.ts, ...(meta.schemaId === undefined ? {} : { schemaId: meta.schemaId }) }
  switch (role) {
    case 'aggregates': {
      const sensorId = str(v.sensorId)
      const field = str(v.field)
      const start = v.windowStartMs
      const end = v.windowEndMs
      if (!sensorId || !field || typeof start !== 'number' || typeof end !== 'number') return undefined
      const size = typeof v.windowSizeMs === 'number' ? v.windowSizeMs : end - start
      const zone = str(v.zoneId)
      if (zone && !sensorId.startsWith('zone:')) zones.learn(sensorId, zone)
      return {
        event: event('aggregate', `agg|${sensorId}|${field}|${size}`, sensorScope(sensorId, zone), { ...v, ...extra }),
        position: start,
      }
    }
    case 'alerts':
    case 'weatherAlerts': {
      const ruleId = str(v.ruleId)
      const entityId = str(v.entityId)
      if (!ruleId || !entityId) return undefined
      const body = { ...v, ...extra }
      if (role === 'weatherAlerts') {
        return { event: event('weather-alert', `walert|${ruleId}+${entityId}`, { station: entityId }, body) }
      }
      return {
        event: event('alert', `alert|${ruleId}+${entityId}`, sensorScope(entityId, zones.zoneOf(entityId)), body),
      }
    }
    case 'observations': {
      const stationId = str(v.stationId)
      if (!stationId) return undefined
      const position = typeof v.eventTimeMs === 'number' ? v.eventTimeMs : meta.ts
      return { event: event('observation', `obs|${stationId}`, { station: stationId }, { ...v, ...extra }), position }
    }
  }
}
