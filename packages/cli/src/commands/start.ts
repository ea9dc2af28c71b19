import { randomBytes } from 'node:crypto'
import { assertKafkaReachable } from '@isobar/core'
import { flag, intOption } from '../args.ts'
import type { Command } from '../command.ts'
import { writeJson, writeLine } from '../context.ts'
import { platformServices } from '../platform.ts'
import { Supervisor } from '../supervisor.ts'
import { logDir } from '../service-log.ts'
import { UsageError } from '../errors.ts'
import { securityMode, serviceCredentialEnv } from '../kafka-security.ts'
import { startLocalCluster } from './kafka.ts'
import { startMqttEdge } from './mqtt-edge.ts'
import { psqlCommand, startHistory, type RunningHistory } from './history-edge.ts'
import type { RunningMosquitto } from '@isobar/kafka-local'

/**
 * `npm start`: Kafka first (KAFKA_BOOTSTRAP_SERVERS, or the local cluster, started in the background or reused),
 * then every platform service as a child process in the foreground until Ctrl-C / SIGTERM.
 */
export const startCommand: Command = {
  name: 'start',
  summary: 'Run the whole platform: Kafka, Schema Registry and the services',
  options: {
    nodes: {
      type: 'string',
      value: '1|3',
      description: 'size of the local Kafka when it has to be started',
      default: '1',
    },
    'kafka-only': { type: 'boolean', description: 'start Kafka, print how to connect and exit' },
    'registry-port': { type: 'string', value: 'P', description: 'Schema Registry port', default: '8081' },
    'console-port': {
      type: 'string',
      value: 'P',
      description: 'Admin API port (default 8080); token from ISOBAR_CONSOLE_TOKEN or generated',
    },
    verbose: { type: 'boolean', description: 'show every log line on the terminal, not only warnings and errors' },
    'no-mqtt': {
      type: 'boolean',
      description: 'sensors produce to Kafka directly instead of publishing through Mosquitto (MQTT edge)',
    },
    'no-history': {
      type: 'boolean',
      description: 'no PostgreSQL + Kafka Connect history sink (started when PostgreSQL 15 is installed)',
    },
    secure: {
      type: 'boolean',
      description:
        'local Kafka with SASL_SSL and ACLs (or ISOBAR_KAFKA_SECURITY=sasl_ssl); each service connects as its own principal (see `isobar kafka start --help`)',
    },
    json: { type: 'boolean', description: 'with --kafka-only: print {"kafka": {"bootstrapServers": …}}' },
  },
  notes: [
    'Starts (or reuses) the local Kafka — or uses KAFKA_BOOTSTRAP_SERVERS — then runs the platform services in',
    'the foreground. Each service logs to <ISOBAR_HOME>/logs/<service>.log (read them with `isobar logs`); the',
    'terminal shows only warnings and errors, one line each. Ctrl-C stops the services (they flush first); the',
    'local Kafka keeps running until `isobar kafka stop`.',
  ].join('\n'),
  async run(args, ctx) {
    const nodes = intOption(args, 'start', 'nodes', 1)
    const security = securityMode(args, ctx.env, 'start')
    const registryPort = intOption(args, 'start', 'registry-port', 8081)
    const consolePort = intOption(args, 'start', 'console-port', 8080)
    const consoleToken = ctx.env.ISOBAR_CONSOLE_TOKEN || randomBytes(24).toString('base64url')
    let bootstrapServers: string
    let source: 'external' | 'local'
    let kafkaEnv: Record<string, Record<string, string>> | undefined
    if (ctx.env.KAFKA_BOOTSTRAP_SERVERS) {
      if (security !== undefined) {
        throw new UsageError(
          'start: --secure / ISOBAR_KAFKA_SECURITY apply to the local Kafka, not to KAFKA_BOOTSTRAP_SERVERS',
          'for an external cluster set KAFKA_SASL_* and KAFKA_TLS_* instead',
        )
      }
      const config = ctx.kafkaConfig()
      await assertKafkaReachable(config.bootstrapServers)
      bootstrapServers = config.bootstrapServers.join(',')
      source = 'external'
    } else {
      const cluster = await startLocalCluster(ctx, nodes === 3 ? 3 : 1, undefined, security)
      bootstrapServers = cluster.bootstrapServers
      kafkaEnv = serviceCredentialEnv(cluster)
      source = 'local'
    }
    if (flag(args, 'kafka-only')) {
      if (flag(args, 'json')) writeJson(ctx.stdout, { kafka: { bootstrapServers, source } })
      else writeLine(ctx.stdout, `Kafka (${source}): ${bootstrapServers}  — stop with \`npx isobar kafka stop\``)
      return 0
    }

    // The device edge: sensors publish over MQTT through Mosquitto and the ingest bridge (issue #17). Without
    // Mosquitto (or on a secured cluster, where the bridge has no principal yet) they produce to Kafka directly.
    let mqtt: { mosquitto: RunningMosquitto; homeDir: string } | undefined
    if (flag(args, 'no-mqtt') || security === 'sasl_ssl') {
      mqtt = undefined
    } else {
      try {
        mqtt = { mosquitto: await startMqttEdge({ homeDir: ctx.homeDir }), homeDir: ctx.homeDir }
      } catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error)
        writeLine(ctx.stderr, `start: MQTT edge not started (${reason}); sensors produce to Kafka directly`)
      }
    }

    const supervisor = new Supervisor(ctx.stdout, { logHomeDir: ctx.homeDir, verbose: flag(args, 'verbose') })
    const stopped = new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve())
      process.once('SIGTERM', () => resolve())
    })
    try {
      for (const spec of platformServices({
        repoRoot: ctx.repoRoot,
        bootstrapServers,
        registryPort,
        consolePort,
        consoleToken,
        ...(kafkaEnv === undefined ? {} : { kafkaEnv }),
        ...(mqtt === undefined ? {} : { mqtt }),
      })) {
        writeLine(ctx.stderr, `start: ${spec.name}…`)
        await supervisor.waitReady(supervisor.start(spec, { ...ctx.env }))
      }
    } catch (error) {
      await supervisor.stopAll()
      throw error
    }
    // History: PostgreSQL + Kafka Connect (issue #17), after the registry is up (the converter reads schemas there).
    let history: RunningHistory | undefined
    if (!flag(args, 'no-history') && security !== 'sasl_ssl') {
      writeLine(ctx.stderr, 'start: history (PostgreSQL + Kafka Connect)…')
      try {
        history = await startHistory(ctx, `http://127.0.0.1:${registryPort}`)
      } catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error)
        writeLine(ctx.stderr, `start: history sink not started (${reason})`)
      }
    }
    writeLine(ctx.stdout, '')
    writeLine(ctx.stdout, `Isobar is up. Kafka (${source}): ${bootstrapServers}`)
    writeLine(ctx.stdout, `  Schema Registry: http://127.0.0.1:${registryPort}`)
    writeLine(ctx.stdout, `  Console:         http://127.0.0.1:${consolePort}/  (sign in with the API token)`)
    writeLine(ctx.stdout, `  Admin API:       http://127.0.0.1:${consolePort}/api (docs: /api/docs)`)
    writeLine(
      ctx.stdout,
      `  API token:       ${consoleToken}   (Authorization: Bearer <token>; set ISOBAR_CONSOLE_TOKEN to choose it)`,
    )
    writeLine(
      ctx.stdout,
      '  Weather Streamer: simulated stations + Seattle replay -> weather.observations (metrics :9464)',
    )
    writeLine(
      ctx.stdout,
      mqtt === undefined
        ? '  Sensor Analytics: 1,000 simulated sensors -> sensors.readings -> sensors.aggregates, sensors.alerts (:9465)'
        : `  Sensor Analytics: 1,000 simulated MQTT devices -> ${mqtt.mosquitto.url} -> ingest (:9466) -> sensors.readings -> sensors.aggregates, sensors.alerts (:9465)`,
    )
    writeLine(ctx.stdout, `  try: npx isobar consume weather.observations --max-messages 10 --json`)
    writeLine(ctx.stdout, `  try: npx isobar consume sensors.aggregates --max-messages 10 --json  (first after ~1 min)`)
    writeLine(ctx.stdout, `  try: npx isobar topics list  |  curl http://127.0.0.1:${registryPort}/subjects`)
    if (history)
      writeLine(
        ctx.stdout,
        `  History:         PostgreSQL :${history.db.port} <- Kafka Connect ${history.connectUrl} (${history.connectors.length} connectors); ${psqlCommand(history.db)}`,
      )
    writeLine(ctx.stdout, `  Logs:            ${logDir(ctx.homeDir)}  (npx isobar logs <service> --follow)`)
    writeLine(
      ctx.stdout,
      history
        ? '  Ctrl-C stops the services; `npx isobar kafka stop`, `npx isobar connect stop`, `npx isobar db stop` the rest.'
        : '  Ctrl-C stops the services; `npx isobar kafka stop` stops Kafka.',
    )
    const anyExit = Promise.race(supervisor.services.map((s) => s.exited.then((code) => ({ name: s.spec.name, code }))))
    const outcome = await Promise.race([stopped.then(() => undefined), anyExit])
    await supervisor.stopAll()
    if (outcome) {
      writeLine(ctx.stderr, `start: ${outcome.name} exited with code ${outcome.code}; stopped the others`)
      return 1
    }
    return 0
  },
}
