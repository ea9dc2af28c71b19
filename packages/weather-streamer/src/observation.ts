/**
 * The weather observation as this service emits it. The message type and its JSON Schema live in
 * @isobar/schemas (the newest version of the `weather.observations-value` subject); this file only names the
 * service's own source kinds and how each maps onto the schema's `source` enum.
 */
import {
  WEATHER_SOURCE_DESCRIPTIONS,
  WEATHER_SOURCE_NAMES,
  isWeatherSourceName,
  latestSchema,
  TopicNames,
  type WeatherObservation,
  type WeatherSourceName,
} from '@isobar/schemas'

export type { WeatherObservation }

export const OBSERVATIONS_TOPIC = TopicNames.WEATHER_OBSERVATIONS
export const DEAD_LETTER_TOPIC = TopicNames.WEATHER_DLQ
export const OBSERVATION_SUBJECT = `${OBSERVATIONS_TOPIC}-value`

/** The newest weather observation schema (what the producer registers and validates against). */
export function observationSchema(): object {
  return latestSchema(OBSERVATIONS_TOPIC)
}

/** The source kinds (their catalogue lives in @isobar/schemas, so the CLI can list them without this service). */
export const SOURCE_NAMES = WEATHER_SOURCE_NAMES
export type SourceName = WeatherSourceName

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

export const SOURCE_DESCRIPTIONS = WEATHER_SOURCE_DESCRIPTIONS

/** Why a record was refused before it reached the observations topic (one DLQ header each). */
export interface RejectReason {
  code: string
  message: string
}

export const isSourceName = isWeatherSourceName
