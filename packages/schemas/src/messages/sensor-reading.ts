/**
 * sensors.readings values (subject `sensors.readings-value`): one sample of one device, carrying whichever
 * quantities the device measures. Closed content model; v2 adds optional properties only.
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
  sensorId: { ...entityId, description: 'Sensor id, `<kind>:<id>`, e.g. mote:1; also the record key' },
  sequence: {
    type: 'integer',
    minimum: 0,
    description: 'Per-sensor counter set by the device; gaps mean lost samples, repeats mean duplicates',
  },
  eventTimeMs,
  ingestTimeMs,
  temperatureC,
  relativeHumidityPct,
  pressurePa,
  batteryV: { type: 'number', minimum: 0, maximum: 60, description: 'Supply voltage, volt' },
} as const

export const sensorReadingV1 = {
  $schema: JSON_SCHEMA_DRAFT,
  $id: 'https://isobar.dev/schemas/sensor-reading/1',
  title: 'SensorReading',
  type: 'object',
  properties: v1Properties,
  required: ['sensorId', 'sequence', 'eventTimeMs', 'ingestTimeMs'],
  additionalProperties: false,
} as const

/** v2 adds an optional position and illuminance (compatible: optional properties on a closed model). */
export const sensorReadingV2 = {
  ...sensorReadingV1,
  $id: 'https://isobar.dev/schemas/sensor-reading/2',
  properties: {
    ...v1Properties,
    location,
    illuminanceLx: { type: 'number', minimum: 0, maximum: 200000, description: 'Illuminance, lux' },
  },
} as const

export type SensorReadingV1 = FromSchema<typeof sensorReadingV1>
export type SensorReadingV2 = FromSchema<typeof sensorReadingV2>
export type SensorReading = SensorReadingV2
