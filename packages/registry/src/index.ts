// @isobar/registry: a Confluent-Schema-Registry-compatible server storing its state in a compacted _schemas topic.
export { buildRegistryApp, DEFAULT_BODY_LIMIT, type RegistryAppDeps } from './app.ts'
export { startRegistry, type RunningRegistry, type StartRegistryOptions } from './server.ts'
export { Registry, type RegistryOptions } from './registry/registry.ts'
export { KafkaSchemaLog, type KafkaSchemaLogOptions } from './kafka-log.ts'
export { KafkaLeaderElection, type KafkaLeaderElectionOptions } from './election.ts'
export type { Leadership } from './http/forward.ts'
export { MemorySchemaLog, type LogRecord, type SchemaLog } from './store/schema-log.ts'
export {
  RegistryError,
  RegistryErrorCatalogue,
  RegistryErrorCodes,
  isRegistryError,
  type RegistryErrorCode,
} from './errors.ts'
export {
  COMPATIBILITY_LEVELS,
  parseCompatibilityLevel,
  type CompatibilityLevel,
  type CompatibilityResult,
} from './compatibility/levels.ts'
export { diffSchemas, type DiffOptions } from './compatibility/json-diff.ts'
export { canRead } from './compatibility/json-check.ts'
export type { CompatibilityPolicy, Difference, DifferenceType } from './compatibility/differences.ts'
export { REGISTRY_ENV, registryConfigFromEnv, type RegistryProcessConfig } from './config.ts'
