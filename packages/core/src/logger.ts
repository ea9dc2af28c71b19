import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino'

export type { Logger } from 'pino'

export interface LoggerSettings {
  service: string
  level?: LoggerOptions['level']
  /** Where JSON lines go; stderr by default so stdout stays free for command output. */
  destination?: DestinationStream
}

/** Structured JSON logs; services hand child loggers ({ topic, partition }) to their parts. */
export function createLogger(settings: LoggerSettings): Logger {
  return pino(
    { level: settings.level ?? 'info', base: { service: settings.service } },
    settings.destination ?? pino.destination(2),
  )
}

/** A logger that drops everything, for libraries used without one and for tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}
