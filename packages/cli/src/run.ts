import { readFileSync } from 'node:fs'
import type { Writable } from 'node:stream'
import { lazyCommand, type CommandEntry } from './command.ts'
import type { CliContext } from './context.ts'

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
]

export function usage(): string {
  return [
    'Usage: isobar <command> [options]',
    '',
    'Real-time weather and IoT-sensor telemetry on Apache Kafka.',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
    '',
    'Environment: KAFKA_BOOTSTRAP_SERVERS=host:port,… points every command at an existing cluster',
    '(default: the local cluster started by `isobar kafka start`, else 127.0.0.1:9092).',
    'Run `isobar <command> --help` for details.',
  ].join('\n')
}

/** The version in the CLI's package.json (one place to bump). */
function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version?: unknown
  }
  return typeof manifest.version === 'string' ? manifest.version : 'unknown'
}

/** Where the top-level answers (usage, version, unknown command) go, before any command or context is loaded. */
export interface CliStreams {
  readonly stdout: Writable
  readonly stderr: Writable
}

/**
 * Dispatches one invocation. `context` builds the command context (it loads the Kafka client layer), so it is
 * called only once a command is chosen and about to run.
 */
export async function runCli(argv: string[], streams: CliStreams, context: () => Promise<CliContext>): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    streams.stdout.write(`${usage()}\n`)
    return name === undefined ? 2 : 0
  }
  if (name === '--version' || name === '-V') {
    streams.stdout.write(`isobar ${packageVersion()} (Node ${process.version})\n`)
    return 0
  }
  const entry = commands.find((c) => c.name === name)
  if (!entry) {
    streams.stderr.write(`isobar: unknown command "${name}" (run \`isobar --help\` for the list)\n`)
    return 2
  }
  const command = await entry.load()
  if (!command.passthroughArgs && (rest.includes('--help') || rest.includes('-h'))) {
    streams.stdout.write(`${command.help}\n`)
    return 0
  }
  return command.run(rest, await context())
}
