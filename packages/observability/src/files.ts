import { buildDashboard } from './dashboards/panels.ts'
import { DASHBOARDS } from './dashboards/specs.ts'
import { prometheusConfigYaml } from './prometheus-config.ts'

export interface GeneratedFile {
  /** Path relative to the repository root. */
  path: string
  content: string
}

/** Every file `npm run gen:monitoring` writes, with its content. */
export function generatedFiles(): GeneratedFile[] {
  return [
    { path: 'deploy/prometheus/prometheus.native.yml', content: prometheusConfigYaml('native') },
    { path: 'deploy/prometheus/prometheus.compose.yml', content: prometheusConfigYaml('compose') },
    ...DASHBOARDS.map((spec) => ({
      path: `deploy/grafana/dashboards/${spec.uid}.json`,
      content: `${JSON.stringify(buildDashboard(spec), null, 2)}\n`,
    })),
  ]
}
