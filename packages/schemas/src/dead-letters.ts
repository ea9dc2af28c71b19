/** Reads the `isobar.dlq.*` headers of a dead-letter record back into a validated DeadLetterEnvelope. */
import { DLQ_HEADERS, ValidatorCache, type Headers, SchemaViolationError } from '@isobar/core'
import { deadLetterEnvelopeV1, type DeadLetterEnvelope } from './messages/dead-letter-envelope.ts'

const validate = new ValidatorCache().compile(-1, JSON.stringify(deadLetterEnvelopeV1))

export function readDeadLetterEnvelope(headers: Headers): DeadLetterEnvelope {
  const text = (name: string): string | undefined => headers[name]?.toString('utf8')
  const int = (name: string): number | undefined => {
    const raw = text(name)
    return raw === undefined ? undefined : Number(raw)
  }
  const envelope = Object.fromEntries(
    Object.entries({
      errorCode: text(DLQ_HEADERS.errorCode),
      errorMessage: text(DLQ_HEADERS.errorMessage),
      stage: text(DLQ_HEADERS.stage),
      schemaId: int(DLQ_HEADERS.schemaId),
      originalTopic: text(DLQ_HEADERS.originalTopic),
      originalPartition: int(DLQ_HEADERS.originalPartition),
      originalOffset: text(DLQ_HEADERS.originalOffset),
      originalTimestamp: int(DLQ_HEADERS.originalTimestamp),
    }).filter(([, v]) => v !== undefined),
  )
  const violations = validate(envelope)
  if (violations) throw new SchemaViolationError(-1, 'dead-letter envelope', violations)
  return envelope as DeadLetterEnvelope
}
