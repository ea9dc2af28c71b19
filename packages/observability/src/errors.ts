/** Error catalogue of @isobar/observability: stable codes, whether retrying can help. */
import { IsobarError, type ErrorCatalogue } from '@isobar/core'

export const ObservabilityErrorCodes = {
  BINARY_MISSING: 'ISOBAR_OBS_BINARY_MISSING',
  PROCESS_FAILED: 'ISOBAR_OBS_PROCESS_FAILED',
  TIMEOUT: 'ISOBAR_OBS_TIMEOUT',
} as const

export type ObservabilityErrorCode = (typeof ObservabilityErrorCodes)[keyof typeof ObservabilityErrorCodes]

declare module '@isobar/core' {
  interface IsobarErrorCodeMap {
    observability: ObservabilityErrorCode
  }
}

export const ObservabilityErrorCatalogue: ErrorCatalogue<ObservabilityErrorCode> = {
  package: '@isobar/observability',
  docs: {
    ISOBAR_OBS_BINARY_MISSING: {
      meaning: 'promtool, prometheus or alertmanager is not installed.',
      retriable: false,
      action: 'Install Debian prometheus and prometheus-alertmanager (.ci/run does).',
    },
    ISOBAR_OBS_PROCESS_FAILED: {
      meaning: 'A Prometheus tool exited with an error; the message carries its output.',
      retriable: false,
      action: 'Read the output: a rule, config or test is wrong.',
    },
    ISOBAR_OBS_TIMEOUT: {
      meaning: 'A Prometheus tool or server did not answer in time.',
      retriable: true,
      action: 'Run again; check the machine load.',
    },
  },
}

export class ObservabilityError extends IsobarError {
  constructor(code: ObservabilityErrorCode, message: string, options: { retriable?: boolean; cause?: unknown } = {}) {
    super(code, message, options)
    this.name = 'ObservabilityError'
  }
}
