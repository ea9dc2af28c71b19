/**
 * A window-statistics chart on uPlot: mean line, min–max band, p95 line and anomaly marks (flagged windows).
 * uPlot draws on a canvas and is updated in place with setData, so it stays smooth with 10,000 points.
 */
import { useEffect, useRef } from 'preact/hooks'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import type { Aggregate } from '../types.ts'

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888'
}

function toData(points: readonly Aggregate[]): uPlot.AlignedData {
  const x = points.map((p) => p.windowStartMs / 1000)
  return [
    x,
    points.map((p) => p.min),
    points.map((p) => p.max),
    points.map((p) => p.mean),
    points.map((p) => p.p95 ?? null),
    points.map((p) => (p.anomaly?.flagged ? p.max : null)),
  ]
}

export function WindowChart(props: { points: readonly Aggregate[]; title: string; height?: number }) {
  const host = useRef<HTMLDivElement>(null)
  const plot = useRef<uPlot | undefined>(undefined)

  useEffect(() => {
    const el = host.current
    if (!el) return
    const accent = cssVar('--accent')
    const band = cssVar('--band')
    const warn = cssVar('--bad')
    const p95 = cssVar('--p95')
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height: props.height ?? 260,
      title: props.title,
      scales: { x: { time: true } },
      axes: [{ stroke: cssVar('--muted') }, { stroke: cssVar('--muted') }],
      series: [
        {},
        { label: 'min', stroke: band, width: 1 },
        { label: 'max', stroke: band, width: 1 },
        { label: 'mean', stroke: accent, width: 2 },
        { label: 'p95', stroke: p95, width: 1, dash: [4, 4] },
        { label: 'anomaly', stroke: warn, width: 0, points: { show: true, size: 9, fill: warn, stroke: warn } },
      ],
      bands: [{ series: [2, 1], fill: `${band}55` }],
      legend: { live: true },
    }
    plot.current = new uPlot(opts, toData(props.points), el)
    const resize = new ResizeObserver(() =>
      plot.current?.setSize({ width: Math.max(280, el.clientWidth), height: opts.height }),
    )
    resize.observe(el)
    return () => {
      resize.disconnect()
      plot.current?.destroy()
      plot.current = undefined
    }
    // Rebuilt only when the chart changes identity; data updates go through setData below.
  }, [props.title])

  useEffect(() => {
    plot.current?.setData(toData(props.points))
  }, [props.points, props.points.length, props.points.at(-1)])

  return <div ref={host} class="chart" role="img" aria-label={`${props.title} chart`} />
}

/** A tiny inline SVG line for tables (weather sparklines). */
export function Sparkline(props: { values: readonly (number | undefined)[]; label: string }) {
  const values = props.values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
  if (values.length < 2) return <span class="muted">–</span>
  const min = Math.min(...values)
  const max = Math.max(...values)
  const w = 100
  const h = 24
  const span = max - min || 1
  const d = values
    .map(
      (v, i) =>
        `${i === 0 ? 'M' : 'L'}${((i / (values.length - 1)) * w).toFixed(1)},${(h - ((v - min) / span) * h).toFixed(1)}`,
    )
    .join(' ')
  return (
    <svg class="spark" viewBox={`0 0 ${w} ${h}`} width={w} height={h} role="img" aria-label={props.label}>
      <path d={d} fill="none" stroke="currentColor" stroke-width="1.5" />
    </svg>
  )
}
