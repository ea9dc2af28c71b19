/** Error catalogue of @isobar/observability: stable codes and whether retrying can help. */
export const ObservabilityErrorCodes = ['OBS_BINARY_MISSING', 'OBS_PROCESS_FAILED', 'OBS_TIMEOUT'] as const
export type ObservabilityErrorCode = (typeof ObservabilityErrorCodes)[number]

export class ObservabilityError extends Error {
  readonly code: ObservabilityErrorCode
  readonly retriable: boolean

  constructor(code: ObservabilityErrorCode, message: string, retriable: boolean, options?: ErrorOptions) {
    super(message, options)
    this.name = 'ObservabilityError'
    this.code = code
    this.retriable = retriable
  }
}
