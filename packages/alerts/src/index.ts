// @isobar/alerts: a pure alert engine (rules, lifecycle, hysteresis, dedup, flapping, acks, silences) and a thin
// Kafka adapter. Reusable for any message type through a small accessor (sensors, weather observations).
export * from './errors.ts'
export { parseDuration, formatDuration } from './duration.ts'
export { fieldAccessor, type FieldAccessorOptions, type SampleAccessor } from './accessor.ts'
export { alertKey, splitAlertKey, type AlertChange, type AlertEvent } from './events.ts'
export { loadRulesFile, parseRules, parseRulesText } from './rules/load.ts'
export { rulesFileSchema, ruleSchemas } from './rules/schema.ts'
export {
  RULE_TYPES,
  SEVERITIES,
  type AlertRule,
  type FlappingPolicy,
  type RateOfChangeRule,
  type RuleType,
  type Severity,
  type StaleRule,
  type StuckRule,
  type ThresholdRule,
} from './rules/types.ts'
export { parseAlertCommand, type AlertCommand, type Silence } from './commands.ts'
export type { AlertPhase, AlertState, AlertStatus } from './instance.ts'
export {
  AlertEngine,
  type AlertEngineOptions,
  type CommandResult,
  type CommandStatus,
  type EngineStats,
} from './engine.ts'
export {
  DEFAULT_ALERTS_TOPIC,
  DEFAULT_COMMANDS_TOPIC,
  alertCommandRecord,
  alertEventRecord,
  createAlertCommand,
  decodeAlertCommand,
  decodeAlertEvent,
  encodeAlertCommand,
  encodeAlertEvent,
  type NewAlertCommand,
} from './kafka/codec.ts'
export { readLatestAlerts } from './kafka/latest.ts'
export { AlertRunner, type AlertRunnerOptions } from './kafka/runner.ts'
export {
  DEFAULT_DETECTOR_PARAMS,
  MAX_SCORE,
  baselineOf,
  detect,
  episodeOf,
  isDetectorState,
  newDetectorState,
  type DetectorChange,
  type DetectorParams,
  type DetectorState,
  type DetectorStep,
} from './anomaly/detector.ts'
