// @isobar/sensor-analytics: the IoT sensor simulator (the analytics service comes on top of the stream engine).
export {
  DEFAULT_FAULT_RATES,
  FAULTS_HEADER,
  FAULT_KINDS,
  NO_FAULTS,
  isFaultKind,
  type FaultKind,
  type FaultRates,
} from './simulator/faults.ts'
export { SeededRandom } from './simulator/random.ts'
export {
  METRIC_FIELD,
  MODELS,
  SENSOR_TYPES,
  type MetricField,
  type SensorModel,
  type SensorType,
} from './simulator/sensor-types.ts'
export {
  SensorSimulator,
  type SimulatedReading,
  type SimulatedReadingValue,
  type SimulatedSensor,
  type SimulatorOptions,
  type SimulatorStats,
} from './simulator/generator.ts'
export {
  READING_FORMATS,
  isReadingFormat,
  jsonReadingEncoder,
  jsonReadingEncoding,
  readingRecord,
  registryReadingEncoding,
  type ReadingEncoder,
  type ReadingEncoding,
  type ReadingFormat,
  type RegistryReadingEncodingOptions,
} from './simulator/encode.ts'
export {
  runSimulation,
  type SimulationProgress,
  type SimulationRunOptions,
  type SimulationSummary,
} from './simulator/run.ts'
export { parseCsv, type CsvTable } from './replay/csv.ts'
export {
  SINGLE_HOP_MAPPING,
  mapRows,
  parseMapping,
  type MappedRow,
  type ReplayMapping,
  type TimeMapping,
} from './replay/mapping.ts'
export {
  LABEL_HEADER,
  replayRecord,
  runReplay,
  type ReplayOptions,
  type ReplayProgress,
  type ReplaySummary,
} from './replay/run.ts'
export { ReplayInputError, SensorAnalyticsErrorCatalogue } from './errors.ts'
export { DEFAULT_NOISE_FLOORS } from './analytics/anomaly/params.ts'
export { ANALYTICS_ENV, analyticsConfigFromEnv } from './analytics/env.ts'
