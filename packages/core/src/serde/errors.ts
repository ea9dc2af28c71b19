/**
 * The serde error catalogue (registry client, wire format, validation). A message that fails for one of the
 * `POISON_ERROR_CODES` reasons will never decode however often it is retried: it belongs in a dead-letter topic.
 * Anything else (registry down, timeouts) is transient and must not dead-letter a good message.
 */
import { IsobarError, type ErrorCatalogue } from '../errors.ts'

export const SerdeErrorCodes = {
  REGISTRY_REQUEST_FAILED: 'ISOBAR_SERDE_REGISTRY_REQUEST_FAILED',
  MALFORMED_FRAME: 'ISOBAR_SERDE_MALFORMED_FRAME',
  UNKNOWN_SCHEMA_ID: 'ISOBAR_SERDE_UNKNOWN_SCHEMA_ID',
  UNSUPPORTED_SCHEMA: 'ISOBAR_SERDE_UNSUPPORTED_SCHEMA',
  INVALID_JSON: 'ISOBAR_SERDE_INVALID_JSON',
  SCHEMA_VIOLATION: 'ISOBAR_SERDE_SCHEMA_VIOLATION',
  /** The schema id exists but is not a version of the topic's subject (e.g. another topic's schema). */
  WRONG_SUBJECT: 'ISOBAR_SERDE_WRONG_SUBJECT',
  NOT_PREPARED: 'ISOBAR_SERDE_NOT_PREPARED',
  DEAD_LETTER_FAILED: 'ISOBAR_SERDE_DEAD_LETTER_FAILED',
} as const

export type SerdeErrorCode = (typeof SerdeErrorCodes)[keyof typeof SerdeErrorCodes]

declare module '../errors.ts' {
  interface IsobarErrorCodeMap {
    serde: SerdeErrorCode
  }
}

const DEAD_LETTER = 'Poison: the message goes to the dead-letter topic; fix the producer, then `isobar dlq replay`.'

export const SerdeErrorCatalogue: ErrorCatalogue<SerdeErrorCode> = {
  package: '@isobar/core (serde)',
  docs: {
    ISOBAR_SERDE_REGISTRY_REQUEST_FAILED: {
      meaning: 'The Schema Registry answered with an error, or could not be reached.',
      retriable: 'depends',
      action: 'Retriable when unreachable, 408, 429 or 5xx; otherwise the registry error (in the message) says what.',
    },
    ISOBAR_SERDE_MALFORMED_FRAME: {
      meaning: 'The bytes are not in the wire format (magic byte 0 + 4-byte schema id + payload).',
      retriable: false,
      action: DEAD_LETTER,
    },
    ISOBAR_SERDE_UNKNOWN_SCHEMA_ID: {
      meaning: 'The frame names a schema id the registry does not have.',
      retriable: false,
      action: DEAD_LETTER,
    },
    ISOBAR_SERDE_UNSUPPORTED_SCHEMA: {
      meaning: 'The schema is not a JSON Schema this serde can compile.',
      retriable: false,
      action: DEAD_LETTER,
    },
    ISOBAR_SERDE_INVALID_JSON: {
      meaning: 'The payload is not valid JSON (or breaks the strict parser limits).',
      retriable: false,
      action: DEAD_LETTER,
    },
    ISOBAR_SERDE_SCHEMA_VIOLATION: {
      meaning: 'The value does not match its schema; the message lists the failing paths.',
      retriable: false,
      action: DEAD_LETTER,
    },
    ISOBAR_SERDE_WRONG_SUBJECT: {
      meaning: "The schema id exists but is not a version of the topic's subject.",
      retriable: false,
      action: DEAD_LETTER,
    },
    ISOBAR_SERDE_NOT_PREPARED: {
      meaning: 'A serializer was used before its schema was registered or looked up.',
      retriable: false,
      action: 'A programming error: call prepare(subject, schema) first.',
    },
    ISOBAR_SERDE_DEAD_LETTER_FAILED: {
      meaning: 'A poison message could not be written to its dead-letter topic.',
      retriable: true,
      action: 'Nothing is skipped: the input is retried; check the DLQ topic exists and is writable.',
    },
  },
}

