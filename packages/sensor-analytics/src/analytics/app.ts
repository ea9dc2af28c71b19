/**
 * Sensor Analytics, built and testable without ports: three windowed stream runners (sensor panes, zone minutes,
 * 5-minute hopping windows), the alert engine over the same readings, poison records to the dead-letter topic,
 * and metrics. main.ts adds the HTTP endpoints and signals.
 */
import {
  DeadLetterRouter,
  createJsonValueEncoder,
  Gauge,
  LagMonitor,
  registerLagMetrics,
  DEFAULT_MAX_DEAD_LETTER_BYTES,
  SchemaRegistryClient,
  SubjectSchemaIds,
  silentLogger,
  type Admin,
  type KafkaClient,
  type Logger,
  type Producer,
  type Registry,
} from '@isobar/core'
import { AlertEngine, AlertRunner, fieldAccessor, loadRulesFile } from '@isobar/alerts'
import { latestSchema, type SensorReading, type TopicName, TopicNames, valueSubject } from '@isobar/schemas'
import {
  StreamRunner,
  changelogTopicOf,
  createTopologyTopics,
  type StreamRunnerHealth,
  type WindowedTopology,
} from '@isobar/stream'
import { AnalyticsTopicsError } from '../errors.ts'
import type { AnalyticsStage, SensorAnalyticsConfig } from './config.ts'
import { createReadingDecoder } from './reading.ts'
import { analyticsTopologies, type AnalyticsTopics } from './topologies.ts'
import { DetectorParamsTable } from './anomaly/params.ts'

export interface SensorAnalyticsOptions {
  config: SensorAnalyticsConfig
  kafka: KafkaClient
  metrics: Registry
  logger?: Logger
  /** Wall clock of the stream runners and the alert engine; injectable for tests. */
  clock?: () => number
}

export interface SensorAnalytics {
  readonly topics: AnalyticsTopics
  /** The consumer groups the service runs (stream stages, then alerts when enabled). */
  readonly groups: string[]
  start(): Promise<void>
  /** Commits what is pending, flushes alerts, leaves the groups. */
  stop(): Promise<void>
  /** True once every stage has its assignment and none is restoring state. */
  isReady(): boolean
  /** Per stage: ready, and why not when it keeps failing (restarts in a row, last error, where). */
  health(): Record<string, StreamRunnerHealth>
  stats(): Record<string, ReturnType<StreamRunner<unknown, unknown>['stats']>>
}

/** Values of `topic` validated against the catalogue's latest schema; the registry wire format with a registry. */
function valueEncoder(config: SensorAnalyticsConfig, topic: string, catalogueTopic: TopicName) {
  return createJsonValueEncoder({
    ...(config.registryUrl ? { registry: new SchemaRegistryClient({ url: config.registryUrl }) } : {}),
    subject: valueSubject(topic),
    schema: latestSchema(catalogueTopic),
  })
}

/** Creates what the service writes to when missing; the internal topics get as many partitions as the readings. */
type AnyTopology = WindowedTopology<unknown, unknown>

/** Returns the partition count of the readings topic (which the internal topics share). */
async function ensureTopics(
  admin: Admin,
  config: SensorAnalyticsConfig,
  topologies: AnyTopology[],
  panesTopic: string,
): Promise<number> {
  const t = config.topics
  const base = { replicationFactor: t.replicationFactor }
  try {
    await admin.createTopics([{ name: t.readings, partitions: t.partitions, ...base }], { ifNotExists: true })
    const [readings] = await admin.describeTopics([t.readings])
    const partitions = readings?.partitions.length ?? t.partitions
    const shared = [t.deadLetter, ...(config.alerts.enabled ? [config.alerts.topic] : [])]
    await admin.createTopics(
      [
        ...shared.map((name) => ({ name, partitions: t.partitions, ...base })),
        ...(config.alerts.enabled ? [{ name: config.alerts.commandsTopic, partitions: 1, ...base }] : []),
      ],
      { ifNotExists: true },
    )
    // The panes topic repartitions stage 1's output by zone for stage 2: as many partitions as the readings.
    await admin.createTopics([{ name: panesTopic, partitions, ...base }], { ifNotExists: true })
    for (const topology of topologies) await createTopologyTopics(admin, topology, { partitions, ...base })
    const [panes] = await admin.describeTopics([panesTopic])
    if (panes && panes.partitions.length !== partitions) {
      throw new Error(`${panesTopic} has ${panes.partitions.length} partitions, ${t.readings} ${partitions}`)
    }
    return partitions
  } catch (error) {
    throw new AnalyticsTopicsError(`Cannot create the topics of sensor analytics: ${String(error)}`, error)
  }
}

