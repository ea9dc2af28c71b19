/**
 * weather.alerts and sensors.alerts values (subjects `weather.alerts-value`, `sensors.alerts-value`):
 * a rule fired or resolved for one station or sensor.
 */
import type { FromSchema } from 'json-schema-to-ts'
import { JSON_SCHEMA_DRAFT, entityId, epochMs, eventTimeMs } from '../common.ts'

export const alertV1 = {
  $schema: JSON_SCHEMA_DRAFT,
  $id: 'https://isobar.dev/schemas/alert/1',
  title: 'Alert',
  type: 'object',
  properties: {
    alertId: { type: 'string', format: 'uuid', description: 'Stable for one firing → resolved episode' },
    ruleId: { type: 'string', minLength: 1, maxLength: 128 },
    entityId: { ...entityId, description: 'The station or sensor id the alert is about; also the record key' },
    state: { type: 'string', enum: ['firing', 'resolved'] },
    severity: { type: 'string', enum: ['info', 'warning', 'critical'] },
    field: { type: 'string', minLength: 1, description: 'Message field evaluated, e.g. temperatureC' },
    value: { type: 'number', description: 'Observed value, in the unit of `field`' },
    threshold: { type: 'number', description: 'Rule threshold, in the unit of `field`' },
    message: { type: 'string', maxLength: 1000 },
    eventTimeMs: { ...eventTimeMs, description: 'Event time of the data that changed the state' },
    raisedAtMs: { ...epochMs, description: 'Processing time the alert was emitted (ms since the epoch, UTC)' },
  },
  required: ['alertId', 'ruleId', 'entityId', 'state', 'severity', 'field', 'eventTimeMs', 'raisedAtMs'],
  additionalProperties: false,
} as const

/**
 * v2 adds what the alert engine publishes beyond v1, all optional (BACKWARD compatible): which change this event
 * is, since when it fires, acknowledgement, silence, flapping, and whether a notifier should speak.
 */
export const alertV2 = {
  ...alertV1,
  $id: 'https://isobar.dev/schemas/alert/2',
  properties: {
    ...alertV1.properties,
    change: {
      type: 'string',
      enum: ['fired', 'resolved', 'acknowledged', 'silenced', 'unsilenced', 'flapping-started', 'flapping-stopped'],
      description: 'What this event changed; the latest event per key is the alert’s current state',
    },
    firingSinceMs: { ...epochMs, description: 'When the current firing episode started (ms since the epoch, UTC)' },
    acknowledgedBy: { type: 'string', minLength: 1, maxLength: 200, description: 'Who acknowledged it' },
    acknowledgedAtMs: { ...epochMs, description: 'When it was acknowledged (ms since the epoch, UTC)' },
    silencedUntilMs: { ...epochMs, description: 'Notifications muted until then (ms since the epoch, UTC)' },
    flapping: { type: 'boolean', description: 'Changing state too often: transitions are not notified' },
    notify: { type: 'boolean', description: 'False when a notifier should stay quiet (silenced, or not news)' },
  },
} as const

export type AlertV1 = FromSchema<typeof alertV1>
export type AlertV2 = FromSchema<typeof alertV2>
export type Alert = AlertV2
