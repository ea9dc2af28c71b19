/**
 * `startRegistry(options)`: the registry as a running service on Kafka. Ensures `_schemas`, reads it to the end
 * (ready), joins the leader election, then listens. `isobar registry start` and main.ts call this.
 */
import { hostname } from 'node:os'
import type { KafkaClient, Logger } from '@isobar/core'
import type { FastifyInstance } from 'fastify'
import { buildRegistryApp } from './app.ts'
import { CheckPool } from './compatibility/check-pool.ts'
import type { CompatibilityLevel } from './compatibility/levels.ts'
import type { SchemaLimits } from './compatibility/limits.ts'
import type { BasicAuthOptions } from './http/auth.ts'
import { KafkaLeaderElection } from './election.ts'
import { KafkaSchemaLog } from './kafka-log.ts'
import { Registry } from './registry/registry.ts'

export interface StartRegistryOptions {
  /** Default 8081. */
  port?: number
  /** Default 0.0.0.0. */
  host?: string
  kafka: KafkaClient
  logger?: Logger
  /** URL other instances use to reach this one. Default `http://<hostname>:<port>`. */
  instanceUrl?: string
  /** Default `_schemas`. */
  topic?: string
  /** Default `_schemas_leader`. */
  leaderTopic?: string
  /** Default `isobar-registry-leader`. */
  groupId?: string
  defaultCompatibility?: CompatibilityLevel
  /** Largest request body in bytes. Default 1 MiB. */
  bodyLimit?: number
  /** Schema size/shape limits and the work budget of one compatibility check. */
  limits?: Partial<SchemaLimits>
  /** Worker threads running compatibility checks. Default 1. */
  compatibilityWorkers?: number
  /** Checks waiting for a worker before new ones get 429. Default 16. */
  compatibilityQueue?: number
  /** HTTP basic auth; off when absent. */
  basicAuth?: BasicAuthOptions
  /** How long start waits for a leader to be known before listening anyway. Default 15 s. */
  electionWaitMs?: number
}

export interface RunningRegistry {
  /** The address it listens on. */
  url: string
  instanceUrl: string
  app: FastifyInstance
  registry: Registry
  election: KafkaLeaderElection
  /** Stops listening (in-flight requests finish), leaves the election, closes Kafka clients. */
  close(): Promise<void>
}

export async function startRegistry(options: StartRegistryOptions): Promise<RunningRegistry> {
  const port = options.port ?? 8081
  const host = options.host ?? '0.0.0.0'
  const logger = options.logger
  const log = new KafkaSchemaLog({
    client: options.kafka,
    ...(options.topic ? { topic: options.topic } : {}),
    onError: (error) => logger?.warn({ err: error }, 'schemas log consumer failed; restarting it'),
  })
  const registry = new Registry(log, {
    ...(options.limits ? { limits: options.limits } : {}),
    checker: new CheckPool({
      ...(options.compatibilityWorkers !== undefined ? { size: options.compatibilityWorkers } : {}),
      ...(options.compatibilityQueue !== undefined ? { maxQueue: options.compatibilityQueue } : {}),
    }),
    ...(options.defaultCompatibility ? { defaultCompatibility: options.defaultCompatibility } : {}),
    onRecordError: (error, record) => logger?.warn({ err: error, offset: String(record.offset) }, 'skipped record'),
  })
  let election: KafkaLeaderElection | undefined
  try {
    await log.ensureTopic()
    await registry.start()
    logger?.info({ topic: log.topic, offset: String(registry.state.lastOffset) }, 'schemas log read to the end')

    const app = buildRegistryApp({
      registry,
      ...(logger ? { logger } : {}),
      ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
      ...(options.basicAuth ? { basicAuth: options.basicAuth } : {}),
      leadership: { isLeader: () => election?.isLeader() ?? false, leaderUrl: () => election?.leaderUrl() },
    })
    const address = await app.listen({ port, host })
    const boundPort = Number(new URL(address).port) || port
    const instanceUrl =
      options.instanceUrl ?? `http://${host === '0.0.0.0' || host === '::' ? hostname() : host}:${boundPort}`
    election = new KafkaLeaderElection({
      client: options.kafka,
      instanceUrl,
      ...(options.leaderTopic ? { topic: options.leaderTopic } : {}),
      ...(options.groupId ? { groupId: options.groupId } : {}),
      beforeLeading: () => registry.replica.catchUp(),
      onChange: (event) => logger?.info(event, 'registry leadership changed'),
      onError: (error) => logger?.warn({ err: error }, 'leader election consumer or announcement failed; retrying'),
    })
    await election.start()
    if (!(await election.settled(options.electionWaitMs ?? 15_000))) {
      logger?.warn('no registry leader known yet; writes answer 50004 until one is elected')
    }
    const running: RunningRegistry = {
      url: address,
      instanceUrl,
      app,
      registry,
      election,
      async close() {
        await app.close()
        await election?.close()
        await log.close()
        await registry.close()
      },
    }
    return running
  } catch (error) {
    await election?.close()
    await log.close()
    await registry.close()
    throw error
  }
}
