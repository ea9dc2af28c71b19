/** `isobar db start|stop|status`: the local PostgreSQL holding the history (logic in @isobar/kafka-local). */
import {
  DEFAULT_DB_PORT,
  DEFAULT_RETENTION_DAYS,
  postgresStatus,
  startPostgres,
  stopPostgres,
} from '@isobar/kafka-local'
import { flag, intOption } from '../args.ts'
import { commandGroup, type Command } from '../command.ts'
import { writeJson, writeLine } from '../context.ts'
import { localServerCommands, runningAt } from './local-service.ts'

const start: Command = {
  name: 'start',
  summary: 'Start PostgreSQL 15 on 127.0.0.1 with the history schema (data under the Isobar home)',
  options: {
    port: { type: 'string', value: 'P', description: `port on 127.0.0.1`, default: `${DEFAULT_DB_PORT}` },
    'retention-days': {
      type: 'string',
      value: 'D',
      description: `keep this many days of history`,
      default: `${DEFAULT_RETENTION_DAYS}`,
    },
    json: { type: 'boolean', description: 'print the result as JSON (it holds the connection URLs and passwords)' },
  },
  notes: [
    'Initialises <home>/db once (roles isobar = owner, isobar_reader = read-only; passwords in',
    '<home>/db/credentials.json), starts it with pg_ctl in the background (reused if running), applies',
    'deploy/history/schema.sql and deletes history older than the retention (docs/history.md).',
  ].join('\n'),
  async run(args, ctx) {
    const port = intOption(args, 'db start', 'port', DEFAULT_DB_PORT)
    const retentionDays = intOption(args, 'db start', 'retention-days', DEFAULT_RETENTION_DAYS)
    const db = await startPostgres({ homeDir: ctx.homeDir, port, retentionDays })
    const result = {
      pid: db.pid,
      port: db.port,
      reused: db.reused,
      dir: db.dir,
      socketDir: db.socketDir,
      ownerUrl: db.ownerUrl,
      readerUrl: db.readerUrl,
      pruned: db.pruned,
    }
    if (flag(args, 'json')) writeJson(ctx.stdout, result)
    else
      writeLine(
        ctx.stdout,
        `PostgreSQL ${db.reused ? 'already running' : 'started'} ${runningAt(db)}; ` +
          `psql -h ${db.socketDir} -p ${db.port} -U isobar isobar`,
      )
    return 0
  },
}

const { status, stop } = localServerCommands({
  group: 'db',
  label: 'PostgreSQL',
  statusSummary: "Is the home's PostgreSQL running (exit 0) or not (exit 3)",
  stopSummary: "Stop the home's PostgreSQL by its pid (fast shutdown: clients are disconnected, data flushed)",
  status: (homeDir) => postgresStatus({ homeDir }),
  stop: (homeDir) => stopPostgres({ homeDir }),
})

export const dbCommand = commandGroup('db', 'The local PostgreSQL holding the history (Kafka Connect sink)', [
  start,
  status,
  stop,
])
