/**
 * buildIngest: the MQTT bridge and the HTTP endpoint over one Kafka producer, without process state, so tests
 * drive it directly. `start()` checks the topics, binds the readings subject's latest schema, then connects;
 * `stop()` closes the HTTP server (answering what it accepted), drains the bridge (every received message into
 * Kafka and acknowledged) and closes the producer.
 */
import {
  BatchingProducer,
  JsonSerde,
  type KafkaClient,
  type Logger,
  type Producer,
  type Registry,
  type SchemaSource,
} from '@isobar/core'
import { latestSchema, TopicNames } from '@isobar/schemas'
import type { FastifyInstance } from 'fastify'
import type { IngestConfig } from './config.ts'
import { buildHttpIngest } from './http/produce.ts'
import { IngestMetrics } from './metrics.ts'
import { MqttBridge } from './mqtt/bridge.ts'
import { ReadingCodec } from './reading-codec.ts'

export interface IngestDeps {
  config: IngestConfig
  kafka: KafkaClient
  registry: SchemaSource
  /** Batching of the bridge's producer (from the Kafka config). */
  batching: { maxRecords: number; maxBytes: number; lingerMs: number; maxInFlight: number }
  metrics: Registry
  logger: Logger
  now?: () => number
}

export interface Ingest {
  /** Resolves once everything configured runs; `httpPort` is the bound port (useful with port 0). */
  start(): Promise<{ httpPort?: number }>
  stop(): Promise<void>
  isReady(): boolean
  readonly metrics: IngestMetrics
}

export function buildIngest(deps: IngestDeps): Ingest {
  const { config, logger } = deps
  const metrics = new IngestMetrics(deps.metrics)
  let producer: Producer | undefined
  let batching: BatchingProducer | undefined
  let bridge: MqttBridge | undefined
  let http: FastifyInstance | undefined
  let started = false
  let stopping: Promise<void> | undefined

  return {
    metrics,
    async start() {
      const admin = deps.kafka.admin()
      let partitions: number
      try {
        const [readings] = await admin.describeTopics([config.topics.readings, config.topics.deadLetter])
        partitions = readings?.partitions.length ?? 1
      } finally {
        await admin.close()
      }
      const serde = new JsonSerde({ registry: deps.registry })
      // The bridge produces sensor readings: it registers the catalogue's reading schema (or finds it registered),
      // like every other producer, so it can start before any simulator or device has.
      const { schemaId } = await serde.prepare(
        `${config.topics.readings}-value`,
        latestSchema(TopicNames.SENSORS_READINGS),
      )
      const codec = new ReadingCodec({ serde, topic: config.topics.readings, ...(deps.now ? { now: deps.now } : {}) })
      producer = deps.kafka.producer({ idempotent: true })
      batching = new BatchingProducer(producer, deps.batching)
      let httpPort: number | undefined
      if (config.mqtt) {
        bridge = new MqttBridge({
          ...config.mqtt,
          codec,
          producer: batching,
          deadLetterTopic: config.topics.deadLetter,
          metrics,
          logger: logger.child({ component: 'mqtt' }),
          ...(deps.now ? { now: deps.now } : {}),
        })
        await bridge.start()
      }
      if (config.http) {
        http = buildHttpIngest({
          config: config.http,
          codec,
          producer,
          partitions,
          valueSchemaId: schemaId,
          metrics,
          logger: logger.child({ component: 'http' }),
          ...(deps.now ? { now: deps.now } : {}),
        })
        await http.listen({ port: config.http.port, host: config.http.host })
        const address = http.server.address()
        httpPort = typeof address === 'object' && address ? address.port : config.http.port
      }
      started = true
      logger.info({ mqtt: config.mqtt?.url, httpPort, schemaId }, 'ingest started')
      return httpPort === undefined ? {} : { httpPort }
    },
    stop() {
      stopping ??= (async () => {
        started = false
        await http?.close()
        await bridge?.stop()
        await batching?.flush()
        await producer?.close()
        logger.info('ingest stopped')
      })()
      return stopping
    },
    isReady: () => started && (bridge === undefined || bridge.connected),
  }
}
