/** The weather streamer's error catalogue. */
import { ConfigError, IsobarError, type ErrorCatalogue } from '@isobar/core'

export const WeatherErrorCodes = {
  METAR_UNPARSEABLE: 'ISOBAR_WEATHER_METAR_UNPARSEABLE',
  METAR_INCOMPLETE: 'ISOBAR_WEATHER_METAR_INCOMPLETE',
  UNKNOWN_STATION: 'ISOBAR_WEATHER_UNKNOWN_STATION',
  CSV_ROW_INVALID: 'ISOBAR_WEATHER_CSV_ROW_INVALID',
  HTTP_FAILED: 'ISOBAR_WEATHER_HTTP_FAILED',
  RESPONSE_INVALID: 'ISOBAR_WEATHER_RESPONSE_INVALID',
  DELIVERY_FAILED: 'ISOBAR_WEATHER_DELIVERY_FAILED',
} as const

export type WeatherErrorCode = (typeof WeatherErrorCodes)[keyof typeof WeatherErrorCodes]

declare module '@isobar/core' {
  interface IsobarErrorCodeMap {
    weather: WeatherErrorCode
  }
}

export const WeatherErrorCatalogue: ErrorCatalogue<WeatherErrorCode> = {
  package: '@isobar/weather-streamer',
  docs: {
    ISOBAR_WEATHER_METAR_UNPARSEABLE: {
      meaning: 'A METAR report cannot be parsed.',
      retriable: false,
      action: 'Skipped and counted; nothing to do unless it is frequent.',
    },
    ISOBAR_WEATHER_METAR_INCOMPLETE: {
      meaning: 'A METAR report lacks a field an observation needs.',
      retriable: false,
      action: 'Skipped and counted.',
    },
    ISOBAR_WEATHER_UNKNOWN_STATION: {
      meaning: 'A station id is not in the station list.',
      retriable: false,
      action: 'Add the station or drop it from the source.',
    },
    ISOBAR_WEATHER_CSV_ROW_INVALID: {
      meaning: 'A replay CSV row cannot be read; the message names the row.',
      retriable: false,
      action: 'Fix the row.',
    },
    ISOBAR_WEATHER_HTTP_FAILED: {
      meaning: 'A weather source answered with an error or not at all.',
      retriable: 'depends',
      action: 'Retriable when unreachable, 429 or 5xx; the source backs off.',
    },
    ISOBAR_WEATHER_RESPONSE_INVALID: {
      meaning: 'A weather source answered with a body of the wrong shape.',
      retriable: false,
      action: 'Skipped; check the source.',
    },
    ISOBAR_WEATHER_DELIVERY_FAILED: {
      meaning: 'An observation was not acknowledged by Kafka after every retry.',
      retriable: false,
      action: 'Check the broker; the service reports it and goes on.',
    },
  },
}

/** Invalid configuration: the one configuration error of every package (ISOBAR_CORE_CONFIG_INVALID). */
export class WeatherConfigError extends ConfigError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, details)
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