export async function createSensorAnalytics(options: SensorAnalyticsOptions): Promise<SensorAnalytics> {
  const { config, kafka, metrics } = options
  const logger = options.logger ?? silentLogger()
  const clock = options.clock ?? Date.now
  const appId = config.applicationId
  const topics: AnalyticsTopics = {
    readings: config.topics.readings,
    aggregates: config.topics.aggregates,
    panes: config.topics.panes ?? `${appId}-panes`,
    late: config.topics.late ?? `${appId}-late`,
  }
  // Framed readings must carry a version of the readings topic's own subject (asked once per id, then cached).
  const schemaIds = new SubjectSchemaIds({
    registry: config.registryUrl ? new SchemaRegistryClient({ url: config.registryUrl, timeoutMs: 5000 }) : undefined,
    subject: valueSubject(topics.readings),
  })
  const decoder = createReadingDecoder({ schemaIds })
  let partitions = config.topics.partitions
  let encodeErrors = 0
  const topologies = analyticsTopologies({
    applicationId: appId,
    topics,
    windowing: config.windowing,
    decoder,
    ...(config.anomaly.detector.enabled ? { detector: new DetectorParamsTable(config.anomaly.detector) } : {}),
    partitions: () => partitions,
    output: {
      encode: await valueEncoder(config, config.topics.aggregates, TopicNames.SENSORS_AGGREGATES),
      zThreshold: config.anomaly.zThreshold,
      minCount: config.anomaly.minCount,
      clock,
      onEncodeError(error, aggregate) {
        encodeErrors++
        logger.error({ err: error, entity: aggregate.sensorId, field: aggregate.field }, 'aggregate not encodable')
      },
    },
  })
  const allStages: Record<AnalyticsStage, AnyTopology> = {
    panes: topologies.panes as AnyTopology,
    'zone-1m': topologies.zoneMinutes as AnyTopology,
    hopping: topologies.hopping as AnyTopology,
  }
  const stages = Object.fromEntries(config.stages.map((stage) => [stage, allStages[stage]]))
  const rules = config.alerts.enabled ? await loadRulesFile(config.alerts.rulesFile) : []
  const encodeAlert = config.alerts.enabled
    ? await valueEncoder(config, config.alerts.topic, TopicNames.SENSORS_ALERTS)
    : undefined

  let deadLetterProducer: Producer | undefined
  let deadLetters: DeadLetterRouter | undefined
  const runners = new Map<string, StreamRunner<unknown, unknown>>()
  let alertRunner: AlertRunner<SensorReading> | undefined

  registerStageMetrics(metrics, runners, () => encodeErrors)
  const groups = [
    ...Object.values(stages).map((t) => t.applicationId),
    ...(config.alerts.enabled ? [`${appId}-alerts`] : []),
  ]
  // Burrow-style lag status of every group the service runs, on /metrics (isobar_consumer_lag_*).
  const lagAdmin = kafka.admin()
  const lag = new LagMonitor({
    admin: lagAdmin,
    groups,
    intervalMs: config.lag.intervalMs,
    windowSize: config.lag.window,
    logger,
  })
  registerLagMetrics(metrics, lag)

  return {
    topics,
    groups,
    async start() {
      const admin = kafka.admin()
      let maxDeadLetterBytes: number
      try {
        partitions = await ensureTopics(admin, config, Object.values(allStages), topics.panes)
        maxDeadLetterBytes = await maxMessageBytes(admin, config.topics.deadLetter, logger)
      } finally {
        await admin.close()
      }
      await schemaIds.preload().catch((error: unknown) => {
        logger.warn({ err: error }, 'readings schema versions not known yet; each id is asked for when seen')
      })
      deadLetterProducer = kafka.producer({ idempotent: true })
      deadLetters = new DeadLetterRouter({
        producer: deadLetterProducer,
        metrics,
        logger,
        deadLetterTopic: () => config.topics.deadLetter,
        maxRecordBytes: maxDeadLetterBytes,
      })
      for (const [stage, topology] of Object.entries(stages)) {
        const runner = new StreamRunner<unknown, unknown>({
          kafka,
          topology,
          guarantee: config.guarantee,
          instanceId: config.instanceId,
          from: config.from,
          commitIntervalMs: config.commitIntervalMs,
          maxPendingRecords: config.maxPendingRecords,
          sessionTimeoutMs: config.sessionTimeoutMs,
          clock,
          // Written in the stage's own commit (inside its transaction under exactly-once), cut to fit if need be.
          deadLetter: (record, error, attempt) => deadLetters!.deadLetter(record, error, attempt),
          onError: (error) => logger.warn({ err: error, stage }, 'stream stage restarts from committed state'),
        })
        runners.set(stage, runner)
        await runner.start()
        logger.info({ stage, group: topology.applicationId, changelog: changelogTopicOf(topology) }, 'stage started')
      }
      if (config.alerts.enabled) {
        alertRunner = new AlertRunner<SensorReading>({
          client: kafka,
          engine: new AlertEngine<SensorReading>({
            rules,
            accessor: fieldAccessor<SensorReading>({ entity: 'sensorId', time: 'eventTimeMs' }),
            clock,
          }),
          inputTopics: [topics.readings],
          // A bad reading is the stream stage's to dead-letter; the alert engine only skips it.
          decode: (record) => {
            try {
              return decoder.reading(record.value)
            } catch {
              return undefined
            }
          },
          groupId: `${appId}-alerts`,
          alertsTopic: config.alerts.topic,
          commandsTopic: config.alerts.commandsTopic,
          from: config.from,
          tickMs: config.alerts.tickMs,
          ...(encodeAlert ? { encodeEvent: encodeAlert } : {}),
          logger,
          metrics,
        })
        await alertRunner.start()
      }
      lag.start()
    },
    async stop() {
      await lag.stop()
      await lagAdmin.close()
      await Promise.all([...runners.values()].map((r) => r.stop()))
      await alertRunner?.stop()
      await deadLetterProducer?.close()
      deadLetters?.flushLog()
    },
    isReady() {
      return runners.size === Object.keys(stages).length && [...runners.values()].every((r) => r.ready)
    },
    health() {
      return Object.fromEntries([...runners].map(([stage, r]) => [stage, r.health()]))
    },
    stats() {
      return Object.fromEntries([...runners].map(([stage, r]) => [stage, r.stats()]))
    },
  }
}

