import type { CliContext } from './context.ts'

export interface Command {
  readonly name: string
  readonly summary: string
  /** Full --help text. */
  readonly help: string
  /** Hand every argument, --help included, to `run` (e.g. Kafka's own tools). */
  readonly passthroughArgs?: boolean
  /** Returns the process exit code. */
  run(argv: string[], ctx: CliContext): Promise<number>
}

/**
 * A row of the top-level command table: what `isobar --help` lists, and how to import the command. Keeping the
 * table free of command modules keeps `isobar`, `--help` and `--version` from loading every command's dependencies.
 */
export interface CommandEntry {
  readonly name: string
  readonly summary: string
  /** Imports the command's module; called only when the command is chosen. */
  load(): Promise<Command>
}

/** A command loaded on dispatch: `lazyCommand({ name, summary, load: async () => (await import(…)).xCommand })`. */
export function lazyCommand(entry: CommandEntry): CommandEntry {
  return {
    name: entry.name,
    summary: entry.summary,
    async load() {
      const command = await entry.load()
      if (command.name !== entry.name) {
        throw new Error(`the command table entry "${entry.name}" loaded the command "${command.name}"`)
      }
      return command
    },
  }
}

/** A command made of subcommands (`isobar topics list`). */
export function commandGroup(name: string, summary: string, subcommands: Command[]): Command {
  const help = [
    `Usage: isobar ${name} <command> [options]`,
    '',
    summary,
    '',
    'Commands:',
    ...subcommands.map((c) => `  ${c.name.padEnd(16)} ${c.summary}`),
    '',
    `Run \`isobar ${name} <command> --help\` for the options of one command.`,
  ].join('\n')
  return {
    name,
    summary,
    help,
    passthroughArgs: true,
    async run(argv, ctx) {
      const [sub, ...rest] = argv
      if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
        ctx.stdout.write(`${help}\n`)
        return sub === undefined ? 2 : 0
      }
      const command = subcommands.find((c) => c.name === sub)
      if (!command) {
        ctx.stderr.write(
          `isobar ${name}: unknown command "${sub}" (expected one of: ${subcommands.map((c) => c.name).join(', ')})\n`,
        )
        return 2
      }
      if (!command.passthroughArgs && (rest.includes('--help') || rest.includes('-h'))) {
        ctx.stdout.write(`${command.help}\n`)
        return 0
      }
      return command.run(rest, ctx)
    },
  }
}
