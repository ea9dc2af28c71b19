import type { Writable } from 'node:stream'

/**
 * What the CLI does with an error no command handled: one line on stderr (plus the hint of a usage error, and the
 * stack when `debug`), and the exit code: 2 for a usage error, else 1. Shared by main.ts and in-process tests.
 */
export async function reportFailure(error: unknown, stderr: Writable, debug: boolean): Promise<number> {
  const message = error instanceof Error ? error.message : String(error)
  stderr.write(`isobar: ${message.split('\n')[0]}\n`)
  const hint = (error as { hint?: unknown } | null | undefined)?.hint
  if (typeof hint === 'string') stderr.write(`  (${hint})\n`)
  if (debug && error instanceof Error) stderr.write(`${error.stack}\n`)
  const { isIsobarError } = await import('@isobar/core')
  return isIsobarError(error) && error.code === 'ISOBAR_CLI_USAGE' ? 2 : 1
}
