// Mergeable window statistics: plain-JSON state, exact merges (see sketch.ts and field-stats.ts).
export {
  DEFAULT_SKETCH_ACCURACY,
  DEFAULT_SKETCH_MAX_BUCKETS,
  addToSketch,
  emptySketch,
  forEachSketchBucket,
  mergeSketches,
  sketchCount,
  sketchQuantile,
  type QuantileSketch,
  type SketchBucket,
  type SketchStore,
} from './sketch.ts'
export {
  DEFAULT_MIN_COUNT,
  DEFAULT_Z_THRESHOLD,
  addSample,
  emptyFieldStats,
  mergeFieldStats,
  summarizeFieldStats,
  type FieldAnomaly,
  type FieldStats,
  type FieldSummary,
  type FieldSummaryOptions,
} from './field-stats.ts'
export { compactFieldStats, expandFieldStats, type CompactFieldStats } from './compact.ts'
