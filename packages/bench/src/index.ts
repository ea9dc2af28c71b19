// @isobar/bench: Isobar's producer and consumer against Kafka's own perf tools, same broker, same settings.
export { runProduceBench, type ProduceBenchOptions, type ProduceBenchResult } from './produce.ts'
export { runConsumeBench, type ConsumeBenchOptions, type ConsumeBenchResult } from './consume.ts'
export {
  benchSettings,
  COMPRESSIONS,
  DEFAULT_BATCH_SIZE,
  DEFAULT_LINGER_MS,
  DEFAULT_MAX_IN_FLIGHT,
} from './settings.ts'
export { BENCH_CLIENTS, parseClients, type BenchClient, type PeerClient } from './peers/clients.ts'
export { runLatencyBench, type LatencyBenchOptions, type LatencyBenchResult } from './latency/bench.ts'
export { formatLatencyBench } from './latency/format.ts'
export {
  checkLatencyOptions,
  DEFAULT_JAVA_LATENCY_RECORDS,
  DEFAULT_LATENCY_RATES,
  DEFAULT_LATENCY_SECONDS,
  parseRates,
} from './latency/options.ts'
export { latencyStats, parseEndToEndLatency, percentile, type LatencyStats } from './latency/stats.ts'
export { createProgress, formatProgress, type ProgressOptions } from './progress.ts'
export { formatBenchResult } from './format.ts'
export { parseConsumerPerformance, parseProducerPerformance } from './parse.ts'
export type { BenchSettings, Compression, Hardware, ProgressSink, SideResult } from './types.ts'
export { formatSerdeBench, runSerdeBench, type SerdeBenchOptions, type SerdeBenchResult } from './serde-bench.ts'
export {
  formatAnalyticsBench,
  runAnalyticsBench,
  type AnalyticsBenchOptions,
  type AnalyticsBenchResult,
  type LatencyResult,
  type ThroughputResult,
} from './analytics-bench.ts'
export {
  formatAnomalyBench,
  runAnomalyBench,
  type AnomalyBenchOptions,
  type AnomalyBenchResult,
  type AnomalyBenchSource,
} from './anomaly-bench.ts'
export { episodesFromAlerts, scoreAnomalies, type AnomalyScores } from './anomaly-score.ts'
export { runSoak, type RunSoakOptions, type SoakRun } from './soak/run.ts'
export { takeSample, readingEventTime, type SampleSources } from './soak/sampler.ts'
export { formatSoakSummary, samplesToCsv, summarize, writeSoakReport } from './soak/report.ts'
export { renderSoakChart } from './soak/chart.ts'
export { metricValue, parseVmRss } from './soak/prometheus.ts'
export type { ServiceSample, SoakReport, SoakSample, SoakService, SoakSummary } from './soak/types.ts'
export { freePort } from './free-port.ts'
export { startRegistryProcess, type RegistryProcess } from './registry-process.ts'
