import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  KAFKA_TOOLS,
  brokerMetricsPort,
  ensureJmxExporterJar,
  ensureKafkaJars,
  kafkaToolCommand,
  localKafkaStatus,
  logFiles,
  startLocalKafka,
  stopLocalKafka,
  type BrokerMetricsOptions,
  type LocalKafkaCluster,
  type LocalKafkaSecurityMode,
} from '@isobar/kafka-local'
import { flag, intOption } from '../args.ts'
import { commandGroup, type Command } from '../command.ts'
import { writeJson, writeLine, type CliContext } from '../context.ts'
import { UsageError } from '../errors.ts'
import { securityMode, SECURITY_ENV, toolArgsWithCredentials } from '../kafka-security.ts'

/** Starts the local cluster (or finds it running) and reports progress on stderr. */
export async function startLocalCluster(
  ctx: CliContext,
  nodes: 1 | 3,
  heapMb?: number,
  security?: LocalKafkaSecurityMode,
  metrics?: BrokerMetricsOptions,
): Promise<LocalKafkaCluster> {
  const status = await localKafkaStatus({ homeDir: ctx.homeDir })
  if (status.running && status.cluster && status.cluster.nodes.length !== nodes) {
    throw new UsageError(
      `a ${status.cluster.nodes.length}-node local cluster is already running at ${status.cluster.bootstrapServers}`,
      'stop it first with `isobar kafka stop`',
    )
  }
  const running = status.cluster?.security ? 'sasl_ssl' : 'none'
  if (status.running && status.cluster && security !== undefined && security !== running) {
    throw new UsageError(
      `a local cluster with security ${running} is already running at ${status.cluster.bootstrapServers}`,
      'stop it first with `isobar kafka stop`; switching modes re-formats its storage',
    )
  }
  if (status.running && status.cluster && metrics !== undefined && status.cluster.metrics === undefined) {
    throw new UsageError(
      `a local cluster without broker metrics is already running at ${status.cluster.bootstrapServers}`,
      'stop it first with `isobar kafka stop` (data is kept), then start it with --metrics',
    )
  }
  return startLocalKafka({
    homeDir: ctx.homeDir,
    nodes,
    ...(metrics === undefined ? {} : { metrics }),
    ...(heapMb === undefined ? {} : { heapMb }),
    ...(security === undefined ? {} : { security }),
    onProgress: (p) => writeLine(ctx.stderr, `kafka: ${p.message}`),
  })
}

