import { readFileSync } from 'node:fs'
import type { Command as Program } from 'commander'
import { lazyCommand, type CommandEntry } from './command.ts'
import type { CliContext } from './context.ts'
import { configured, findProgram, parseInto, renderHelp, toProgram, type Chosen, type CliStreams } from './program.ts'

export type { CliStreams } from './program.ts'

/**
 * The command table: names and summaries only. A command's module (and everything it imports: Kafka client,
 * benches, lessons, …) is loaded when that command is chosen, so `isobar --version` and `isobar --help` stay cheap.
 */
export const commands: CommandEntry[] = [
  lazyCommand({
    name: 'start',
    summary: 'Run the whole platform: Kafka, Schema Registry and the services',
    load: async () => (await import('./commands/start.ts')).startCommand,
  }),
  lazyCommand({
    name: 'kafka',
    summary: 'Run a local Apache Kafka and its own tools',
    load: async () => (await import('./commands/kafka.ts')).kafkaCommand,
  }),
  lazyCommand({
    name: 'topics',
    summary: 'Manage Kafka topics',
    load: async () => (await import('./commands/topics.ts')).topicsCommand,
  }),
  lazyCommand({
    name: 'groups',
    summary: 'Inspect consumer groups, their lag, and move their offsets',
    load: async () => (await import('./commands/groups.ts')).groupsCommand,
  }),
  lazyCommand({
    name: 'produce',
    summary: 'Produce lines from stdin to a topic',
    load: async () => (await import('./commands/produce.ts')).produceCommand,
  }),
  lazyCommand({
    name: 'consume',
    summary: 'Print records of a topic (kcat-like)',
    load: async () => (await import('./commands/consume.ts')).consumeCommand,
  }),
  lazyCommand({
    name: 'registry',
    summary: 'Run the Schema Registry',
    load: async () => (await import('./commands/registry.ts')).registryCommand,
  }),
  lazyCommand({
    name: 'schemas',
    summary: 'Manage message schemas in the Schema Registry',
    load: async () => (await import('./commands/schemas.ts')).schemasCommand,
  }),
  lazyCommand({
    name: 'bench',
    summary: "Compare Isobar with Kafka's own perf tools",
    load: async () => (await import('./commands/bench.ts')).benchCommand,
  }),
  lazyCommand({
    name: 'weather',
    summary: 'Weather Streamer: sources of weather observations',
    load: async () => (await import('./commands/weather.ts')).weatherCommand,
  }),
  lazyCommand({
    name: 'simulate',
    summary: 'Simulated data sources (IoT sensors) and file replay',
    load: async () => (await import('./commands/simulate.ts')).simulateCommand,
  }),
  lazyCommand({
    name: 'alerts',
    summary: 'Alert state, acknowledgements and silences',
    load: async () => (await import('./commands/alerts.ts')).alertsCommand,
  }),
  lazyCommand({
    name: 'dlq',
    summary: 'Dead-letter topics: inspect dead letters, replay them',
    load: async () => (await import('./commands/dlq.ts')).dlqCommand,
  }),
  lazyCommand({
    name: 'logs',
    summary: 'Read the logs of the services `npm start` runs',
    load: async () => (await import('./commands/logs.ts')).logsCommand,
  }),
  lazyCommand({
    name: 'mqtt',
    summary: 'The local Mosquitto MQTT broker (the device edge)',
    load: async () => (await import('./commands/mqtt.ts')).mqttCommand,
  }),
  lazyCommand({
    name: 'learn',
    summary: 'The learning path: Kafka concepts, each run on a real cluster',
    load: async () => (await import('./commands/learn.ts')).learnCommand,
  }),
  lazyCommand({
    name: 'db',
    summary: 'The local PostgreSQL holding the history (Kafka Connect sink)',
    load: async () => (await import('./commands/db.ts')).dbCommand,
  }),
  lazyCommand({
    name: 'connect',
    summary: 'Kafka Connect: the worker and connectors writing history to PostgreSQL',
    load: async () => (await import('./commands/connect.ts')).connectCommand,
  }),
  lazyCommand({
    name: 'completion',
    summary: 'Print a shell completion script (bash or zsh) for every command and option',
    load: async () =>
      (await import('./commands/completion.ts')).completionCommand(() => Promise.all(commands.map((c) => c.load()))),
  }),
]

