/**
 * sensors.readings values (subject `sensors.readings-value`): one sample of one device, carrying whichever
 * quantities the device measures. Closed content model; every later version adds optional properties only.
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
  siteId,
  temperatureC,
  zoneId,
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

const v2Properties = {
  ...v1Properties,
  location,
  illuminanceLx: { type: 'number', minimum: 0, maximum: 200000, description: 'Illuminance, lux' },
} as const

/** v2 adds an optional position and illuminance (compatible: optional properties on a closed model). */
export const sensorReadingV2 = {
  ...sensorReadingV1,
  $id: 'https://isobar.dev/schemas/sensor-reading/2',
  properties: v2Properties,
} as const

const sensorTypes = ['temperature', 'humidity', 'pressure', 'co2', 'vibration', 'power'] as const

/**
 * v3 adds where the device sits (site, zone), what kind of device it is, and the quantities of CO2, vibration
 * and power sensors. All optional, so v3 readers read v1 and v2 data (BACKWARD).
 */
export const sensorReadingV3 = {
  ...sensorReadingV2,
  $id: 'https://isobar.dev/schemas/sensor-reading/3',
  properties: {
    ...v2Properties,
    siteId,
    zoneId,
    sensorType: {
      type: 'string',
      enum: sensorTypes,
      description: 'What the device measures; each type writes one quantity field',
    },
    co2Ppm: { type: 'number', minimum: 0, maximum: 50000, description: 'CO2 concentration, parts per million' },
    vibrationRmsMmPerS: {
      type: 'number',
      minimum: 0,
      maximum: 1000,
      description: 'Vibration velocity, root mean square, millimetre per second',
    },
    powerW: { type: 'number', minimum: 0, maximum: 10000000, description: 'Electrical power, watt' },
  },
} as const

export type SensorReadingV1 = FromSchema<typeof sensorReadingV1>
export type SensorReadingV2 = FromSchema<typeof sensorReadingV2>
export type SensorReadingV3 = FromSchema<typeof sensorReadingV3>
export type SensorReading = SensorReadingV3
