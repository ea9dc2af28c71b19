import { IsobarError } from '@isobar/core'

/**
 * The simulator package's error catalogue. The replay code keeps the value it had in sensor-analytics, where the
 * replay lived before: codes are a stable contract (CLI --json output, logs).
 */
export const SimulatorErrorCodes = {
  REPLAY_INPUT_INVALID: 'ISOBAR_SENSOR_ANALYTICS_REPLAY_INPUT_INVALID',
} as const

/** A replay file or mapping that cannot be used (names the file, row or mapping field). */
export class ReplayInputError extends IsobarError {
  constructor(message: string) {
    super(SimulatorErrorCodes.REPLAY_INPUT_INVALID, message)
    this.name = 'ReplayInputError'
  }
}
