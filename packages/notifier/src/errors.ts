/** The notifier's error catalogue: stable codes, whether retrying the same delivery can succeed. */
import { IsobarError } from '@isobar/core'

export const NotifierErrorCodes = {
  CONFIG_INVALID: 'ISOBAR_NOTIFIER_CONFIG_INVALID',
  DELIVERY_FAILED: 'ISOBAR_NOTIFIER_DELIVERY_FAILED',
} as const

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
