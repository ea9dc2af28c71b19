import { IsobarError, type ErrorCatalogue } from '@isobar/core'

/**
 * The simulator package's error catalogue. The replay code keeps the value it had in sensor-analytics, where the
 * replay lived before: codes are a stable contract (CLI --json output, logs).
 */
export const SimulatorErrorCodes = {
  REPLAY_INPUT_INVALID: 'ISOBAR_SENSOR_ANALYTICS_REPLAY_INPUT_INVALID',
} as const

export type SimulatorErrorCode = (typeof SimulatorErrorCodes)[keyof typeof SimulatorErrorCodes]

declare module '@isobar/core' {
  interface IsobarErrorCodeMap {
    simulator: SimulatorErrorCode
  }
}

export const SimulatorErrorCatalogue: ErrorCatalogue<SimulatorErrorCode> = {
  package: '@isobar/simulator',
  docs: {
    ISOBAR_SENSOR_ANALYTICS_REPLAY_INPUT_INVALID: {
      meaning: 'A replay file or mapping cannot be used; the message names the row or field.',
      retriable: false,
      action: 'Fix the file or mapping.',
    },
  },
}

/** A replay file or mapping that cannot be used (names the file, row or mapping field). */
export class ReplayInputError extends IsobarError {
  constructor(message: string) {
    super(SimulatorErrorCodes.REPLAY_INPUT_INVALID, message)
    this.name = 'ReplayInputError'
  }
}
