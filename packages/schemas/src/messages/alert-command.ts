/**
 * sensors.alert-commands values (subject `sensors.alert-commands-value`): operator actions on alerts,
 * keyed by ruleId so one rule's commands stay ordered.
 */
import type { FromSchema } from 'json-schema-to-ts'
import { JSON_SCHEMA_DRAFT, epochMs } from '../common.ts'

export const alertCommandV1 = {
  $schema: JSON_SCHEMA_DRAFT,
  $id: 'https://isobar.dev/schemas/alert-command/1',
  title: 'AlertCommand',
  type: 'object',
  properties: {
    commandId: { type: 'string', format: 'uuid', description: 'Idempotency key' },
    action: { type: 'string', enum: ['acknowledge', 'silence', 'unsilence'] },
    ruleId: { type: 'string', minLength: 1, maxLength: 128 },
    alertId: { type: 'string', format: 'uuid' },
    silenceUntilMs: { ...epochMs, description: 'For silence: until when (ms since the epoch, UTC)' },
    issuedBy: { type: 'string', minLength: 1, maxLength: 128 },
    issuedAtMs: { ...epochMs, description: 'When the operator issued it (ms since the epoch, UTC)' },
  },
  required: ['commandId', 'action', 'ruleId', 'issuedBy', 'issuedAtMs'],
  additionalProperties: false,
} as const

export type AlertCommandV1 = FromSchema<typeof alertCommandV1>
export type AlertCommand = AlertCommandV1
