/**
 * The adapter between the command declarations (command.ts) and commander: a command's options and arguments become
 * a commander command, so parsing, `--help` and completion come from one declaration. Nothing here exits the
 * process: commander's exits are turned into exit codes (help 0, usage error 2, one line on stderr).
 */
import { Writable } from 'node:stream'
import type { CommanderError } from 'commander'
import { Argument, Command as Program, InvalidArgumentError, Option } from 'commander'
import type { ParsedArgs } from './args.ts'
import type { ArgumentDecl, Command, OptionDecl } from './command.ts'
import type { CliContext } from './context.ts'

export interface CliStreams {
  readonly stdout: Writable
  readonly stderr: Writable
}

/** Where help goes when only its text is wanted. */
const nowhere = new Writable({ write: (_chunk, _encoding, done) => done() })

/** A usage error commander found, with the command it belongs to (`topics create`). */
class ParseFailure extends Error {
  readonly path: string
  readonly error: CommanderError
  constructor(path: string, error: CommanderError) {
    super(error.message)
    this.path = path
    this.error = error
  }
}

/**
 * A commander command wired to `streams`: no process.exit, no error printed by commander itself. Its own options
 * count only before a subcommand's name (commander would otherwise take `isobar schemas get s --version 2` as the
 * top-level --version).
 */
export function configured(name: string, path: string, streams: CliStreams): Program {
  return new Program(name)
    .enablePositionalOptions()
    .exitOverride((error) => {
      throw new ParseFailure(path, error)
    })
    .configureOutput({
      writeOut: (text) => streams.stdout.write(text),
      writeErr: (text) => streams.stderr.write(text),
      outputError: () => undefined,
    })
    .helpOption('-h, --help', 'print this help')
    .helpCommand(false)
}

function toOption(name: string, decl: OptionDecl): Option {
  const flags = `${decl.short === undefined ? '' : `-${decl.short}, `}--${name}${decl.type === 'string' ? ` <${decl.value ?? 'value'}>` : ''}`
  const description = decl.default === undefined ? decl.description : `${decl.description} (default: ${decl.default})`
  const option = new Option(flags, description)
  if (decl.type === 'boolean') return option
  if (decl.choices) option.choices(decl.choices)
  const { choices, multiple } = decl
  // Our own parser: keeps the value a string, checks choices, collects a repeatable option (commander would let a
  // repeated option overwrite the earlier one).
  return option.argParser((value: string, previous: string[] | string | undefined) => {
    if (choices && !choices.includes(value)) {
      throw new InvalidArgumentError(`Allowed choices are ${choices.join(', ')}.`)
    }
    return multiple ? [...(Array.isArray(previous) ? previous : []), value] : value
  })
}

function toArgument(decl: ArgumentDecl): Argument {
  const name = `${decl.name}${decl.variadic ? '...' : ''}`
  const argument = new Argument(decl.required ? `<${name}>` : `[${name}]`, decl.description)
  return decl.choices === undefined ? argument : argument.choices(decl.choices)
}

/** The values of a parsed command, by the declared long names (`replication-factor`, `no-alerts`). */
function parsedArgs(program: Program): ParsedArgs {
  const opts = program.opts<Record<string, string | boolean | string[] | undefined>>()
  const values: ParsedArgs['values'] = {}
  for (const option of program.options) {
    const name = option.long?.slice(2)
    if (name === undefined || name === 'help') continue
    const value = opts[option.attributeName()]
    // `--no-alerts` is declared as a flag of its own: given, it is true (commander would store alerts=false).
    values[name] = option.negate ? (value === false ? true : undefined) : value
  }
  return { values, positionals: [...program.args] }
}

/** What the parse chose to run. */
export interface Chosen {
  readonly command: Command
  readonly args: ParsedArgs
}

/**
 * The commander command of `command` (and of its subcommands), under `parentPath` (`['topics']` for `create`).
 * `onChosen` receives the leaf command the arguments select, with its parsed arguments.
 */
export function toProgram(
  command: Command,
  parentPath: readonly string[],
  streams: CliStreams,
  onChosen: (chosen: Chosen) => void = () => undefined,
): Program {
  const path = [...parentPath, command.name]
  const program = configured(command.name, path.join(' '), streams).description(command.summary)
  if (command.subcommands) {
    program.usage('<command> [options]')
    for (const sub of command.subcommands) program.addCommand(toProgram(sub, path, streams, onChosen))
  } else {
    for (const argument of command.arguments ?? []) program.addArgument(toArgument(argument))
    for (const [name, decl] of Object.entries(command.options ?? {})) program.addOption(toOption(name, decl))
    if (command.passthroughArgs) program.allowUnknownOption().allowExcessArguments()
    program.action(() => onChosen({ command, args: parsedArgs(program) }))
  }
  if (command.notes !== undefined) program.addHelpText('after', `\n${command.notes}`)
  return program
}

/**
 * Runs commander's parse of `argv` on `program` (whose own name is not in argv). Returns the exit code when the
 * parse ends the invocation (help shown: 0; usage error: one line on stderr, 2), else undefined.
 */
export async function parseInto(
  program: Program,
  argv: readonly string[],
  streams: CliStreams,
): Promise<number | undefined> {
  try {
    await program.parseAsync([...argv], { from: 'user' })
    return undefined
  } catch (error) {
    if (!(error instanceof ParseFailure)) throw error
    const { code, exitCode, message } = error.error
    if (code === 'commander.helpDisplayed' || code === 'commander.version') return 0
    // A group without its subcommand: commander printed the group's help (to stderr).
    if (code === 'commander.help') return exitCode === 0 ? 0 : 2
    const problem = message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ')
    const where = error.path === '' ? 'isobar' : `isobar ${error.path}`
    streams.stderr.write(`${where}: ${problem} (see \`${where} --help\`)\n`)
    return 2
  }
}

/** The commander command at `path` under `root` (`['topics', 'create']`), if there is one. */
export function findProgram(root: Program, path: readonly string[]): Program | undefined {
  let current: Program | undefined = root
  for (const name of path) current = current?.commands.find((c) => c.name() === name)
  return current
}

/**
 * Parses `argv` for `command` (as `isobar <parentPath…> <command> argv…`) and runs it: the exit code. For tests and
 * callers holding a command; runCli does the same for the command table.
 */
export async function invokeCommand(
  command: Command,
  argv: readonly string[],
  ctx: CliContext,
  parentPath: readonly string[] = [],
): Promise<number> {
  let chosen: Chosen | undefined
  const program = toProgram(command, parentPath, ctx, (c) => (chosen = c))
  const code = await parseInto(program, argv, ctx)
  if (code !== undefined) return code
  if (chosen === undefined) throw new Error(`isobar ${[...parentPath, command.name].join(' ')}: no command was chosen`)
  return chosen.command.run(chosen.args, ctx)
}

/** The full help of `program` as `--help` prints it (helpInformation() leaves out the text added after it). */
export function renderHelp(program: Program): string {
  let text = ''
  program.configureOutput({ writeOut: (chunk) => (text += chunk) })
  program.outputHelp()
  return text
}

/** The generated `--help` text of `command` under `parentPath` (`['db']` for `isobar db status`). */
export function helpText(command: Command, parentPath: readonly string[] = []): string {
  const sink = { stdout: nowhere, stderr: nowhere }
  let program = toProgram(command, parentPath, sink)
  for (const name of [...parentPath].reverse()) program = configured(name, '', sink).addCommand(program)
  const root = configured('isobar', '', sink).addCommand(program)
  const found = findProgram(root, [...parentPath, command.name])
  return found === undefined ? '' : renderHelp(found)
}
