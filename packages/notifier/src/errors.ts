/** The notifier's error catalogue: stable codes, whether retrying the same delivery can succeed. */
import { IsobarError, type ErrorCatalogue } from '@isobar/core'

export const NotifierErrorCodes = {
  CONFIG_INVALID: 'ISOBAR_NOTIFIER_CONFIG_INVALID',
  DELIVERY_FAILED: 'ISOBAR_NOTIFIER_DELIVERY_FAILED',
} as const

export type NotifierErrorCode = (typeof NotifierErrorCodes)[keyof typeof NotifierErrorCodes]

declare module '@isobar/core' {
  interface IsobarErrorCodeMap {
    notifier: NotifierErrorCode
  }
}

export const NotifierErrorCatalogue: ErrorCatalogue<NotifierErrorCode> = {
  package: '@isobar/notifier',
  docs: {
    ISOBAR_NOTIFIER_CONFIG_INVALID: {
      meaning: 'The notifier configuration is invalid; the message names the setting.',
      retriable: false,
      action: 'Fix the environment variable named; the notifier does not start.',
    },
    ISOBAR_NOTIFIER_DELIVERY_FAILED: {
      meaning: 'Alertmanager or the webhook receiver refused or did not answer.',
      retriable: true,
      action: 'Retried with backoff until delivered; the alert record is committed only after delivery.',
    },
  },
}

export class NotifierConfigError extends IsobarError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(NotifierErrorCodes.CONFIG_INVALID, message, { details })
    this.name = 'NotifierConfigError'
  }
}

/** A receiver answered with an error status, or not at all (status undefined). Always retried. */
export class DeliveryError extends IsobarError {
  readonly status: number | undefined

  constructor(channel: string, url: string, status: number | undefined, cause?: unknown) {
    super(
      NotifierErrorCodes.DELIVERY_FAILED,
      `${channel} delivery to ${url} failed${status === undefined ? '' : ` with HTTP ${status}`}`,
      { cause, retriable: true, details: { channel, url, status } },
    )
    this.name = 'DeliveryError'
    this.status = status
  }
}
