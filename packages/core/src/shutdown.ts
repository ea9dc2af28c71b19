import type { Logger } from 'pino'

/**
 * Graceful shutdown for a service process: on the first SIGINT or SIGTERM, run `close` (stop accepting work,
 * flush, close clients) and exit 0, or 1 when closing fails. Later signals are ignored while closing.
 */
export function exitOnShutdownSignals(close: () => Promise<void>, logger: Logger): void {
  let stopping = false
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down')
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}
