/**
 * The history sink for `npm start`: PostgreSQL (isobar db start), the Kafka Connect worker (isobar connect start)
 * and the connectors (isobar connect deploy). Optional like the MQTT edge: without PostgreSQL 15 installed, or on
 * a secured cluster, `start` says so in one line and runs without it.
 */
import { startPostgres, type RunningPostgres } from '@isobar/kafka-local'
import type { CliContext } from '../context.ts'
import { deployHistoryConnectors, startHistoryWorker } from './connect.ts'

export interface RunningHistory {
  db: RunningPostgres
  connectUrl: string
  connectors: string[]
}

export async function startHistory(ctx: CliContext, registryUrl: string): Promise<RunningHistory> {
  const db = await startPostgres({ homeDir: ctx.homeDir })
  const worker = await startHistoryWorker(ctx)
  const deployed = await deployHistoryConnectors(ctx, worker.url, { registryUrl })
  return { db, connectUrl: worker.url, connectors: deployed.map((d) => d.name) }
}

/** The psql command for the history, as the README gives it. */
export function psqlCommand(db: Pick<RunningPostgres, 'socketDir' | 'port'>): string {
  return `psql -h ${db.socketDir} -p ${db.port} -U isobar isobar`
}
