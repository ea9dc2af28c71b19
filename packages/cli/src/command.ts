import type { ParsedArgs } from './args.ts'
import type { CliContext } from './context.ts'

/**
 * One option of a command, declared once: parsing, `--help` and shell completion all come from it (program.ts
 * turns it into a commander option). Values stay strings (`type: 'string'`) or `true` (`type: 'boolean'`); numbers
 * are checked by the command (args.ts intOption), without coercion, so a bad value is a usage error naming it.
 */
export interface OptionDecl {
  readonly type: 'string' | 'boolean'
  /** One letter: `-p` for `--partitions`. */
  readonly short?: string
  /** Repeatable: every occurrence is kept, in order. */
  readonly multiple?: boolean
  /** The value's name in help: `--partitions <N>`. */
  readonly value?: string
  readonly description: string
  /** What applies without the option, as help shows it (`1`, `the broker default`). */
  readonly default?: string
  /** The only values accepted; anything else is a usage error listing them. */
  readonly choices?: readonly string[]
}

export type OptionDecls = Readonly<Record<string, OptionDecl>>

/** A positional argument: `<topic>` (required), `[file]`, `<topic...>` (variadic). */
export interface ArgumentDecl {
  readonly name: string
  readonly description?: string
  readonly required?: boolean
  readonly variadic?: boolean
  /** The only values accepted (completion offers them). */
  readonly choices?: readonly string[]
}

export interface Command {
  readonly name: string
  readonly summary: string
  readonly options?: OptionDecls
  readonly arguments?: readonly ArgumentDecl[]
  /** Prose after the generated help (what it does, examples, exit codes); never a second list of the options. */
  readonly notes?: string
  /** A command group (`isobar topics <command>`): its `run` is not called, a subcommand's is. */
  readonly subcommands?: readonly Command[]
  /** Hand every argument, --help included, to `run` as positionals, unparsed (e.g. Kafka's own tools). */
  readonly passthroughArgs?: boolean
  /** Runs with the parsed arguments; returns the process exit code. */
  run(args: ParsedArgs, ctx: CliContext): Promise<number>
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

/** A command made of subcommands (`isobar topics list`); program.ts dispatches to the subcommand. */
export function commandGroup(name: string, summary: string, subcommands: Command[]): Command {
  return {
    name,
    summary,
    subcommands,
    run: () => Promise.reject(new Error(`isobar ${name} is a command group: run one of its subcommands`)),
  }
}
