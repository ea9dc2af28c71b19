// The light entry (no Kafka client): commands import this at start, before they know they need Kafka.
import { IsobarError, type ErrorCatalogue } from '@isobar/core/errors'

export const CliErrorCodes = {
  USAGE: 'ISOBAR_CLI_USAGE',
} as const

export type CliErrorCode = (typeof CliErrorCodes)[keyof typeof CliErrorCodes]

declare module '@isobar/core' {
  interface IsobarErrorCodeMap {
    cli: CliErrorCode
  }
}

export const CliErrorCatalogue: ErrorCatalogue<CliErrorCode> = {
  package: '@isobar/cli',
  docs: {
    ISOBAR_CLI_USAGE: {
      meaning: 'The command was called wrongly (unknown option, bad value).',
      retriable: false,
      action: 'Read the one-line message and `npx isobar <command> --help`; exit code 2.',
    },
  },
}

/** A mistake in how the command was called: printed as one line with a hint, exit code 2. */
export class UsageError extends IsobarError {
  readonly hint: string | undefined
  constructor(message: string, hint?: string) {
    super(CliErrorCodes.USAGE, message)
    this.name = 'UsageError'
    this.hint = hint
  }
}
