/**
 * The registry's error catalogue. Each error has a stable `code`, says whether retrying can succeed, and maps to
 * the HTTP status and Confluent `error_code` that Schema Registry clients expect (status = first three digits).
 */
import { IsobarError, type ErrorCatalogue } from '@isobar/core'

export const RegistryErrorCodes = {
  SUBJECT_NOT_FOUND: 'ISOBAR_REGISTRY_SUBJECT_NOT_FOUND',
  VERSION_NOT_FOUND: 'ISOBAR_REGISTRY_VERSION_NOT_FOUND',
  SCHEMA_NOT_FOUND: 'ISOBAR_REGISTRY_SCHEMA_NOT_FOUND',
  SUBJECT_SOFT_DELETED: 'ISOBAR_REGISTRY_SUBJECT_SOFT_DELETED',
  SUBJECT_NOT_SOFT_DELETED: 'ISOBAR_REGISTRY_SUBJECT_NOT_SOFT_DELETED',
  VERSION_SOFT_DELETED: 'ISOBAR_REGISTRY_VERSION_SOFT_DELETED',
  VERSION_NOT_SOFT_DELETED: 'ISOBAR_REGISTRY_VERSION_NOT_SOFT_DELETED',
  SUBJECT_CONFIG_NOT_FOUND: 'ISOBAR_REGISTRY_SUBJECT_CONFIG_NOT_FOUND',
  SUBJECT_MODE_NOT_FOUND: 'ISOBAR_REGISTRY_SUBJECT_MODE_NOT_FOUND',
  INCOMPATIBLE_SCHEMA: 'ISOBAR_REGISTRY_INCOMPATIBLE_SCHEMA',
  INVALID_SCHEMA: 'ISOBAR_REGISTRY_INVALID_SCHEMA',
  SCHEMA_TOO_LARGE: 'ISOBAR_REGISTRY_SCHEMA_TOO_LARGE',
  INVALID_VERSION: 'ISOBAR_REGISTRY_INVALID_VERSION',
  INVALID_COMPATIBILITY_LEVEL: 'ISOBAR_REGISTRY_INVALID_COMPATIBILITY_LEVEL',
  INVALID_MODE: 'ISOBAR_REGISTRY_INVALID_MODE',
  OPERATION_NOT_PERMITTED: 'ISOBAR_REGISTRY_OPERATION_NOT_PERMITTED',
  REFERENCE_EXISTS: 'ISOBAR_REGISTRY_REFERENCE_EXISTS',
  ID_CONFLICT: 'ISOBAR_REGISTRY_ID_CONFLICT',
  INVALID_SUBJECT: 'ISOBAR_REGISTRY_INVALID_SUBJECT',
  MALFORMED_REQUEST: 'ISOBAR_REGISTRY_MALFORMED_REQUEST',
  ROUTE_NOT_FOUND: 'ISOBAR_REGISTRY_ROUTE_NOT_FOUND',
  NOT_ACCEPTABLE: 'ISOBAR_REGISTRY_NOT_ACCEPTABLE',
  BODY_TOO_LARGE: 'ISOBAR_REGISTRY_BODY_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'ISOBAR_REGISTRY_UNSUPPORTED_MEDIA_TYPE',
  TOO_MANY_CHECKS: 'ISOBAR_REGISTRY_TOO_MANY_CHECKS',
  UNAUTHORIZED: 'ISOBAR_REGISTRY_UNAUTHORIZED',
  FORBIDDEN: 'ISOBAR_REGISTRY_FORBIDDEN',
  METHOD_NOT_ALLOWED: 'ISOBAR_REGISTRY_METHOD_NOT_ALLOWED',
  STORE_ERROR: 'ISOBAR_REGISTRY_STORE_ERROR',
  STORE_TIMEOUT: 'ISOBAR_REGISTRY_STORE_TIMEOUT',
  FORWARD_FAILED: 'ISOBAR_REGISTRY_FORWARD_FAILED',
  UNKNOWN_LEADER: 'ISOBAR_REGISTRY_UNKNOWN_LEADER',
  TOPIC_MISCONFIGURED: 'ISOBAR_REGISTRY_TOPIC_MISCONFIGURED',
  INTERNAL: 'ISOBAR_REGISTRY_INTERNAL',
} as const