/** The dead-letter topic's max.message.bytes (dead letters are cut to fit it); Kafka's default if unknown. */
async function maxMessageBytes(admin: Admin, topic: string, logger: Logger): Promise<number> {
  try {
    const value = Number((await admin.describeTopicConfigs(topic))['max.message.bytes'])
    return Number.isInteger(value) && value > 0 ? value : DEFAULT_MAX_DEAD_LETTER_BYTES
  } catch (error) {
    logger.warn({ err: error, topic }, 'max.message.bytes of the dead-letter topic unknown; assuming the default')
    return DEFAULT_MAX_DEAD_LETTER_BYTES
  }
}

function registerStageMetrics(
  metrics: Registry,
  runners: ReadonlyMap<string, StreamRunner<unknown, unknown>>,
  encodeErrors: () => number,
): void {
  const stat = (name: string, help: string, pick: (s: ReturnType<StreamRunner<unknown, unknown>['stats']>) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['stage'],
      registers: [metrics],
      collect() {
        for (const [stage, runner] of runners) this.set({ stage }, pick(runner.stats()))
      },
    })
  stat('isobar_analytics_records_processed', 'Input records processed per stage (since start)', (s) => s.processed)
  stat('isobar_analytics_records_late', 'Records that arrived after their window closed', (s) => s.late)
  stat('isobar_analytics_records_poison', 'Undecodable records sent to the dead-letter topic', (s) => s.poison)
  stat('isobar_analytics_commits', 'Commits (transactions under exactly-once)', (s) => s.commits)
  stat('isobar_analytics_commit_seconds', 'Wall-clock seconds spent committing (since start)', (s) => s.commitMs / 1000)
  stat('isobar_analytics_rebuilds', 'Restarts from committed state after a failure or fencing', (s) => s.rebuilds)
  stat('isobar_analytics_restored_records', 'Changelog records read back into state', (s) => s.restoredRecords)
  stat('isobar_analytics_dead_letters', 'Dead letters committed with the stage outputs', (s) => s.deadLetters)
  stat(
    'isobar_analytics_consecutive_failures',
    'Restarts in a row without committing progress (0 when healthy; see /ready for the reason)',
    (s) => s.consecutiveFailures,
  )
  stat('isobar_analytics_active_tasks', 'Partitions this instance processes', (s) => s.activeTasks)
  new Gauge({
    name: 'isobar_analytics_ready',
    help: '1 when every stage has its assignment and none is restoring state',
    labelNames: ['stage'],
    registers: [metrics],
    collect() {
      for (const [stage, runner] of runners) this.set({ stage }, runner.ready ? 1 : 0)
    },
  })
  new Gauge({
    name: 'isobar_analytics_encode_failures',
    help: 'Aggregates that failed schema validation and were not published',
    registers: [metrics],
    collect() {
      this.set(encodeErrors())
    },
  })
}
