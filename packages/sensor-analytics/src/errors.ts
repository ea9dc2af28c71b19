import { ConfigError, IsobarError, type ErrorCatalogue } from '@isobar/core'

/** The sensor-analytics package's error catalogue. */
export const SensorAnalyticsErrorCodes = {
  TOPICS_UNAVAILABLE: 'ISOBAR_SENSOR_ANALYTICS_TOPICS_UNAVAILABLE',
  EVENT_TIME_AHEAD: 'ISOBAR_SENSOR_ANALYTICS_EVENT_TIME_AHEAD',
} as const

export type SensorAnalyticsErrorCode = (typeof SensorAnalyticsErrorCodes)[keyof typeof SensorAnalyticsErrorCodes]

declare module '@isobar/core' {
  interface IsobarErrorCodeMap {
    sensorAnalytics: SensorAnalyticsErrorCode
  }
}

export const SensorAnalyticsErrorCatalogue: ErrorCatalogue<SensorAnalyticsErrorCode> = {
  package: '@isobar/sensor-analytics',
  docs: {
    ISOBAR_SENSOR_ANALYTICS_TOPICS_UNAVAILABLE: {
      meaning: 'The input or output topics are missing or not ready.',
      retriable: true,
      action: 'Retried by the service; create the topics (`npm start` does) or check the broker.',
    },
    ISOBAR_SENSOR_ANALYTICS_EVENT_TIME_AHEAD: {
      meaning: 'A reading is stamped further ahead of the clock than tolerated.',
      retriable: false,
      action: 'Poison: it goes to sensors.dlq; fix the device clock.',
    },
  },
}

/** Invalid configuration: the one configuration error of every package (ISOBAR_CORE_CONFIG_INVALID). */
export class AnalyticsConfigError extends ConfigError {
  constructor(message: string, problems: string[] = []) {
    super(message, { problems })
    this.name = 'AnalyticsConfigError'
  }
}

export class AnalyticsTopicsError extends IsobarError {
  constructor(message: string, cause: unknown) {
    super(SensorAnalyticsErrorCodes.TOPICS_UNAVAILABLE, message, { retriable: true, cause })
    this.name = 'AnalyticsTopicsError'
  }
}

/**
 * A reading stamped further in the future than the service tolerates (a device clock running ahead). Folding it
 * in would move its partition's stream time ahead and make every other sensor's readings late, so it goes to the
 * dead-letter topic instead, with this reason.
 */
export class EventTimeAheadError extends IsobarError {
  constructor(sensorId: string, aheadMs: number, toleranceMs: number) {
    super(
      SensorAnalyticsErrorCodes.EVENT_TIME_AHEAD,
      `Reading of ${sensorId} is stamped ${Math.round(aheadMs / 1000)} s ahead of the clock (tolerance ${toleranceMs} ms)`,
      { details: { sensorId, aheadMs, toleranceMs } },
    )
    this.name = 'EventTimeAheadError'
  }
}
