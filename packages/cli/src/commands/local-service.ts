/**
 * The `status` and `stop` subcommands every local server of the Isobar home has (`isobar db|connect|mqtt`): the
 * same options, lines, JSON and exit codes (status: 0 running, 3 not running). Logic stays in @isobar/kafka-local.
 */
import { flag, type ParsedArgs } from '../args.ts'
import type { Command } from '../command.ts'
import { writeJson, writeLine, type CliContext } from '../context.ts'

/** Where a running server is and its pid: `at <url> (pid N)`, or `on 127.0.0.1:<port> (pid N)` without a URL. */
export function runningAt(server: { pid?: number; port?: number; url?: string }): string {
  return `${server.url === undefined ? `on 127.0.0.1:${server.port}` : `at ${server.url}`} (pid ${server.pid})`
}

export interface LocalServer<S extends { running: boolean; pid?: number; port?: number; url?: string }> {
  /** The command group (`db`). */
  group: string
  /** The server's name in lines (`PostgreSQL`). */
  label: string
  /** What runs, in the status help's "Exit code 0 when … runs" (default: the label). */
  subject?: string
  statusSummary: string
  stopSummary: string
  status: (homeDir: string) => Promise<S>
  /** More about a running server: fields added to the JSON, lines printed under the status line. */
  details?: (status: S) => Promise<{ json: Record<string, unknown>; lines: string[] }>
  stop: (homeDir: string) => Promise<boolean>
}

/** The server's `status` and `stop` subcommands. */
export function localServerCommands<S extends { running: boolean; pid?: number; port?: number; url?: string }>(
  server: LocalServer<S>,
): { status: Command; stop: Command } {
  return { status: statusCommand(server), stop: stopCommand(server) }
}

function statusCommand<S extends { running: boolean; pid?: number; port?: number; url?: string }>(
  server: LocalServer<S>,
): Command {
  return {
    name: 'status',
    summary: server.statusSummary,
    options: {
      json: { type: 'boolean', description: 'print JSON' },
    },
    notes: `Exit code 0 when ${server.subject ?? server.label} runs, 3 when it does not.`,
    async run(args: ParsedArgs, ctx: CliContext) {
      const status = await server.status(ctx.homeDir)
      const details = server.details ? await server.details(status) : { json: {}, lines: [] }
      if (flag(args, 'json')) writeJson(ctx.stdout, { ...status, ...details.json })
      else {
        writeLine(
          ctx.stdout,
          status.running ? `${server.label} running ${runningAt(status)}` : `${server.label} not running`,
        )
        for (const line of details.lines) writeLine(ctx.stdout, line)
      }
      return status.running ? 0 : 3
    },
  }
}

function stopCommand<S extends { running: boolean }>(server: LocalServer<S>): Command {
  return {
    name: 'stop',
    summary: server.stopSummary,
    options: {
      json: { type: 'boolean', description: 'print JSON' },
    },
    async run(args: ParsedArgs, ctx: CliContext) {
      const stopped = await server.stop(ctx.homeDir)
      if (flag(args, 'json')) writeJson(ctx.stdout, { stopped })
      else writeLine(ctx.stdout, stopped ? `${server.label} stopped` : `${server.label} was not running`)
      return 0
    },
  }
}
