import { IsobarError } from '@isobar/core'

export const CliErrorCodes = {
  USAGE: 'ISOBAR_CLI_USAGE',
} as const

/** A mistake in how the command was called: printed as one line with a hint, exit code 2. */
export class UsageError extends IsobarError {
  readonly hint: string | undefined
  constructor(message: string, hint?: string) {
    super(CliErrorCodes.USAGE, message)
    this.name = 'UsageError'
    this.hint = hint
  }
}
