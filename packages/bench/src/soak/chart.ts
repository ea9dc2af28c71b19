/** A self-contained SVG of a soak run: four stacked line charts sharing the time axis. No dependencies. */
import type { SoakSample, SoakSummary } from './types.ts'

interface Series {
  label: string
  points: Array<[number, number]>
}

interface Panel {
  title: string
  unit: string
  series: Series[]
}

const WIDTH = 900
const PANEL_HEIGHT = 170
const MARGIN = { left: 70, right: 190, top: 28, bottom: 26 }
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f']
const MIB = 1048576

const escapeXml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')

function seriesOf(
  samples: readonly SoakSample[],
  label: string,
  value: (s: SoakSample) => number | null | undefined,
): Series {
  const points: Array<[number, number]> = []
  for (const s of samples) {
    const v = value(s)
    if (typeof v === 'number' && Number.isFinite(v)) points.push([s.elapsedS / 60, v])
  }
  return { label, points }
}

/** 1, 2, 5 × 10^n step giving about `count` ticks over [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min]
  const raw = (max - min) / count
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw
  const ticks: number[] = []
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Math.round(t * 1e9) / 1e9)
  return ticks
}

function renderPanel(panel: Panel, top: number, maxMinutes: number): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right
  const plotH = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom
  const values = panel.series.flatMap((s) => s.points.map((p) => p[1]))
  let lo = Math.min(0, ...values)
  let hi = Math.max(...values, lo + 1)
  if (hi === lo) hi = lo + 1
  const pad = (hi - lo) * 0.05
  hi += pad
  if (lo < 0) lo -= pad
  const x = (minutes: number): number => MARGIN.left + (maxMinutes > 0 ? (minutes / maxMinutes) * plotW : 0)
  const y = (value: number): number => top + MARGIN.top + plotH - ((value - lo) / (hi - lo)) * plotH
  const parts: string[] = [
    `<text x="${MARGIN.left}" y="${top + 18}" class="title">${escapeXml(panel.title)} (${escapeXml(panel.unit)})</text>`,
    `<rect x="${MARGIN.left}" y="${top + MARGIN.top}" width="${plotW}" height="${plotH}" class="frame"/>`,
  ]
  for (const tick of niceTicks(lo, hi)) {
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" class="grid"/>`,
      `<text x="${MARGIN.left - 6}" y="${(y(tick) + 4).toFixed(1)}" class="tick" text-anchor="end">${formatTick(tick)}</text>`,
    )
  }
  for (const tick of niceTicks(0, maxMinutes, 8)) {
    parts.push(
      `<text x="${x(tick).toFixed(1)}" y="${top + PANEL_HEIGHT - 8}" class="tick" text-anchor="middle">${formatTick(tick)}</text>`,
    )
  }
  panel.series.forEach((series, i) => {
    const colour = COLOURS[i % COLOURS.length]!
    if (series.points.length > 0) {
      const d = series.points
        .map(([m, v], k) => `${k === 0 ? 'M' : 'L'}${x(m).toFixed(1)},${y(v).toFixed(1)}`)
        .join(' ')
      parts.push(`<path d="${d}" stroke="${colour}" class="line"/>`)
    }
    const ly = top + MARGIN.top + 12 + i * 15
    parts.push(
      `<line x1="${WIDTH - MARGIN.right + 10}" x2="${WIDTH - MARGIN.right + 28}" y1="${ly - 4}" y2="${ly - 4}" stroke="${colour}" class="line"/>`,
      `<text x="${WIDTH - MARGIN.right + 33}" y="${ly}" class="legend">${escapeXml(series.label.replace(/^isobar-sensor-/, '').slice(0, 28))}</text>`,
    )
  })
  return parts.join('\n')
}

function formatTick(value: number): string {
  const abs = Math.abs(value)
  if (abs >= 1e6) return `${(value / 1e6).toFixed(abs >= 1e7 ? 0 : 1)}M`
  if (abs >= 1e4) return `${(value / 1e3).toFixed(0)}k`
  return String(Math.round(value * 100) / 100)
}

export function renderSoakChart(samples: readonly SoakSample[], summary: SoakSummary): string {
  const names = [...new Set(samples.flatMap((s) => Object.keys(s.services)))]
  const groups = [...new Set(samples.flatMap((s) => Object.keys(s.lag)))].filter((g) =>
    samples.some((s) => typeof s.lag[g] === 'number'),
  )
  const panels: Panel[] = [
    {
      title: 'RSS per service',
      unit: 'MiB',
      series: names.map((n) => seriesOf(samples, n, (s) => (s.services[n]?.rssBytes ?? NaN) / MIB)),
    },
    {
      title: 'Consumer lag per group',
      unit: 'records',
      series: groups.map((g) => seriesOf(samples, g, (s) => s.lag[g])),
    },
    {
      title: 'Dead letters and late readings',
      unit: 'records/s',
      series: [
        seriesOf(samples, 'dead letters/s', (s) => s.rates.deadLettersPerS),
        seriesOf(samples, 'late/s', (s) => s.rates.latePerS),
      ],
    },
    {
      title: 'Event-time skew: event time - append time of the newest readings',
      unit: 'ms',
      series: [seriesOf(samples, 'median', (s) => s.skew.medianMs), seriesOf(samples, 'p95', (s) => s.skew.p95Ms)],
    },
  ]
  const maxMinutes = Math.max(1 / 60, ...samples.map((s) => s.elapsedS / 60))
  const height = 40 + panels.length * PANEL_HEIGHT + 20
  const heading =
    `Isobar soak ${summary.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${Math.round(summary.durationS / 60)} min: ` +
    `RSS drift ${summary.totalRss.driftPct} %, ${summary.readings.perS} readings/s, ` +
    `dead letters ${summary.deadLetters.shareOfReadingsPct} %`
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}">`,
    '<style>text{font-family:sans-serif;fill:#222}.title{font-size:13px;font-weight:bold}.tick{font-size:10px;fill:#555}',
    '.legend{font-size:11px}.frame{fill:none;stroke:#999}.grid{stroke:#e5e5e5}.line{fill:none;stroke-width:1.5}</style>',
    '<rect width="100%" height="100%" fill="#fff"/>',
    `<text x="${MARGIN.left}" y="24" class="title">${escapeXml(heading)}</text>`,
    ...panels.map((panel, i) => renderPanel(panel, 40 + i * PANEL_HEIGHT, maxMinutes)),
    `<text x="${MARGIN.left + (WIDTH - MARGIN.left - MARGIN.right) / 2}" y="${height - 6}" class="tick" text-anchor="middle">minutes since start</text>`,
    '</svg>',
    '',
  ].join('\n')
}