const ENVIRONMENT_NOTE = [
  'Environment: KAFKA_BOOTSTRAP_SERVERS=host:port,… points every command at an existing cluster',
  '(default: the local cluster started by `isobar kafka start`, else 127.0.0.1:9092).',
  'Run `isobar <command> --help` (or `isobar help <command>`) for details.',
].join('\n')

/** The version in the CLI's package.json (one place to bump). */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: unknown
  }
  return typeof manifest.version === 'string' ? manifest.version : 'unknown'
}

/** The top-level program: `isobar`, its version, and (with `listed`) the table's names and summaries, no module. */
function topProgram(streams: CliStreams, listed: readonly CommandEntry[]): Program {
  const program = configured('isobar', '', streams)
    .usage('<command> [options]')
    .description('Real-time weather and IoT-sensor telemetry on Apache Kafka.')
    .version(`isobar ${packageVersion()} (Node ${process.version})`, '-V, --version', 'print the version')
    .addHelpText('after', `\n${ENVIRONMENT_NOTE}`)
  for (const entry of listed) program.command(entry.name).description(entry.summary)
  return program
}

/** `isobar --help`: the commands of the table, generated from it. */
export function usage(streams: CliStreams): string {
  return renderHelp(topProgram(streams, commands)).trimEnd()
}

/**
 * Dispatches one invocation and returns its exit code (2 usage, 1 failure, 3 not running, as commands say).
 * `context` builds the command context (it loads the Kafka client layer), so it is called only once a command is
 * chosen and about to run.
 */
export async function runCli(argv: string[], streams: CliStreams, context: () => Promise<CliContext>): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined) {
    streams.stdout.write(`${usage(streams)}\n`)
    return 2
  }
  if (name === 'help') return rest.length === 0 ? showUsage(streams) : help(rest, streams)
  const entry = commands.find((c) => c.name === name)
  if (entry === undefined) {
    if (name.startsWith('-')) return (await parseInto(topProgram(streams, commands), argv, streams)) ?? 2
    streams.stderr.write(`isobar: unknown command "${name}" (run \`isobar --help\` for the list)\n`)
    return 2
  }
  const command = await entry.load()
  // A passthrough command gets its arguments untouched (Kafka's own tools take their own --help).
  const passthrough = command.subcommands ? command.subcommands.find((c) => c.name === rest[0]) : command
  if (passthrough?.passthroughArgs) {
    const args = command.subcommands ? rest.slice(1) : rest
    // Its own help only when asked before any argument (`isobar kafka tool --help`), or with no argument at all.
    if (args.length === 0) return help([...argv], streams, 2)
    if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) return help(argv.slice(0, -1), streams)
    return passthrough.run({ values: {}, positionals: args }, await context())
  }
  if (command.subcommands && rest.length === 0) return help([name], streams, 2)
  // `isobar topics help [create]`, as `isobar help topics [create]`.
  if (command.subcommands && rest[0] === 'help') return help([name, ...rest.slice(1)], streams)
  let chosen: Chosen | undefined
  const program = topProgram(streams, []).addCommand(toProgram(command, [], streams, (c) => (chosen = c)))
  const code = await parseInto(program, argv, streams)
  if (code !== undefined) return code
  if (chosen === undefined) throw new Error(`isobar ${argv.join(' ')}: no command was chosen`)
  return chosen.command.run(chosen.args, await context())
}

function showUsage(streams: CliStreams): number {
  streams.stdout.write(`${usage(streams)}\n`)
  return 0
}

/** `isobar help <command> [<subcommand>]`: the generated help of that command, on stdout. */
async function help(path: readonly string[], streams: CliStreams, exitCode = 0): Promise<number> {
  const entry = commands.find((c) => c.name === path[0])
  if (entry === undefined) {
    streams.stderr.write(`isobar help: unknown command "${path[0]}" (run \`isobar --help\` for the list)\n`)
    return 2
  }
  const program = topProgram(streams, []).addCommand(toProgram(await entry.load(), [], streams))
  const found = findProgram(program, path)
  if (found === undefined) {
    streams.stderr.write(`isobar help: unknown command "${path.join(' ')}" (see \`isobar ${path[0]} --help\`)\n`)
    return 2
  }
  streams.stdout.write(renderHelp(found))
  return exitCode
}