export type RegistryErrorCode = (typeof RegistryErrorCodes)[keyof typeof RegistryErrorCodes]

declare module '@isobar/core' {
  interface IsobarErrorCodeMap {
    registry: RegistryErrorCode
  }
}

export const RegistryErrorCatalogue: ErrorCatalogue<RegistryErrorCode> = {
  package: '@isobar/registry',
  docs: {
    ISOBAR_REGISTRY_SUBJECT_NOT_FOUND: {
      meaning: 'The subject does not exist (40401).',
      retriable: false,
      action: 'Check the subject name (`isobar schemas list`).',
    },
    ISOBAR_REGISTRY_VERSION_NOT_FOUND: {
      meaning: 'The subject has no such version (40402).',
      retriable: false,
      action: 'List the versions of the subject.',
    },
    ISOBAR_REGISTRY_SCHEMA_NOT_FOUND: {
      meaning: 'No schema has that id, or it is not under that subject (40403).',
      retriable: false,
      action: 'Check the id.',
    },
    ISOBAR_REGISTRY_SUBJECT_SOFT_DELETED: {
      meaning: 'The subject was soft-deleted (40404).',
      retriable: false,
      action: 'Register it again, or hard-delete it with ?permanent=true.',
    },
    ISOBAR_REGISTRY_SUBJECT_NOT_SOFT_DELETED: {
      meaning: 'A permanent delete of a subject that was not soft-deleted first (40405).',
      retriable: false,
      action: 'Soft-delete it first.',
    },
    ISOBAR_REGISTRY_VERSION_SOFT_DELETED: {
      meaning: 'The version was soft-deleted (40406).',
      retriable: false,
      action: 'Use another version, or ?deleted=true to read it.',
    },
    ISOBAR_REGISTRY_VERSION_NOT_SOFT_DELETED: {
      meaning: 'A permanent delete of a version that was not soft-deleted first (40407).',
      retriable: false,
      action: 'Soft-delete it first.',
    },
    ISOBAR_REGISTRY_SUBJECT_CONFIG_NOT_FOUND: {
      meaning: 'The subject has no compatibility level of its own (40408).',
      retriable: false,
      action: 'Read the global one, or ?defaultToGlobal=true.',
    },
    ISOBAR_REGISTRY_SUBJECT_MODE_NOT_FOUND: {
      meaning: 'The subject has no mode of its own (40409).',
      retriable: false,
      action: 'Read the global mode.',
    },
    ISOBAR_REGISTRY_INCOMPATIBLE_SCHEMA: {
      meaning: 'The schema breaks the compatibility level of the subject (409); the message lists why.',
      retriable: false,
      action: 'Change the schema, or the level (`isobar schemas config`).',
    },
    ISOBAR_REGISTRY_INVALID_SCHEMA: {
      meaning: 'The schema is not a valid JSON Schema (42201).',
      retriable: false,
      action: 'Fix the schema; the message names the problem.',
    },
    ISOBAR_REGISTRY_SCHEMA_TOO_LARGE: {
      meaning: 'The schema is larger or deeper than the limit (42209).',
      retriable: false,
      action: 'Split or simplify the schema.',
    },
    ISOBAR_REGISTRY_INVALID_VERSION: {
      meaning: 'The version is not a positive integer or `latest` (42202).',
      retriable: false,
      action: 'Fix the version.',
    },
    ISOBAR_REGISTRY_INVALID_COMPATIBILITY_LEVEL: {
      meaning: 'Unknown compatibility level (42203).',
      retriable: false,
      action: 'Use BACKWARD, FORWARD, FULL, NONE or a _TRANSITIVE one.',
    },
    ISOBAR_REGISTRY_INVALID_MODE: {
      meaning: 'Unknown mode (42204).',
      retriable: false,
      action: 'Use READWRITE, READONLY or IMPORT.',
    },
    ISOBAR_REGISTRY_OPERATION_NOT_PERMITTED: {
      meaning: 'The mode does not allow this (e.g. a write in READONLY) (42205).',
      retriable: false,
      action: 'Change the mode first.',
    },
    ISOBAR_REGISTRY_REFERENCE_EXISTS: {
      meaning: 'Another schema references this version (42206).',
      retriable: false,
      action: 'Delete the referencing schemas first.',
    },
    ISOBAR_REGISTRY_ID_CONFLICT: {
      meaning: 'In IMPORT mode, the id is taken by another schema (42207).',
      retriable: false,
      action: 'Import with a free id.',
    },
    ISOBAR_REGISTRY_INVALID_SUBJECT: {
      meaning: 'The subject name is empty, too long or has control characters (42208).',
      retriable: false,
      action: 'Fix the name.',
    },
    ISOBAR_REGISTRY_MALFORMED_REQUEST: {
      meaning: 'The body is not of the expected shape (422).',
      retriable: false,
      action: 'Fix the body the message describes.',
    },
    ISOBAR_REGISTRY_ROUTE_NOT_FOUND: {
      meaning: 'No such route (404).',
      retriable: false,
      action: 'Check the path against the Confluent REST API.',
    },
    ISOBAR_REGISTRY_NOT_ACCEPTABLE: {
      meaning: 'The Accept header asks for a type the registry does not produce (406).',
      retriable: false,
      action: 'Accept application/vnd.schemaregistry.v1+json or application/json.',
    },
    ISOBAR_REGISTRY_BODY_TOO_LARGE: {
      meaning: 'The body is larger than the limit (413).',
      retriable: false,
      action: 'Send a smaller body.',
    },
    ISOBAR_REGISTRY_UNSUPPORTED_MEDIA_TYPE: {
      meaning: 'The body has an unsupported content type (415).',
      retriable: false,
      action: 'Send application/vnd.schemaregistry.v1+json or application/json.',
    },
    ISOBAR_REGISTRY_TOO_MANY_CHECKS: {
      meaning: 'Too many compatibility checks are queued (42901, HTTP 429).',
      retriable: true,
      action: 'Retry after a moment.',
    },
    ISOBAR_REGISTRY_UNAUTHORIZED: {
      meaning: 'Missing or wrong basic-auth credentials (401).',
      retriable: false,
      action: 'Send the credentials (`http://user:password@host:8081`).',
    },
    ISOBAR_REGISTRY_FORBIDDEN: {
      meaning: 'The credentials may not do this (403).',
      retriable: false,
      action: 'Use a principal with write access.',
    },
    ISOBAR_REGISTRY_METHOD_NOT_ALLOWED: {
      meaning: 'The route exists but not with this method (405).',
      retriable: false,
      action: 'Use a method the route has.',
    },
    ISOBAR_REGISTRY_STORE_ERROR: {
      meaning: 'Writing to or reading the _schemas topic failed (50001).',
      retriable: true,
      action: 'Retry; check Kafka.',
    },
    ISOBAR_REGISTRY_STORE_TIMEOUT: {
      meaning: 'The _schemas topic did not answer in time (50002).',
      retriable: true,
      action: 'Retry; check Kafka.',
    },
    ISOBAR_REGISTRY_FORWARD_FAILED: {
      meaning: 'A follower could not forward a write to the leader (50003).',
      retriable: true,
      action: 'Retry; check the leader instance.',
    },
    ISOBAR_REGISTRY_UNKNOWN_LEADER: {
      meaning: 'No leader is elected yet (50004); /ready is 503 meanwhile.',
      retriable: true,
      action: 'Retry once /ready is 200.',
    },
    ISOBAR_REGISTRY_TOPIC_MISCONFIGURED: {
      meaning: 'The _schemas topic exists but is not compacted or has more than one partition.',
      retriable: false,
      action: 'Recreate it (cleanup.policy=compact, 1 partition).',
    },
    ISOBAR_REGISTRY_INTERNAL: {
      meaning: 'An unexpected server error (500); details are in the log.',
      retriable: false,
      action: 'Report it with the log line.',
    },
  },
}

