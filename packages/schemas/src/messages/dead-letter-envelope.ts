/**
 * The dead-letter envelope: what the `isobar.dlq.*` headers of a *.dlq record say, as one object. The record
 * value itself is the original bytes, untouched (so it can be inspected or replayed), hence no value subject.
 */
import type { FromSchema } from 'json-schema-to-ts'
import { JSON_SCHEMA_DRAFT, epochMs } from '../common.ts'

export const deadLetterEnvelopeV1 = {
  $schema: JSON_SCHEMA_DRAFT,
  $id: 'https://isobar.dev/schemas/dead-letter-envelope/1',
  title: 'DeadLetterEnvelope',
  type: 'object',
  properties: {
    errorCode: { type: 'string', minLength: 1, description: 'IsobarError code, e.g. ISOBAR_SERDE_SCHEMA_VIOLATION' },
    errorMessage: { type: 'string' },
    stage: { type: 'string', enum: ['consume', 'produce'] },
    schemaId: { type: 'integer', minimum: 0, description: 'Writer schema id, when the frame had one' },
    originalTopic: { type: 'string', minLength: 1 },
    originalPartition: { type: 'integer', minimum: 0, description: 'Consume stage only' },
    originalOffset: { type: 'string', pattern: '^[0-9]+$', description: 'Consume stage only; a decimal int64' },
    originalTimestamp: { ...epochMs, description: 'Timestamp of the original record (ms since the epoch, UTC)' },
  },
  required: ['errorCode', 'errorMessage', 'stage', 'originalTopic', 'originalTimestamp'],
  additionalProperties: false,
} as const

export type DeadLetterEnvelopeV1 = FromSchema<typeof deadLetterEnvelopeV1>
export type DeadLetterEnvelope = DeadLetterEnvelopeV1
