// @isobar/stream: event-time windowed aggregation on Kafka with changelog-backed state and exactly-once commits.
export {
  hopping,
  session,
  tumbling,
  windowStartsFor,
  type SessionWindows,
  type TimeWindows,
  type WindowSpec,
} from './windows.ts'
export {
  WindowedAggregator,
  type Aggregation,
  type AggregatorStats,
  type IdleClose,
  type ProcessResult,
  type WindowResult,
  type WindowedAggregatorOptions,
} from './aggregator.ts'
export {
  WindowStore,
  encodeChange,
  encodeClosedUntil,
  encodeDrained,
  encodeStreamTime,
  jsonSerde,
  restoreFromChangelog,
  type AggregateSerde,
  type ClosedUntilChange,
  type StoreChange,
  type WindowState,
} from './store.ts'
export {
  changelogTopicOf,
  createTopologyTopics,
  defaultOutput,
  type OutputRecord,
  type ParsedRecord,
  type TaskProgress,
  type Watermark,
  type WindowedTopology,
} from './topology.ts'
export { LATE_HEADER } from './task.ts'
export { KeyValueTable, TABLE_KEY_PREFIX, type KeyedState } from './table.ts'
export { StreamRunner, type ProcessingGuarantee, type StreamRunnerOptions, type StreamRunnerStats } from './runner.ts'
export type { DeadLetter, RecordPosition } from './task.ts'
export type { StreamRunnerHealth } from './failures.ts'
export * from './errors.ts'
