// @isobar/core: the only package that wires Kafka clients, configuration, logging and metrics.
export * from './errors.ts'
export { KAFKA_ENV, kafkaConfigFromEnv, type Env } from './config/env.ts'
export {
  DEFAULT_BOOTSTRAP_SERVERS,
  deepFreeze,
  kafkaConfigSchema,
  parseKafkaConfig,
  splitBootstrapServers,
  type KafkaConfig,
} from './config/kafka-config.ts'
export {
  DEFAULT_KAFKA_PROFILE,
  KAFKA_PROFILES,
  PROFILE_SETTINGS,
  type KafkaProfile,
  type ProfileSettings,
} from './config/kafka-profiles.ts'
export { DEFAULT_FETCH, FETCH_LIMITS, resolveFetchSettings, type FetchSettings } from './kafka/fetch-options.ts'
export { compileConfigSchema, type ConfigCheck } from './config/schema-config.ts'
export {
  configProblem,
  definedEntries,
  LOG_LEVEL_VAR,
  loadConfig,
  renderConfigurationDoc,
  type EnvConfig,
  type EnvSchema,
  type EnvVar,
} from './config/load-config.ts'
export { createLogger, silentLogger, type Logger, type LoggerSettings } from './logger.ts'
export { exitOnShutdownSignals } from './shutdown.ts'
export {
  createHttpMetrics,
  createMetricsRegistry,
  Counter,
  Gauge,
  Histogram,
  Registry,
  type HttpMetrics,
} from './metrics.ts'
export { startMonitoringServer, type MonitoringServer } from './monitoring-server.ts'
export type * from './kafka/types.ts'
export { CLASSIC_ASSIGNORS } from './kafka/types.ts'
export { createKafkaClient } from './kafka/create-client.ts'
export { assertKafkaReachable, tcpProbe } from './kafka/probe.ts'
export {
  murmur2,
  javaPartitionForKey,
  partitionChooser,
  PARTITIONER_NAMES,
  type CustomPartitioner,
  type PartitionChooser,
  type PartitionerChoice,
  type PartitionerName,
} from './kafka/partitioner.ts'
export { RECORD_REFUSALS, recordRefusalCode } from './kafka/platformatic/errors.ts'
export {
  BatchingProducer,
  type BatchingProducerOptions,
  type BatchingStats,
  type DeliveryCallback,
} from './kafka/batching-producer.ts'
export * from './serde/index.ts'
export {
  evaluatePartition,
  LAG_STATUS_CODES,
  worstStatus,
  lagSampleOf,
  type LagSample,
  type LagStatus,
  type LagStatusContext,
  type PartitionStatus,
} from './lag/status.ts'
export {
  LagMonitor,
  type GroupLagStatus,
  type LagMonitorOptions,
  type LagMonitorTimers,
  type PartitionLagStatus,
} from './lag/monitor.ts'
export { registerLagMetrics } from './lag/metrics.ts'
