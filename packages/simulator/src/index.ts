// @isobar/simulator: simulated IoT sensors and the replay of real sensor history, as Kafka records.
export {
  DEFAULT_FAULT_RATES,
  FAULTS_HEADER,
  FAULT_KINDS,
  NO_FAULTS,
  isFaultKind,
  type FaultKind,
  type FaultRates,
} from './sensors/faults.ts'
export { SeededRandom, mulberry32 } from './random.ts'
export {
  DEFAULT_NOISE_FLOORS,
  MEASURED_FIELDS,
  METRIC_FIELD,
  MODELS,
  SENSOR_TYPES,
  type MeasuredField,
  type MetricField,
  type SensorModel,
  type SensorType,
} from './sensors/sensor-types.ts'
export {
  SensorSimulator,
  type SimulatedReading,
  type SimulatedReadingValue,
  type SimulatedSensor,
  type SimulatorOptions,
  type SimulatorStats,
} from './sensors/generator.ts'
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
} from './sensors/encode.ts'
export {
  runSimulation,
  type SimulationProgress,
  type SimulationRunOptions,
  type SimulationSummary,
} from './sensors/run.ts'
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
export { ReplayInputError, SimulatorErrorCodes } from './errors.ts'
