// @isobar/observability: monitoring as code — scrape targets, Prometheus configs and Grafana dashboards.
export {
  ALERTMANAGERS,
  NOTIFIER_METRICS_PORT,
  SCRAPE_JOBS,
  brokerMetricsPort,
  type ScrapeJob,
  type Variant,
} from './targets.ts'
export { prometheusConfig, prometheusConfigYaml, type PrometheusConfigOptions } from './prometheus-config.ts'
export { generatedFiles, type GeneratedFile } from './files.ts'
export { BINARIES, findBinary, type BinaryName } from './binaries.ts'
export { ObservabilityError, ObservabilityErrorCodes, type ObservabilityErrorCode } from './errors.ts'
export { DATASOURCE, buildDashboard, type DashboardSpec, type PanelSpec, type Query } from './dashboards/panels.ts'
export { DASHBOARDS } from './dashboards/specs.ts'
export { startPrometheus, type PrometheusProcess } from './prometheus-process.ts'