const start: Command = {
  name: 'start',
  summary: 'Start a local Kafka (KRaft) in the background, or reuse the running one',
  options: {
    nodes: { type: 'string', value: '1|3', description: 'cluster size', default: '1' },
    'heap-mb': { type: 'string', value: 'MB', description: 'heap of each broker JVM', default: '512' },
    secure: {
      type: 'boolean',
      description: `SASL_SSL: SCRAM-SHA-512 over TLS with a CA of its own, ACLs, one principal per service (also ${SECURITY_ENV}=sasl_ssl; without either, a cluster keeps the mode it was formatted with; switching modes re-formats the storage). Credentials: $ISOBAR_HOME/kafka/dev/security (0600)`,
    },
    metrics: {
      type: 'boolean',
      description:
        'broker metrics through the Prometheus JMX exporter agent (rules: deploy/jmx/kafka.yml): node n serves http://127.0.0.1:707<n>/metrics (7071, 7072, 7073); see docs/monitoring.md',
    },
    json: {
      type: 'boolean',
      description: 'print {"bootstrapServers": …, "nodes": […], "reused": …, "security": …, "metrics": …}',
    },
  },
  notes: [
    'Fetches Apache Kafka jars from Maven Central on first use (needs Java 17+ and Maven), formats KRaft storage',
    'and starts combined broker/controller nodes on 127.0.0.1. One node listens on 9092; three nodes on',
    '19092, 19094, 19096 (RF 3, min.insync.replicas 2). State and logs live in $ISOBAR_HOME/kafka/dev.',
  ].join('\n'),
  async run(args, ctx) {
    const security = securityMode(args, ctx.env, 'kafka start')
    const metrics: BrokerMetricsOptions | undefined = flag(args, 'metrics')
      ? { agentJar: await ensureJmxExporterJar(), configFile: join(ctx.repoRoot, 'deploy', 'jmx', 'kafka.yml') }
      : undefined
    const nodes = intOption(args, 'kafka start', 'nodes', 1)
    if (nodes !== 1 && nodes !== 3) throw new UsageError(`kafka start: --nodes must be 1 or 3, got ${nodes}`)
    const heapMb =
      args.values['heap-mb'] === undefined ? undefined : intOption(args, 'kafka start', 'heap-mb', 512, 128)
    const cluster = await startLocalCluster(ctx, nodes, heapMb, security, metrics)
    const metricsUrls = cluster.metrics
      ? cluster.nodes.map((n) => `http://127.0.0.1:${brokerMetricsPort(cluster.metrics!, n.nodeId)}/metrics`)
      : null
    if (flag(args, 'json')) {
      writeJson(ctx.stdout, {
        bootstrapServers: cluster.bootstrapServers,
        reused: cluster.reused,
        kafkaVersion: cluster.kafkaVersion,
        clusterId: cluster.clusterId,
        nodes: cluster.nodes.map((n) => ({ nodeId: n.nodeId, pid: n.pid, port: n.port, logFile: n.logFile })),
        security: cluster.security ?? null,
        metrics: metricsUrls,
      })
    } else {
      writeLine(
        ctx.stdout,
        `Kafka ${cluster.kafkaVersion} ${cluster.reused ? 'already running' : 'started'} (${cluster.nodes.length} node${cluster.nodes.length > 1 ? 's' : ''})`,
      )
      writeLine(ctx.stdout, `  bootstrap servers: ${cluster.bootstrapServers}`)
      if (cluster.security) {
        writeLine(
          ctx.stdout,
          `  security:          SASL_SSL, ${cluster.security.mechanism}, ACLs (one principal per service)`,
        )
        writeLine(ctx.stdout, `  CA certificate:    ${cluster.security.caFile}`)
        writeLine(ctx.stdout, `  admin client:      ${cluster.security.clients.admin}  (isobar commands use it)`)
      } else {
        writeLine(ctx.stdout, `  connect with:      KAFKA_BOOTSTRAP_SERVERS=${cluster.bootstrapServers}`)
      }
      if (metricsUrls) writeLine(ctx.stdout, `  broker metrics:    ${metricsUrls.join(' ')}`)
      writeLine(ctx.stdout, '  stop with:         npx isobar kafka stop')
    }
    return 0
  },
}

const status: Command = {
  name: 'status',
  summary: 'Show whether the local Kafka runs, its nodes and address',
  options: {
    json: { type: 'boolean', description: 'print JSON' },
  },
  notes: 'Exit code 0 when the local cluster runs, 3 when it does not.',
  async run(args, ctx) {
    const s = await localKafkaStatus({ homeDir: ctx.homeDir })
    if (flag(args, 'json')) {
      writeJson(ctx.stdout, {
        running: s.running,
        bootstrapServers: s.cluster?.bootstrapServers ?? null,
        kafkaVersion: s.cluster?.kafkaVersion ?? null,
        security: s.cluster?.security ?? null,
        nodes: s.nodes,
      })
    } else if (!s.cluster) {
      writeLine(ctx.stdout, 'Local Kafka is not running (start it with `npx isobar kafka start`)')
    } else {
      writeLine(
        ctx.stdout,
        `Local Kafka ${s.cluster.kafkaVersion}: ${s.running ? 'running' : 'NOT healthy'} at ${s.cluster.bootstrapServers}` +
          (s.cluster.security ? ` (SASL_SSL ${s.cluster.security.mechanism}, ACLs)` : ''),
      )
      for (const n of s.nodes) {
        writeLine(
          ctx.stdout,
          `  node ${n.nodeId}  pid ${n.pid}  port ${n.port}  ${n.alive ? 'alive' : 'dead'}${n.listening ? ', listening' : ''}`,
        )
      }
    }
    return s.running ? 0 : 3
  },
}

