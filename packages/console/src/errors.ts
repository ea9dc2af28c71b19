import { IsobarError } from '@isobar/core'

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
  CONFIG_INVALID: 'ISOBAR_CONSOLE_CONFIG_INVALID',
  NOT_FOUND: 'ISOBAR_CONSOLE_NOT_FOUND',
  UPSTREAM_FAILED: 'ISOBAR_CONSOLE_UPSTREAM_FAILED',
} as const

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

export class ConsoleConfigError extends IsobarError {
  constructor(message: string) {
    super(ConsoleErrorCodes.CONFIG_INVALID, message)
    this.name = 'ConsoleConfigError'
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
