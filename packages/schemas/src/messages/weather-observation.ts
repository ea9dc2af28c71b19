/**
 * weather.observations values (subject `weather.observations-value`). Closed content model: under the subject's
 * BACKWARD_TRANSITIVE mode a new version may add optional properties (a closed reader tolerates them) but may
 * not add required ones, remove properties, or narrow types.
 */
import type { FromSchema } from 'json-schema-to-ts'
import {
  JSON_SCHEMA_DRAFT,
  entityId,
  eventTimeMs,
  ingestTimeMs,
  location,
  pressurePa,
  relativeHumidityPct,
  temperatureC,
} from '../common.ts'

const v1Properties = {
  stationId: { ...entityId, description: 'Station id, `<source>:<id>`, e.g. metar:KDAL; also the record key' },
  source: { type: 'string', enum: ['metar', 'nws', 'open-meteo', 'pws', 'synthetic'] },
  eventTimeMs,
  ingestTimeMs,
  location,
  temperatureC,
  relativeHumidityPct,
  pressurePa: { ...pressurePa, description: 'Station (surface) pressure, pascal' },
  windSpeedMps: { type: 'number', minimum: 0, maximum: 150, description: 'Mean wind speed, metre per second' },
  windDirectionDeg: {
    type: 'number',
    minimum: 0,
    maximum: 360,
    description: 'Direction the wind blows from, degree clockwise from true north',
  },
  precipitationMm: {
    type: 'number',
    minimum: 0,
    maximum: 2000,
    description: 'Precipitation since the previous observation, millimetre',
  },
} as const

export const weatherObservationV1 = {
  $schema: JSON_SCHEMA_DRAFT,
  $id: 'https://isobar.dev/schemas/weather-observation/1',
  title: 'WeatherObservation',
  type: 'object',
  properties: v1Properties,
  required: ['stationId', 'source', 'eventTimeMs', 'ingestTimeMs', 'location'],
  additionalProperties: false,
} as const

/** v2 adds optional gusts, dew point and visibility (compatible: optional properties on a closed model). */
export const weatherObservationV2 = {
  ...weatherObservationV1,
  $id: 'https://isobar.dev/schemas/weather-observation/2',
  properties: {
    ...v1Properties,
    windGustMps: { type: 'number', minimum: 0, maximum: 150, description: 'Peak wind gust, metre per second' },
    dewPointC: { ...temperatureC, description: 'Dew point, degree Celsius' },
    visibilityM: { type: 'number', minimum: 0, maximum: 1000000, description: 'Horizontal visibility, metre' },
  },
} as const

export type WeatherObservationV1 = FromSchema<typeof weatherObservationV1>
export type WeatherObservationV2 = FromSchema<typeof weatherObservationV2>
/** What consumers handle: any version (v1 is a subset of v2). */
export type WeatherObservation = WeatherObservationV2
