import { IsobarError, type ErrorCatalogue } from '@isobar/core'

/** The console's error catalogue; core errors (ISOBAR_CORE_*) pass through with their own codes. */
export const ConsoleErrorCodes = {
  UNAUTHORIZED: 'ISOBAR_CONSOLE_UNAUTHORIZED',
  FORBIDDEN: 'ISOBAR_CONSOLE_FORBIDDEN',
  INVALID_REQUEST: 'ISOBAR_CONSOLE_INVALID_REQUEST',
  ROUTE_NOT_FOUND: 'ISOBAR_CONSOLE_ROUTE_NOT_FOUND',
  METHOD_NOT_ALLOWED: 'ISOBAR_CONSOLE_METHOD_NOT_ALLOWED',
  URI_TOO_LONG: 'ISOBAR_CONSOLE_URI_TOO_LONG',
  PAYLOAD_TOO_LARGE: 'ISOBAR_CONSOLE_PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'ISOBAR_CONSOLE_UNSUPPORTED_MEDIA_TYPE',
  HEADERS_TOO_LARGE: 'ISOBAR_CONSOLE_HEADERS_TOO_LARGE',
  NOT_READY: 'ISOBAR_CONSOLE_NOT_READY',
  INTERNAL: 'ISOBAR_CONSOLE_INTERNAL',
  NOT_FOUND: 'ISOBAR_CONSOLE_NOT_FOUND',
  UPSTREAM_FAILED: 'ISOBAR_CONSOLE_UPSTREAM_FAILED',
} as const

export type ConsoleErrorCode = (typeof ConsoleErrorCodes)[keyof typeof ConsoleErrorCodes]

declare module '@isobar/core' {
  interface IsobarErrorCodeMap {
    console: ConsoleErrorCode
  }
}

export const ConsoleErrorCatalogue: ErrorCatalogue<ConsoleErrorCode> = {
  package: '@isobar/admin-api',
  docs: {
    ISOBAR_CONSOLE_UNAUTHORIZED: {
      meaning: 'Missing or wrong credentials (401).',
      retriable: false,
      action: 'Send `Authorization: Bearer <token>` or sign in at POST /api/session.',
    },
    ISOBAR_CONSOLE_FORBIDDEN: {
      meaning: 'The credentials may not do this (403), e.g. the read-only token on a write route.',
      retriable: false,
      action: 'Use the admin token.',
    },
    ISOBAR_CONSOLE_INVALID_REQUEST: {
      meaning: 'The request fails validation (400); the body names the field.',
      retriable: false,
      action: 'Fix the field the body names.',
    },
    ISOBAR_CONSOLE_ROUTE_NOT_FOUND: {
      meaning: 'No such route (404).',
      retriable: false,
      action: 'Check the path against /api/docs.',
    },
    ISOBAR_CONSOLE_METHOD_NOT_ALLOWED: {
      meaning: 'The route exists but not with this method (405).',
      retriable: false,
      action: 'Use a method /api/docs lists for the route.',
    },
    ISOBAR_CONSOLE_URI_TOO_LONG: {
      meaning: 'The URL is longer than the limit (414).',
      retriable: false,
      action: 'Shorten the query.',
    },
    ISOBAR_CONSOLE_PAYLOAD_TOO_LARGE: {
      meaning: 'The body is larger than the limit (413).',
      retriable: false,
      action: 'Send a smaller body.',
    },
    ISOBAR_CONSOLE_UNSUPPORTED_MEDIA_TYPE: {
      meaning: 'The body is not `application/json` (415).',
      retriable: false,
      action: 'Send JSON with that content type.',
    },
    ISOBAR_CONSOLE_HEADERS_TOO_LARGE: {
      meaning: 'The request headers exceed the limit (431).',
      retriable: false,
      action: 'Send fewer or smaller headers.',
    },
    ISOBAR_CONSOLE_NOT_READY: {
      meaning: 'A dependency (Kafka, a live-feed consumer) is not ready yet (503).',
      retriable: true,
      action: 'Retry; /ready says what is missing.',
    },
    ISOBAR_CONSOLE_INTERNAL: {
      meaning: 'An unexpected server error (500); details are in the log, not the response.',
      retriable: false,
      action: 'Report it with the log line of the request id.',
    },
    ISOBAR_CONSOLE_NOT_FOUND: {
      meaning: 'The topic, group, subject or message asked for does not exist (404).',
      retriable: false,
      action: 'Check the name.',
    },
    ISOBAR_CONSOLE_UPSTREAM_FAILED: {
      meaning: 'The Schema Registry failed or did not answer (502).',
      retriable: true,
      action: 'Retry; check SCHEMA_REGISTRY_URL and the registry /ready.',
    },
  },
}

