/** Error catalogue of @isobar/observability: stable codes, whether retrying can help. */
import { IsobarError } from '@isobar/core'

export const ObservabilityErrorCodes = {
  BINARY_MISSING: 'ISOBAR_OBS_BINARY_MISSING',
  PROCESS_FAILED: 'ISOBAR_OBS_PROCESS_FAILED',
  TIMEOUT: 'ISOBAR_OBS_TIMEOUT',
} as const

export type ObservabilityErrorCode = (typeof ObservabilityErrorCodes)[keyof typeof ObservabilityErrorCodes]

export class ObservabilityError extends IsobarError {
  constructor(code: ObservabilityErrorCode, message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(code, message, options)
    this.name = 'ObservabilityError'
  }
}
