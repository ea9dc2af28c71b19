import { IsobarError } from '@isobar/core'

/** The sensor-analytics package's error catalogue. */
export const SensorAnalyticsErrorCodes = {
  CONFIG_INVALID: 'ISOBAR_SENSOR_ANALYTICS_CONFIG_INVALID',
  TOPICS_UNAVAILABLE: 'ISOBAR_SENSOR_ANALYTICS_TOPICS_UNAVAILABLE',
  EVENT_TIME_AHEAD: 'ISOBAR_SENSOR_ANALYTICS_EVENT_TIME_AHEAD',
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
