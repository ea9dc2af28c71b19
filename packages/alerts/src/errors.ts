import { IsobarError, type ErrorCatalogue } from '@isobar/core'

/** The alerts package's error catalogue. */
export const AlertsErrorCodes = {
  RULES_INVALID: 'ISOBAR_ALERTS_RULES_INVALID',
  RULES_UNREADABLE: 'ISOBAR_ALERTS_RULES_UNREADABLE',
  COMMAND_INVALID: 'ISOBAR_ALERTS_COMMAND_INVALID',
  DURATION_INVALID: 'ISOBAR_ALERTS_DURATION_INVALID',
} as const

export type AlertsErrorCode = (typeof AlertsErrorCodes)[keyof typeof AlertsErrorCodes]

declare module '@isobar/core' {
  interface IsobarErrorCodeMap {
    alerts: AlertsErrorCode
  }
}

export const AlertsErrorCatalogue: ErrorCatalogue<AlertsErrorCode> = {
  package: '@isobar/alerts',
  docs: {
    ISOBAR_ALERTS_RULES_INVALID: {
      meaning: 'A rule file failed validation; the message names the rule and field.',
      retriable: false,
      action: 'Fix the rule file (format in packages/alerts/README.md); the service does not start with it.',
    },
    ISOBAR_ALERTS_RULES_UNREADABLE: {
      meaning: 'The rule file could not be read.',
      retriable: false,
      action: 'Check the path (ANALYTICS_RULES_FILE / the weather rules) and its permissions.',
    },
    ISOBAR_ALERTS_COMMAND_INVALID: {
      meaning: 'A message on the alert-commands topic is malformed.',
      retriable: false,
      action: 'Skipped and counted; send commands with `isobar alerts ack|silence`.',
    },
    ISOBAR_ALERTS_DURATION_INVALID: {
      meaning: 'A duration is not of the form 500ms, 30s, 2m, 3h, 1h30m.',
      retriable: false,
      action: 'Fix the duration.',
    },
  },
}

/** A rule file that fails validation: names the rule (id, or its index when it has none) and the field. */
export class RuleConfigError extends IsobarError {
  readonly ruleId: string | undefined
  readonly field: string

  constructor(ruleId: string | undefined, field: string, problem: string, source?: string) {
    const where = ruleId === undefined ? '' : `rule "${ruleId}" `
    const file = source === undefined ? '' : ` in ${source}`
    super(AlertsErrorCodes.RULES_INVALID, `Invalid alert rule${file}: ${where}field "${field}" ${problem}`, {
      details: { ruleId, field, problem, source },
    })
    this.name = 'RuleConfigError'
    this.ruleId = ruleId
    this.field = field
  }
}

export class RulesUnreadableError extends IsobarError {
  constructor(path: string, cause: unknown) {
    super(AlertsErrorCodes.RULES_UNREADABLE, `Cannot read alert rules from ${path}: ${String(cause)}`, {
      cause,
      details: { path },
    })
    this.name = 'RulesUnreadableError'
  }
}

/** An alert command (ack, silence) that is malformed; the adapter skips it and counts it. */
export class AlertCommandError extends IsobarError {
  constructor(problem: string) {
    super(AlertsErrorCodes.COMMAND_INVALID, `Invalid alert command: ${problem}`)
    this.name = 'AlertCommandError'
  }
}

export class DurationError extends IsobarError {
  constructor(text: string) {
    super(AlertsErrorCodes.DURATION_INVALID, `Invalid duration "${text}": expected e.g. 500ms, 30s, 2m, 3h, 1h30m`, {
      details: { text },
    })
    this.name = 'DurationError'
  }
}