/** Failures caused by the message itself: retrying cannot help, the message goes to the dead-letter topic. */
export const POISON_ERROR_CODES: ReadonlySet<string> = new Set([
  SerdeErrorCodes.MALFORMED_FRAME,
  SerdeErrorCodes.UNKNOWN_SCHEMA_ID,
  SerdeErrorCodes.UNSUPPORTED_SCHEMA,
  SerdeErrorCodes.INVALID_JSON,
  SerdeErrorCodes.SCHEMA_VIOLATION,
  SerdeErrorCodes.WRONG_SUBJECT,
])

export function isPoisonError(error: unknown): error is IsobarError {
  return error instanceof Error && POISON_ERROR_CODES.has((error as Partial<IsobarError>).code ?? '')
}

/** A Schema Registry answered with an error body (`error_code` kept as `errorCode`), or could not be reached. */
export class RegistryRequestError extends IsobarError {
  /** Confluent `error_code` (e.g. 40401 subject not found, 409/40901 incompatible); 0 when there was no answer. */
  readonly errorCode: number
  /** HTTP status; 0 when there was no answer. */
  readonly status: number

  constructor(
    method: string,
    path: string,
    status: number,
    errorCode: number,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    const retriable = status === 0 || status === 408 || status === 429 || status >= 500
    super(SerdeErrorCodes.REGISTRY_REQUEST_FAILED, `schema registry ${method} ${path}: ${message}`, {
      retriable,
      details: { status, errorCode, method, path },
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    })
    this.name = 'RegistryRequestError'
    this.errorCode = errorCode
    this.status = status
  }
}

export class MalformedFrameError extends IsobarError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(SerdeErrorCodes.MALFORMED_FRAME, message, { details })
    this.name = 'MalformedFrameError'
  }
}

export class UnknownSchemaIdError extends IsobarError {
  constructor(schemaId: number, cause?: unknown) {
    super(SerdeErrorCodes.UNKNOWN_SCHEMA_ID, `schema id ${schemaId} is not in the schema registry`, {
      cause,
      details: { schemaId },
    })
    this.name = 'UnknownSchemaIdError'
  }
}

export class SchemaSubjectMismatchError extends IsobarError {
  constructor(schemaId: number, subject: string, subjects: readonly string[]) {
    const found = subjects.length > 0 ? `it is registered under ${subjects.slice(0, 3).join(', ')}` : 'no subject'
    super(SerdeErrorCodes.WRONG_SUBJECT, `schema id ${schemaId} is not a version of ${subject} (${found})`, {
      details: { schemaId, subject, subjects: subjects.slice(0, 10) },
    })
    this.name = 'SchemaSubjectMismatchError'
  }
}

export class UnsupportedSchemaError extends IsobarError {
  constructor(schemaId: number | undefined, message: string, cause?: unknown) {
    super(SerdeErrorCodes.UNSUPPORTED_SCHEMA, message, { cause, details: { schemaId } })
    this.name = 'UnsupportedSchemaError'
  }
}

export class InvalidJsonError extends IsobarError {
  constructor(schemaId: number, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    super(SerdeErrorCodes.INVALID_JSON, `payload of schema id ${schemaId} is not valid JSON: ${reason}`, {
      cause,
      details: { schemaId },
    })
    this.name = 'InvalidJsonError'
  }
}

export interface Violation {
  /** JSON pointer into the value, '' for the root. */
  path: string
  message: string
}

export class SchemaViolationError extends IsobarError {
  readonly violations: readonly Violation[]

  constructor(schemaId: number, subject: string | undefined, violations: Violation[]) {
    const where = subject ? `${subject} (schema id ${schemaId})` : `schema id ${schemaId}`
    const reasons = violations.map((v) => `${v.path || '/'} ${v.message}`).join('; ')
    super(SerdeErrorCodes.SCHEMA_VIOLATION, `value does not match ${where}: ${reasons}`, {
      details: { schemaId, subject, violations },
    })
    this.name = 'SchemaViolationError'
    this.violations = violations
  }
}

export class SerdeNotPreparedError extends IsobarError {
  constructor(subject: string) {
    super(
      SerdeErrorCodes.NOT_PREPARED,
      `no schema prepared for subject ${subject}: call prepare(subject, schema) first`,
      { details: { subject } },
    )
    this.name = 'SerdeNotPreparedError'
  }
}

export class DeadLetterFailedError extends IsobarError {
  constructor(topic: string, cause: unknown) {
    super(SerdeErrorCodes.DEAD_LETTER_FAILED, `could not write to dead-letter topic ${topic}`, {
      cause,
      retriable: true,
      details: { topic },
    })
    this.name = 'DeadLetterFailedError'
  }
}
