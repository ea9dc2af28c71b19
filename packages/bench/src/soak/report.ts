/** The soak report: a summary of the samples, a CSV of them, and where the files go. */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { renderSoakChart } from './chart.ts'
import type { SoakReport, SoakSample, SoakSummary } from './types.ts'

const MIB = 1048576
const DEFAULT_DRIFT_WINDOW_S = 300

const round1 = (value: number): number => Math.round(value * 10) / 10
const mean = (values: number[]): number => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length)
const pct = (first: number, last: number): number => (first > 0 ? round1(((last - first) / first) * 100) : 0)

/**
 * RSS drift compares the mean of the first `driftWindowS` seconds with the mean of the last ones (5 minutes, or a
 * third of the run when it is shorter than 15 minutes, so the two windows never overlap).
 */
export function summarize(samples: readonly SoakSample[], startedMs: number, endedMs: number): SoakSummary {
  const durationS = Math.max(0, (endedMs - startedMs) / 1000)
  const driftWindowS = Math.min(DEFAULT_DRIFT_WINDOW_S, Math.max(1, durationS / 3))
  const first = samples.filter((s) => s.elapsedS <= driftWindowS)
  const last = samples.filter((s) => s.elapsedS >= durationS - driftWindowS)
  const names = [...new Set(samples.flatMap((s) => Object.keys(s.services)))]
  const rssOf = (list: readonly SoakSample[], name: string): number[] =>
    list.map((s) => s.services[name]?.rssBytes).filter((v): v is number => typeof v === 'number')
  const rss: SoakSummary['rss'] = {}
  for (const name of names) {
    const firstMiB = mean(rssOf(first, name)) / MIB
    const lastMiB = mean(rssOf(last, name)) / MIB
    rss[name] = {
      firstMiB: round1(firstMiB),
      lastMiB: round1(lastMiB),
      driftPct: pct(firstMiB, lastMiB),
      maxMiB: round1(Math.max(0, ...rssOf(samples, name)) / MIB),
    }
  }
  const totalFirst = Object.values(rss).reduce((sum, r) => sum + r.firstMiB, 0)
  const totalLast = Object.values(rss).reduce((sum, r) => sum + r.lastMiB, 0)
  const groups = [...new Set(samples.flatMap((s) => Object.keys(s.lag)))]
  const lagValues = (list: readonly SoakSample[], group: string): number[] =>
    list.map((s) => s.lag[group]).filter((v): v is number => typeof v === 'number')
  const lag: SoakSummary['lag'] = {}
  for (const group of groups) {
    const all = lagValues(samples, group)
    if (all.length === 0) continue
    lag[group] = {
      max: Math.max(...all),
      last: samples.at(-1)?.lag[group] ?? null,
      maxLastWindow: Math.max(0, ...lagValues(last, group)),
    }
  }
  const firstSample = samples[0]
  const lastSample = samples.at(-1)
  const delta = (key: keyof SoakSample['offsets']): number =>
    firstSample && lastSample ? lastSample.offsets[key] - firstSample.offsets[key] : 0
  const spanS = firstSample && lastSample ? (lastSample.timeMs - firstSample.timeMs) / 1000 : 0
  const perS = (n: number): number => (spanS > 0 ? round1(n / spanS) : 0)
  const readings = delta('readings')
  const share = (n: number): number => (readings > 0 ? Math.round((n / readings) * 10000) / 100 : 0)
  const skewValues = (pick: (s: SoakSample) => number | null): number[] =>
    samples.map(pick).filter((v): v is number => v !== null)
  const maxOf = (values: number[]): number | null => (values.length === 0 ? null : Math.max(...values))
  const medians = skewValues((s) => s.skew.medianMs)
  return {
    startedAt: new Date(startedMs).toISOString(),
    endedAt: new Date(endedMs).toISOString(),
    durationS: Math.round(durationS),
    samples: samples.length,
    driftWindowS: Math.round(driftWindowS),
    rss,
    totalRss: { firstMiB: round1(totalFirst), lastMiB: round1(totalLast), driftPct: pct(totalFirst, totalLast) },
    lag,
    readings: { total: readings, perS: perS(readings) },
    deadLetters: {
      total: delta('deadLetters'),
      perS: perS(delta('deadLetters')),
      shareOfReadingsPct: share(delta('deadLetters')),
    },
    late: { total: delta('late'), perS: perS(delta('late')), shareOfReadingsPct: share(delta('late')) },
    skew: {
      firstMedianMs: medians[0] ?? null,
      lastMedianMs: medians.at(-1) ?? null,
      maxMedianMs: maxOf(medians),
      maxP95Ms: maxOf(skewValues((s) => s.skew.p95Ms)),
      maxMs: maxOf(skewValues((s) => s.skew.maxMs)),
    },
  }
}

