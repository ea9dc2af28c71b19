/**
 * `isobar connect start|stop|status|deploy`: the Kafka Connect worker that writes history into PostgreSQL, and
 * its connectors (deploy/connect/*.json). Logic in @isobar/kafka-local.
 */
import {
  DEFAULT_CONNECT_HEAP_MB,
  DEFAULT_CONNECT_PORT,
  connectStatus,
  connectorStates,
  deployConnectors,
  ensureConnectPlugins,
  postgresStatus,
  readPostgresCredentials,
  startConnect,
  stopConnect,
  type RunningConnect,
} from '@isobar/kafka-local'
import { flag, intOption, listOption } from '../args.ts'
import { commandGroup, type Command } from '../command.ts'
import type { CliContext } from '../context.ts'
import { writeJson, writeLine } from '../context.ts'
import { UsageError } from '../errors.ts'
import { localServerCommands, runningAt } from './local-service.ts'

/** Starts (or reuses) the home's worker on the cluster the CLI resolves; fetches its plugins the first time. */
export async function startHistoryWorker(
  ctx: CliContext,
  options: { port?: number; heapMb?: number } = {},
): Promise<RunningConnect> {
  const kafka = ctx.kafkaConfig()
  if (kafka.sasl !== undefined || kafka.tls !== undefined) {
    throw new UsageError('isobar connect runs on a plaintext cluster only for now (no SASL/TLS worker settings yet)')
  }
  await ensureConnectPlugins({ onProgress: (message) => ctx.stderr.write(`${message}\n`) })
  return startConnect({
    homeDir: ctx.homeDir,
    bootstrapServers: kafka.bootstrapServers.join(','),
    port: options.port ?? DEFAULT_CONNECT_PORT,
    heapMb: options.heapMb ?? DEFAULT_CONNECT_HEAP_MB,
  })
}

/** Creates or updates the history connectors against the home's PostgreSQL and the CLI's registry. */
export async function deployHistoryConnectors(
  ctx: CliContext,
  url: string,
  options: { only?: readonly string[]; registryUrl?: string } = {},
) {
  const only = options.only
  const db = await postgresStatus({ homeDir: ctx.homeDir })
  const credentials = await readPostgresCredentials({ homeDir: ctx.homeDir })
  if (!db.running || credentials === undefined) {
    throw new UsageError('PostgreSQL is not running: start it first with `isobar db start`')
  }
  const admin = (await ctx.kafka()).admin()
  let brokers: number
  try {
    brokers = (await admin.describeCluster()).brokers.length
  } finally {
    await admin.close()
  }
  return deployConnectors({
    url,
    variables: {
      topicPrefix: '',
      registryUrl: options.registryUrl ?? ctx.registryUrl,
      jdbcUrl: `jdbc:postgresql://127.0.0.1:${db.port}/isobar`,
      dbUser: credentials.owner.username,
      dbPassword: credentials.owner.password,
      replicationFactor: String(Math.min(3, Math.max(1, brokers))),
    },
    ...(only === undefined || only.length === 0 ? {} : { only }),
  })
}

const start: Command = {
  name: 'start',
  summary: 'Start a Kafka Connect worker (distributed mode, REST on 127.0.0.1) with the history sink plugins',
  options: {
    port: { type: 'string', value: 'P', description: `REST port on 127.0.0.1`, default: `${DEFAULT_CONNECT_PORT}` },
    'heap-mb': { type: 'string', value: 'M', description: `JVM heap`, default: `${DEFAULT_CONNECT_HEAP_MB}` },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  notes: [
    "Runs Apache Kafka's Connect runtime (same jars as the broker) in the background (reused if running), group",
    'isobar-connect with its config/offset/status topics in the cluster, plugins: the Debezium JDBC sink and',
    "Isobar's registry converter (fetched/built by Maven the first time: npm run connect:jars).",
  ].join('\n'),
  async run(args, ctx) {
    const port = intOption(args, 'connect start', 'port', DEFAULT_CONNECT_PORT)
    const heapMb = intOption(args, 'connect start', 'heap-mb', DEFAULT_CONNECT_HEAP_MB, 128)
    const worker = await startHistoryWorker(ctx, { port, heapMb })
    if (flag(args, 'json')) writeJson(ctx.stdout, worker)
    else writeLine(ctx.stdout, `Kafka Connect ${worker.reused ? 'already running' : 'started'} ${runningAt(worker)}`)
    return 0
  },
}

const { status, stop } = localServerCommands({
  group: 'connect',
  label: 'Kafka Connect',
  subject: 'the worker',
  statusSummary: 'Is the worker running (exit 0) or not (exit 3), and the state of each connector',
  stopSummary: 'Stop the worker by its pid (it commits its offsets and leaves its group)',
  status: (homeDir) => connectStatus({ homeDir }),
  stop: (homeDir) => stopConnect({ homeDir }),
  // Each connector's state and its tasks' (none when the worker is down or its REST API does not answer).
  async details(worker) {
    const connectors = worker.running && worker.url ? await connectorStates(worker.url).catch(() => []) : []
    const lines = connectors.map((c) => {
      const tasks = c.tasks.map((task) => `${task.id}:${task.state}`).join(' ')
      return `  ${c.name.padEnd(32)} ${c.state.padEnd(10)} tasks ${tasks || '-'}`
    })
    return { json: { connectors }, lines }
  },
})

const deploy: Command = {
  name: 'deploy',
  summary: 'Create or update the history connectors (deploy/connect/*.json) and wait until they run',
  options: {
    only: {
      type: 'string',
      multiple: true,
      value: 'NAME',
      description: 'deploy only this definition (file name without .json); repeatable',
    },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  notes: [
    'PUT /connectors/<name>/config for each definition in deploy/connect/ (idempotent), filled with the home',
    "PostgreSQL's owner login and SCHEMA_REGISTRY_URL; waits until each connector and its tasks are RUNNING.",
  ].join('\n'),
  async run(args, ctx) {
    const worker = await connectStatus({ homeDir: ctx.homeDir })
    if (!worker.running || worker.url === undefined) {
      throw new UsageError('Kafka Connect is not running: start it first with `isobar connect start`')
    }
    const deployed = await deployHistoryConnectors(ctx, worker.url, { only: listOption(args, 'only') })
    if (flag(args, 'json')) writeJson(ctx.stdout, deployed)
    else
      for (const d of deployed)
        writeLine(ctx.stdout, `${d.name}: ${d.created ? 'created' : 'updated'}, ${d.state} (${d.tasks} task(s))`)
    return 0
  },
}

export const connectCommand = commandGroup(
  'connect',
  'Kafka Connect: the worker and connectors writing history to PostgreSQL',
  [start, status, stop, deploy],
)
