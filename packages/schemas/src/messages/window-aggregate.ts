/**
 * sensors.aggregates values (subject `sensors.aggregates-value`): statistics of one quantity of one sensor
 * over one event-time window [windowStartMs, windowEndMs). Units are those of the measured field.
 */
import type { FromSchema } from 'json-schema-to-ts'
import { JSON_SCHEMA_DRAFT, entityId, epochMs } from '../common.ts'

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

export type WindowAggregateV1 = FromSchema<typeof windowAggregateV1>
export type WindowAggregate = WindowAggregateV1