/** One row per sample; columns are the union over the run (a service or group that appears later fills in). */
export function samplesToCsv(samples: readonly SoakSample[]): string {
  const names = [...new Set(samples.flatMap((s) => Object.keys(s.services)))]
  const groups = [...new Set(samples.flatMap((s) => Object.keys(s.lag)))]
  const header = [
    'time',
    'elapsed_s',
    ...names.flatMap((n) => [`rss_mib_${n}`, `heap_used_mib_${n}`]),
    ...groups.map((g) => `lag_${g}`),
    'readings_per_s',
    'dead_letters_per_s',
    'late_per_s',
    'skew_median_ms',
    'skew_p95_ms',
    'skew_max_ms',
  ]
  const mib = (v: number | null | undefined): string => (typeof v === 'number' ? (v / MIB).toFixed(1) : '')
  const cell = (v: number | null | undefined): string => (typeof v === 'number' ? String(v) : '')
  const rows = samples.map((s) => [
    new Date(s.timeMs).toISOString(),
    String(s.elapsedS),
    ...names.flatMap((n) => [mib(s.services[n]?.rssBytes), mib(s.services[n]?.heapUsedBytes)]),
    ...groups.map((g) => cell(s.lag[g])),
    s.rates.readingsPerS.toFixed(1),
    s.rates.deadLettersPerS.toFixed(2),
    s.rates.latePerS.toFixed(2),
    cell(s.skew.medianMs),
    cell(s.skew.p95Ms),
    cell(s.skew.maxMs),
  ])
  const quote = (v: string): string => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)
  return [header, ...rows].map((row) => row.map(quote).join(',')).join('\n') + '\n'
}

/** Writes soak.json, soak.csv and soak.svg into `dir`; resolves their paths. */
export async function writeSoakReport(
  dir: string,
  report: SoakReport,
): Promise<{ json: string; csv: string; svg: string }> {
  await mkdir(dir, { recursive: true })
  const paths = { json: join(dir, 'soak.json'), csv: join(dir, 'soak.csv'), svg: join(dir, 'soak.svg') }
  await writeFile(paths.json, JSON.stringify(report, null, 2) + '\n')
  await writeFile(paths.csv, samplesToCsv(report.samples))
  await writeFile(paths.svg, renderSoakChart(report.samples, report.summary))
  return paths
}

/** The lines printed at the end of a run. */
export function formatSoakSummary(summary: SoakSummary): string {
  const lines = [
    `Soak ${Math.round(summary.durationS / 60)} min (${summary.samples} samples), drift = mean of the first vs the last ${Math.round(summary.driftWindowS / 60)} min`,
    `RSS total ${summary.totalRss.firstMiB} -> ${summary.totalRss.lastMiB} MiB (${signed(summary.totalRss.driftPct)} %)`,
    ...Object.entries(summary.rss).map(
      ([name, r]) =>
        `  ${name.padEnd(10)} ${r.firstMiB} -> ${r.lastMiB} MiB (${signed(r.driftPct)} %), max ${r.maxMiB} MiB`,
    ),
    'Max lag (records), max over the last window, last:',
    ...Object.entries(summary.lag).map(
      ([group, l]) => `  ${group.padEnd(40)} ${l.max}, ${l.maxLastWindow}, ${l.last ?? '-'}`,
    ),
    `Readings ${summary.readings.total} (${summary.readings.perS}/s); dead letters ${summary.deadLetters.total} ` +
      `(${summary.deadLetters.perS}/s, ${summary.deadLetters.shareOfReadingsPct} % of readings); late ${summary.late.total} ` +
      `(${summary.late.shareOfReadingsPct} %)`,
    `Event-time skew (event time - append time, newest readings): median ${ms(summary.skew.firstMedianMs)} at the ` +
      `start, ${ms(summary.skew.lastMedianMs)} at the end, max median ${ms(summary.skew.maxMedianMs)}; ` +
      `max p95 ${ms(summary.skew.maxP95Ms)}, max ${ms(summary.skew.maxMs)} (faulty sensors)`,
  ]
  return lines.join('\n')
}

const signed = (value: number): string => (value > 0 ? `+${value}` : String(value))
const ms = (value: number | null): string => (value === null ? '-' : `${value} ms`)