/** Confluent error_code per code; the HTTP status is derived from it. */
const ERROR_CODES: Record<RegistryErrorCode, number> = {
  ISOBAR_REGISTRY_SUBJECT_NOT_FOUND: 40401,
  ISOBAR_REGISTRY_VERSION_NOT_FOUND: 40402,
  ISOBAR_REGISTRY_SCHEMA_NOT_FOUND: 40403,
  ISOBAR_REGISTRY_SUBJECT_SOFT_DELETED: 40404,
  ISOBAR_REGISTRY_SUBJECT_NOT_SOFT_DELETED: 40405,
  ISOBAR_REGISTRY_VERSION_SOFT_DELETED: 40406,
  ISOBAR_REGISTRY_VERSION_NOT_SOFT_DELETED: 40407,
  ISOBAR_REGISTRY_SUBJECT_CONFIG_NOT_FOUND: 40408,
  ISOBAR_REGISTRY_SUBJECT_MODE_NOT_FOUND: 40409,
  ISOBAR_REGISTRY_INCOMPATIBLE_SCHEMA: 409,
  ISOBAR_REGISTRY_INVALID_SCHEMA: 42201,
  ISOBAR_REGISTRY_SCHEMA_TOO_LARGE: 42209,
  ISOBAR_REGISTRY_INVALID_VERSION: 42202,
  ISOBAR_REGISTRY_INVALID_COMPATIBILITY_LEVEL: 42203,
  ISOBAR_REGISTRY_INVALID_MODE: 42204,
  ISOBAR_REGISTRY_OPERATION_NOT_PERMITTED: 42205,
  ISOBAR_REGISTRY_REFERENCE_EXISTS: 42206,
  ISOBAR_REGISTRY_ID_CONFLICT: 42207,
  ISOBAR_REGISTRY_INVALID_SUBJECT: 42208,
  // A body of the wrong shape (not an object, a field of the wrong type): 422 like Confluent's REST layer.
  ISOBAR_REGISTRY_MALFORMED_REQUEST: 422,
  ISOBAR_REGISTRY_ROUTE_NOT_FOUND: 404,
  ISOBAR_REGISTRY_NOT_ACCEPTABLE: 406,
  ISOBAR_REGISTRY_BODY_TOO_LARGE: 413,
  ISOBAR_REGISTRY_UNSUPPORTED_MEDIA_TYPE: 415,
  ISOBAR_REGISTRY_TOO_MANY_CHECKS: 42901,
  ISOBAR_REGISTRY_UNAUTHORIZED: 401,
  ISOBAR_REGISTRY_FORBIDDEN: 403,
  ISOBAR_REGISTRY_METHOD_NOT_ALLOWED: 405,
  ISOBAR_REGISTRY_STORE_ERROR: 50001,
  ISOBAR_REGISTRY_STORE_TIMEOUT: 50002,
  ISOBAR_REGISTRY_FORWARD_FAILED: 50003,
  ISOBAR_REGISTRY_UNKNOWN_LEADER: 50004,
  ISOBAR_REGISTRY_TOPIC_MISCONFIGURED: 50001,
  ISOBAR_REGISTRY_INTERNAL: 500,
}