const stop: Command = {
  name: 'stop',
  summary: 'Stop the local Kafka (SIGTERM, then SIGKILL after a timeout)',
  options: {
    purge: { type: 'boolean', description: 'also delete its data and logs' },
    'timeout-ms': {
      type: 'string',
      value: 'MS',
      description: 'how long to wait for the nodes to stop',
      default: '30000',
    },
    json: { type: 'boolean', description: 'print JSON' },
  },
  async run(args, ctx) {
    const stopped = await stopLocalKafka({
      homeDir: ctx.homeDir,
      timeoutMs: intOption(args, 'kafka stop', 'timeout-ms', 30_000),
      removeData: flag(args, 'purge'),
    })
    if (flag(args, 'json')) writeJson(ctx.stdout, { stopped })
    else writeLine(ctx.stdout, stopped ? 'Local Kafka stopped' : 'Local Kafka was not running')
    return 0
  },
}

const logs: Command = {
  name: 'logs',
  summary: "Print the end of each node's server log",
  options: {
    node: { type: 'string', value: 'N', description: 'only the log of this node', default: 'every node' },
    lines: { type: 'string', short: 'n', value: 'N', description: 'how many of the last lines', default: '50' },
    follow: { type: 'boolean', short: 'f', description: 'keep printing lines as they are written' },
  },
  async run(args, ctx) {
    const lines = intOption(args, 'kafka logs', 'lines', 50)
    const only = args.values.node === undefined ? undefined : intOption(args, 'kafka logs', 'node', 1)
    const files = (await logFiles({ homeDir: ctx.homeDir })).filter((f) => only === undefined || f.nodeId === only)
    if (files.length === 0)
      throw new UsageError('kafka logs: no local cluster logs found', 'start one with `isobar kafka start`')
    if (flag(args, 'follow')) {
      const child = spawn('tail', ['-n', String(lines), '-F', ...files.map((f) => f.serverLog)], { stdio: 'inherit' })
      return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)))
    }
    for (const file of files) {
      const text = await readFile(file.serverLog, 'utf8').catch(() => readFile(file.stdoutLog, 'utf8').catch(() => ''))
      if (files.length > 1) writeLine(ctx.stdout, `==> node ${file.nodeId}: ${file.serverLog} <==`)
      ctx.stdout.write(
        `${text
          .split('\n')
          .slice(-lines - 1)
          .join('\n')}\n`,
      )
    }
    return 0
  },
}

const tool: Command = {
  name: 'tool',
  summary: "Run one of Kafka's own tools from the same jars",
  passthroughArgs: true,
  arguments: [
    { name: 'tool', required: true, description: `one of: ${Object.keys(KAFKA_TOOLS).join(', ')}` },
    { name: 'args', variadic: true, description: "the tool's own arguments, passed as they are (--help included)" },
  ],
  notes: [
    "Runs Kafka's own command-line tool with the local Kafka jars, e.g.",
    '  isobar kafka tool kafka-topics --bootstrap-server 127.0.0.1:9092 --list',
    '',
    'Against a secured local cluster, tools that take a client config get the admin one',
    '(--command-config $ISOBAR_HOME/kafka/dev/security/clients/admin.properties) unless you pass your own.',
  ].join('\n'),
  async run({ positionals }, ctx) {
    const [name, ...rest] = positionals
    if (name === undefined) throw new UsageError('kafka tool: missing tool name', 'see `isobar kafka tool --help`')
    const libDir = await ensureKafkaJars()
    const admin = ctx.localKafka()?.credentials
    const args = admin === undefined ? rest : toolArgsWithCredentials(name, rest, admin.propertiesFile)
    const command = kafkaToolCommand(name, args, { libDir })
    const child = spawn(command.command, command.args, { stdio: 'inherit' })
    return new Promise((resolve, reject) => {
      child.once('error', reject)
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
    })
  },
}

export const kafkaCommand = commandGroup('kafka', 'Run a local Apache Kafka and its own tools', [
  start,
  status,
  stop,
  logs,
  tool,
])
