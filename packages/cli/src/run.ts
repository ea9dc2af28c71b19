import { readFileSync } from 'node:fs'
import type { Command } from './command.ts'
import type { CliContext } from './context.ts'
import { benchCommand } from './commands/bench.ts'
import { consumeCommand } from './commands/consume.ts'
import { groupsCommand } from './commands/groups.ts'
import { kafkaCommand } from './commands/kafka.ts'
import { produceCommand } from './commands/produce.ts'
import { registryCommand } from './commands/registry.ts'
import { schemasCommand } from './commands/schemas.ts'
import { startCommand } from './commands/start.ts'
import { topicsCommand } from './commands/topics.ts'
import { weatherCommand } from './commands/weather.ts'
import { simulateCommand } from './commands/simulate.ts'
import { alertsCommand } from './commands/alerts.ts'
import { dlqCommand } from './commands/dlq.ts'
import { logsCommand } from './commands/logs.ts'
import { mqttCommand } from './commands/mqtt.ts'
import { learnCommand } from './commands/learn.ts'
import { dbCommand } from './commands/db.ts'
import { connectCommand } from './commands/connect.ts'

export const commands: Command[] = [
  startCommand,
  kafkaCommand,
  topicsCommand,
  groupsCommand,
  produceCommand,
  consumeCommand,
  registryCommand,
  schemasCommand,
  benchCommand,
  weatherCommand,
  simulateCommand,
  alertsCommand,
  dlqCommand,
  logsCommand,
  mqttCommand,
  learnCommand,
  dbCommand,
  connectCommand,
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

export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    ctx.stdout.write(`${usage()}\n`)
    return name === undefined ? 2 : 0
  }
  if (name === '--version' || name === '-V') {
    ctx.stdout.write(`isobar ${packageVersion()} (Node ${process.version})\n`)
    return 0
  }
  const command = commands.find((c) => c.name === name)
  if (!command) {
    ctx.stderr.write(`isobar: unknown command "${name}" (run \`isobar --help\` for the list)\n`)
    return 2
  }
  if (!command.passthroughArgs && (rest.includes('--help') || rest.includes('-h'))) {
    ctx.stdout.write(`${command.help}\n`)
    return 0
  }
  return command.run(rest, ctx)
}
