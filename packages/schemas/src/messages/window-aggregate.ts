/**
 * sensors.aggregates values (subject `sensors.aggregates-value`): statistics of one quantity of one sensor (v2:
 * or of one zone) over one event-time window [windowStartMs, windowEndMs). Units are those of the measured field.
 */
import type { FromSchema } from 'json-schema-to-ts'
import { JSON_SCHEMA_DRAFT, entityId, epochMs, zoneId } from '../common.ts'

export const windowAggregateV1 = {
  $schema: JSON_SCHEMA_DRAFT,
  $id: 'https://isobar.dev/schemas/window-aggregate/1',
  title: 'WindowAggregate',
  type: 'object',
  properties: {
    sensorId: { ...entityId, description: 'Sensor id; also the record key' },
    field: {
      type: 'string',
      enum: ['temperatureC', 'relativeHumidityPct', 'pressurePa', 'batteryV'],
      description: 'The sensor-reading field aggregated (its name carries the unit)',
    },
    windowKind: { type: 'string', enum: ['tumbling', 'hopping', 'session'] },
    windowStartMs: { ...epochMs, description: 'Inclusive window start, event time (ms since the epoch, UTC)' },
    windowEndMs: { ...epochMs, description: 'Exclusive window end, event time (ms since the epoch, UTC)' },
    count: { type: 'integer', minimum: 1 },
    min: { type: 'number' },
    max: { type: 'number' },
    mean: { type: 'number' },
    stddev: { type: 'number', minimum: 0, description: 'Population standard deviation' },
    emittedAtMs: {
      ...epochMs,
      description: 'Processing time the aggregate was emitted (ms since the epoch, UTC); later emits supersede',
    },
    final: { type: 'boolean', description: 'True once the window closed (watermark passed its end + grace)' },
  },
  required: [
    'sensorId',
    'field',
    'windowKind',
    'windowStartMs',
    'windowEndMs',
    'count',
    'min',
    'max',
    'mean',
    'emittedAtMs',
    'final',
  ],
  additionalProperties: false,
} as const

/**
 * v2 adds zone statistics (`sensorId` = `zone:<zoneId>`, scope zone), the newer reading fields, the window size,
 * a sketch-based p95 and an anomaly summary. Optional properties and a wider enum only: BACKWARD compatible.
 */
export const windowAggregateV2 = {
  ...windowAggregateV1,
  $id: 'https://isobar.dev/schemas/window-aggregate/2',
  properties: {
    ...windowAggregateV1.properties,
    sensorId: {
      ...entityId,
      description: 'Entity id: a sensor id, or `zone:<zoneId>` for zone statistics; also the record key',
    },
    field: {
      ...windowAggregateV1.properties.field,
      enum: [...windowAggregateV1.properties.field.enum, 'co2Ppm', 'vibrationRmsMmPerS', 'powerW'],
    },
    scope: {
      type: 'string',
      enum: ['sensor', 'zone'],
      description: 'What was aggregated: one sensor, or every sensor of a zone',
    },
    zoneId: { ...zoneId, description: 'The zone of the sensor, or the zone aggregated (scope zone)' },
    windowSizeMs: {
      type: 'integer',
      minimum: 1,
      description: 'Window length (hopping: the size, not the advance), ms',
    },
    p95: {
      type: 'number',
      description: '95th percentile from a mergeable relative-error sketch (1% relative accuracy)',
    },
    sensors: { type: 'integer', minimum: 1, description: 'Zone scope: distinct sensors merged into the window' },
    anomaly: {
      type: 'object',
      description: 'How unusual the window was',
      properties: {
        maxZ: { type: 'number', minimum: 0, description: 'Largest |x−mean|/stddev in the window' },
        outliers: {
          type: 'integer',
          minimum: 0,
          description: 'Readings beyond mean ± 3 stddev, estimated at sketch-bucket resolution',
        },
        flagged: {
          type: 'boolean',
          description:
            "maxZ ≥ the service's z threshold (default 4) with at least 10 readings; maxZ cannot exceed √(n−1), " +
            'so a window of n readings can only be flagged when √(n−1) ≥ the threshold (n ≥ 17 for 4)',
        },
      },
      required: ['maxZ', 'outliers', 'flagged'],
      additionalProperties: false,
    },
  },
} as const

export type WindowAggregateV1 = FromSchema<typeof windowAggregateV1>
export type WindowAggregateV2 = FromSchema<typeof windowAggregateV2>
export type WindowAggregateV3 = FromSchema<typeof windowAggregateV3>
export type WindowAggregate = WindowAggregateV3

/**
 * v3 adds the streaming detector's verdicts to the anomaly summary: readings that were part of an anomaly episode
 * against the sensor's trailing baseline, and the strongest score (deviation over the threshold; ≥ 1 deviant).
 * Optional properties only: BACKWARD compatible.
 */
export const windowAggregateV3 = {
  ...windowAggregateV2,
  $id: 'https://isobar.dev/schemas/window-aggregate/3',
  properties: {
    ...windowAggregateV2.properties,
    anomaly: {
      ...windowAggregateV2.properties.anomaly,
      properties: {
        ...windowAggregateV2.properties.anomaly.properties,
        anomalousReadings: {
          type: 'integer',
          minimum: 0,
          description: "Readings inside an anomaly episode of the streaming detector (the sensor's trailing baseline)",
        },
        maxScore: {
          type: 'number',
          minimum: 0,
          description: 'Strongest detector score in the window: |x − baseline| / max(k·σ, noise floor); ≥ 1 deviant',
        },
      },
    },
  },
} as const
