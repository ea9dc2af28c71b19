/**
 * The weather observation as this service emits it. The message type and its JSON Schema live in
 * @isobar/schemas (the newest version of the `weather.observations-value` subject); this file only names the
 * service's own source kinds and how each maps onto the schema's `source` enum.
 */
import { latestSchema, TopicNames, type WeatherObservation } from '@isobar/schemas'

export type { WeatherObservation }

export const OBSERVATIONS_TOPIC = TopicNames.WEATHER_OBSERVATIONS
export const DEAD_LETTER_TOPIC = TopicNames.WEATHER_DLQ
export const OBSERVATION_SUBJECT = `${OBSERVATIONS_TOPIC}-value`

/** The newest weather observation schema (what the producer registers and validates against). */
export function observationSchema(): object {
  return latestSchema(OBSERVATIONS_TOPIC)
}

export const SOURCE_NAMES = ['sim', 'metar', 'replay', 'openmeteo'] as const
export type SourceName = (typeof SOURCE_NAMES)[number]

export type WireSource = WeatherObservation['source']

/**
 * The schema's `source` enum has no value for a historical replay: NOAA GHCN-Daily rows are NWS station
 * observations (Seattle-Tacoma is an NWS first-order station), so the replay reports 'nws'.
 */
export const WIRE_SOURCE: Record<SourceName, WireSource> = {
  sim: 'synthetic',
  metar: 'metar',
  replay: 'nws',
  openmeteo: 'open-meteo',
}

export const SOURCE_DESCRIPTIONS: Record<SourceName, string> = {
  sim: 'Simulated stations: diurnal cycle, moving pressure systems, rain events; deterministic per seed',
  metar: 'METAR text (aviationweather.gov raw format) from a file, stdin or an HTTP endpoint',
  replay: 'Historical NOAA daily observations from a CSV (weather.csv), replayed with a time-scale factor',
  openmeteo: 'Open-Meteo current-weather API poller (no key), with backoff on errors and 429',
}

/** Why a record was refused before it reached the observations topic (one DLQ header each). */
export interface RejectReason {
  code: string
  message: string
}

export function isSourceName(value: string): value is SourceName {
  return (SOURCE_NAMES as readonly string[]).includes(value)
}