const RETRIABLE = new Set<RegistryErrorCode>([
  RegistryErrorCodes.TOO_MANY_CHECKS,
  RegistryErrorCodes.STORE_ERROR,
  RegistryErrorCodes.STORE_TIMEOUT,
  RegistryErrorCodes.FORWARD_FAILED,
  RegistryErrorCodes.UNKNOWN_LEADER,
])

export class RegistryError extends IsobarError {
  declare readonly code: RegistryErrorCode
  /** Confluent `error_code` for the response body. */
  readonly errorCode: number
  /** HTTP status: the first three digits of errorCode. */
  readonly status: number

  constructor(
    code: RegistryErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(code, message, { ...options, retriable: RETRIABLE.has(code) })
    this.name = 'RegistryError'
    this.errorCode = ERROR_CODES[code]
    this.status = Number(String(this.errorCode).slice(0, 3))
  }
}

export function isRegistryError(error: unknown, code?: RegistryErrorCode): error is RegistryError {
  if (!(error instanceof Error)) return false
  const candidate = (error as { code?: unknown }).code
  if (typeof candidate !== 'string' || !candidate.startsWith('ISOBAR_REGISTRY_')) return false
  return code === undefined || candidate === code
}

// Constructors with Confluent's messages, so every route words the same problem the same way.
export const errors = {
  subjectNotFound: (subject: string) =>
    new RegistryError(RegistryErrorCodes.SUBJECT_NOT_FOUND, `Subject '${subject}' not found.`),
  versionNotFound: (version: number | string) =>
    new RegistryError(RegistryErrorCodes.VERSION_NOT_FOUND, `Version ${version} not found.`),
  schemaNotFound: (id?: number | string) =>
    new RegistryError(
      RegistryErrorCodes.SCHEMA_NOT_FOUND,
      id === undefined ? 'Schema not found' : `Schema ${id} not found`,
    ),
  subjectSoftDeleted: (subject: string) =>
    new RegistryError(
      RegistryErrorCodes.SUBJECT_SOFT_DELETED,
      `Subject '${subject}' was soft deleted.Set permanent=true to delete permanently`,
    ),
  subjectNotSoftDeleted: (subject: string) =>
    new RegistryError(
      RegistryErrorCodes.SUBJECT_NOT_SOFT_DELETED,
      `Subject '${subject}' was not deleted first before being permanently deleted`,
    ),
  versionSoftDeleted: (subject: string, version: number) =>
    new RegistryError(
      RegistryErrorCodes.VERSION_SOFT_DELETED,
      `Subject '${subject}' Version ${version} was soft deleted.Set permanent=true to delete permanently`,
    ),
  versionNotSoftDeleted: (subject: string, version: number) =>
    new RegistryError(
      RegistryErrorCodes.VERSION_NOT_SOFT_DELETED,
      `Subject '${subject}' Version ${version} was not deleted first before being permanently deleted`,
    ),
  subjectConfigNotFound: (subject: string) =>
    new RegistryError(
      RegistryErrorCodes.SUBJECT_CONFIG_NOT_FOUND,
      `Subject '${subject}' does not have subject-level compatibility configured`,
    ),
  subjectModeNotFound: (subject: string) =>
    new RegistryError(
      RegistryErrorCodes.SUBJECT_MODE_NOT_FOUND,
      `Subject '${subject}' does not have subject-level mode configured`,
    ),
  incompatible: (subject: string, messages: string[]) =>
    new RegistryError(
      RegistryErrorCodes.INCOMPATIBLE_SCHEMA,
      `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${messages.join(', ')}]`,
      { details: { messages } },
    ),
  invalidSchema: (problem: string) => new RegistryError(RegistryErrorCodes.INVALID_SCHEMA, problem),
  schemaTooLarge: (problem: string) => new RegistryError(RegistryErrorCodes.SCHEMA_TOO_LARGE, problem),
  invalidVersion: (version: string) =>
    new RegistryError(
      RegistryErrorCodes.INVALID_VERSION,
      `The specified version '${version}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
    ),
  invalidCompatibilityLevel: () =>
    new RegistryError(
      RegistryErrorCodes.INVALID_COMPATIBILITY_LEVEL,
      'Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive',
    ),
  invalidMode: () =>
    new RegistryError(
      RegistryErrorCodes.INVALID_MODE,
      'Invalid mode. Valid values are READWRITE, READONLY, IMPORT and FORWARD.',
    ),
  notPermitted: (message: string) => new RegistryError(RegistryErrorCodes.OPERATION_NOT_PERMITTED, message),
  referenceExists: (subject: string, version: number) =>
    new RegistryError(
      RegistryErrorCodes.REFERENCE_EXISTS,
      `One or more references exist to the schema {subject=${subject},version=${version}}.`,
    ),
  idConflict: (message: string) => new RegistryError(RegistryErrorCodes.ID_CONFLICT, message),
  invalidSubject: (subject: string) =>
    new RegistryError(RegistryErrorCodes.INVALID_SUBJECT, `The specified subject '${subject}' is not a valid.`),
  malformed: (message: string) => new RegistryError(RegistryErrorCodes.MALFORMED_REQUEST, message),
  storeTimeout: (what: string) => new RegistryError(RegistryErrorCodes.STORE_TIMEOUT, `Timed out ${what}`),
  storeError: (message: string, cause?: unknown) =>
    new RegistryError(RegistryErrorCodes.STORE_ERROR, message, { cause }),
}