export class UnauthorizedError extends IsobarError {
  constructor() {
    super(
      ConsoleErrorCodes.UNAUTHORIZED,
      'Missing or wrong credentials (send "Authorization: Bearer <token>" or log in at POST /api/session)',
    )
    this.name = 'UnauthorizedError'
  }
}

export class ForbiddenError extends IsobarError {
  constructor(message: string) {
    super(ConsoleErrorCodes.FORBIDDEN, message)
    this.name = 'ForbiddenError'
  }
}

export class InvalidRequestError extends IsobarError {
  constructor(message: string, field?: string) {
    super(ConsoleErrorCodes.INVALID_REQUEST, message, { details: field ? { field } : {} })
    this.name = 'InvalidRequestError'
  }
}

export class NotReadyError extends IsobarError {
  constructor(message: string, cause?: unknown) {
    super(ConsoleErrorCodes.NOT_READY, message, { cause, retriable: true })
    this.name = 'NotReadyError'
  }
}

export class NotFoundError extends IsobarError {
  constructor(message: string) {
    super(ConsoleErrorCodes.NOT_FOUND, message)
    this.name = 'NotFoundError'
  }
}

/** A service the console relies on (the schema registry) failed or did not answer. */
export class UpstreamError extends IsobarError {
  constructor(message: string, cause?: unknown) {
    super(ConsoleErrorCodes.UPSTREAM_FAILED, message, { cause, retriable: true })
    this.name = 'UpstreamError'
  }
}

const STATUS_BY_CODE: Record<string, number> = {
  [ConsoleErrorCodes.UNAUTHORIZED]: 401,
  [ConsoleErrorCodes.FORBIDDEN]: 403,
  [ConsoleErrorCodes.INVALID_REQUEST]: 400,
  [ConsoleErrorCodes.ROUTE_NOT_FOUND]: 404,
  [ConsoleErrorCodes.METHOD_NOT_ALLOWED]: 405,
  [ConsoleErrorCodes.URI_TOO_LONG]: 414,
  [ConsoleErrorCodes.PAYLOAD_TOO_LARGE]: 413,
  [ConsoleErrorCodes.UNSUPPORTED_MEDIA_TYPE]: 415,
  [ConsoleErrorCodes.HEADERS_TOO_LARGE]: 431,
  [ConsoleErrorCodes.NOT_READY]: 503,
  [ConsoleErrorCodes.NOT_FOUND]: 404,
  [ConsoleErrorCodes.UPSTREAM_FAILED]: 502,
  ISOBAR_CORE_INVALID_ARGUMENT: 400,
  ISOBAR_SERDE_SCHEMA_VIOLATION: 422,
  ISOBAR_CORE_TOPIC_NOT_FOUND: 404,
  ISOBAR_CORE_GROUP_NOT_FOUND: 404,
  ISOBAR_CORE_TOPIC_EXISTS: 409,
  ISOBAR_CORE_GROUP_ACTIVE: 409,
  ISOBAR_CORE_KAFKA_UNREACHABLE: 503,
  ISOBAR_CORE_TIMEOUT: 504,
  ISOBAR_CORE_KAFKA_REQUEST_FAILED: 502,
}

/** HTTP status of an Isobar error code; unknown codes are server errors. */
export function httpStatusOf(code: string): number {
  return STATUS_BY_CODE[code] ?? 500
}
