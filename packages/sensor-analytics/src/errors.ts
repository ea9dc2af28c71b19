import { IsobarError } from '@isobar/core'

/** The sensor-analytics package's error catalogue. */
export const SensorAnalyticsErrorCodes = {
  CONFIG_INVALID: 'ISOBAR_SENSOR_ANALYTICS_CONFIG_INVALID',
  TOPICS_UNAVAILABLE: 'ISOBAR_SENSOR_ANALYTICS_TOPICS_UNAVAILABLE',
} as const

export class AnalyticsConfigError extends IsobarError {
  constructor(message: string, problems: string[] = []) {
    super(SensorAnalyticsErrorCodes.CONFIG_INVALID, message, { details: { problems } })
    this.name = 'AnalyticsConfigError'
  }
}

export class AnalyticsTopicsError extends IsobarError {
  constructor(message: string, cause: unknown) {
    super(SensorAnalyticsErrorCodes.TOPICS_UNAVAILABLE, message, { retriable: true, cause })
    this.name = 'AnalyticsTopicsError'
  }
}
