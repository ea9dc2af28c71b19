import type * as cog from '@grafana/grafana-foundation-sdk/cog'
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard'
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus'
import { PanelBuilder as StatPanel } from '@grafana/grafana-foundation-sdk/stat'
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries'

/** The provisioned Prometheus data source (deploy/grafana/provisioning/datasources). */
export const DATASOURCE = { type: 'prometheus', uid: 'isobar-prometheus' }

export interface Query {
  expr: string
  legend: string
}

/** One panel as data: the dashboards are lists of these, so the data test can run every query. */
export interface PanelSpec {
  title: string
  kind: 'timeseries' | 'stat'
  unit: string
  queries: readonly Query[]
  description?: string
}

export interface DashboardSpec {
  uid: string
  title: string
  tags: readonly string[]
  rows: readonly { title: string; panels: readonly PanelSpec[] }[]
}

function target(query: Query, index: number): DataqueryBuilder {
  return new DataqueryBuilder()
    .expr(query.expr)
    .legendFormat(query.legend)
    .refId(String.fromCharCode(65 + index))
    .datasource(DATASOURCE)
}

function panel(spec: PanelSpec): cog.Builder<dashboard.Panel> {
  const builder = spec.kind === 'stat' ? new StatPanel() : new TimeseriesPanel()
  builder
    .title(spec.title)
    .unit(spec.unit)
    .datasource(DATASOURCE)
    .height(8)
    .span(spec.kind === 'stat' ? 6 : 12)
  if (spec.description) builder.description(spec.description)
  spec.queries.forEach((q, i) => builder.withTarget(target(q, i)))
  return builder
}

/** Grafana dashboard JSON model of a spec (Grafana 10+ schema, provisioned from files). */
export function buildDashboard(spec: DashboardSpec): dashboard.Dashboard {
  const builder = new dashboard.DashboardBuilder(spec.title)
    .uid(spec.uid)
    .tags([...spec.tags])
    .refresh('30s')
    .time({ from: 'now-1h', to: 'now' })
    .timezone('browser')
    .readonly()
  for (const row of spec.rows) {
    builder.withRow(new dashboard.RowBuilder(row.title))
    for (const p of row.panels) builder.withPanel(panel(p))
  }
  return builder.build()
}
