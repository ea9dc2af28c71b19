/** The weather streamer's error catalogue. */
import { IsobarError } from '@isobar/core'

export const WeatherErrorCodes = {
  CONFIG_INVALID: 'ISOBAR_WEATHER_CONFIG_INVALID',
  METAR_UNPARSEABLE: 'ISOBAR_WEATHER_METAR_UNPARSEABLE',
  METAR_INCOMPLETE: 'ISOBAR_WEATHER_METAR_INCOMPLETE',
  UNKNOWN_STATION: 'ISOBAR_WEATHER_UNKNOWN_STATION',
  CSV_ROW_INVALID: 'ISOBAR_WEATHER_CSV_ROW_INVALID',
  HTTP_FAILED: 'ISOBAR_WEATHER_HTTP_FAILED',
  RESPONSE_INVALID: 'ISOBAR_WEATHER_RESPONSE_INVALID',
  DELIVERY_FAILED: 'ISOBAR_WEATHER_DELIVERY_FAILED',
} as const

export class WeatherConfigError extends IsobarError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(WeatherErrorCodes.CONFIG_INVALID, message, { details })
    this.name = 'WeatherConfigError'
  }
}

/** An HTTP source answered with an error status or not at all; `retryAfterMs` from a 429's Retry-After. */
export class WeatherHttpError extends IsobarError {
  readonly status: number | undefined
  readonly retryAfterMs: number | undefined

  constructor(url: string, status: number | undefined, cause?: unknown, retryAfterMs?: number) {
    super(WeatherErrorCodes.HTTP_FAILED, `GET ${url} failed${status ? ` with HTTP ${status}` : ''}`, {
      cause,
      retriable: status === undefined || status === 429 || status >= 500,
      details: { url, status },
    })
    this.name = 'WeatherHttpError'
    this.status = status
    this.retryAfterMs = retryAfterMs
  }
}

export class WeatherResponseError extends IsobarError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(WeatherErrorCodes.RESPONSE_INVALID, message, { details })
    this.name = 'WeatherResponseError'
  }
}

export class DeliveryFailedError extends IsobarError {
  constructor(attempts: number, cause: unknown) {
    super(WeatherErrorCodes.DELIVERY_FAILED, `observation not acknowledged after ${attempts} attempts`, { cause })
    this.name = 'DeliveryFailedError'
  }
}
