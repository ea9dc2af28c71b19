/**
 * The registry's error catalogue. Each error has a stable `code`, says whether retrying can succeed, and maps to
 * the HTTP status and Confluent `error_code` that Schema Registry clients expect (status = first three digits).
 */
import { IsobarError } from '@isobar/core'

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
