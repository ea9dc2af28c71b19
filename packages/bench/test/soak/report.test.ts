import assert from 'node:assert/strict'
import { test } from 'node:test'
import { metricValue, parseVmRss } from '../../src/soak/prometheus.ts'
import { niceTicks, renderSoakChart } from '../../src/soak/chart.ts'
import { samplesToCsv, summarize } from '../../src/soak/report.ts'
import { readingEventTime } from '../../src/soak/sampler.ts'
import type { SoakSample } from '../../src/soak/types.ts'

const MIB = 1048576

/** A sample every 10 s: analytics RSS grows linearly from `rss0` MiB by `growth` MiB per minute. */
function samples(minutes: number, rss0: number, growth: number): SoakSample[] {
  return Array.from({ length: minutes * 6 + 1 }, (_, i) => {
    const elapsedS = i * 10
    return {
      timeMs: 1_000_000 + elapsedS * 1000,
      elapsedS,
      services: { analytics: { rssBytes: (rss0 + (growth * elapsedS) / 60) * MIB, heapUsedBytes: 50 * MIB } },
      lag: { g1: i % 7, leader: null },
      offsets: { readings: elapsedS * 1000, deadLetters: elapsedS * 10, late: elapsedS },
      rates: { readingsPerS: 1000, deadLettersPerS: 10, latePerS: 1 },
      skew: { medianMs: 2 + i, p95Ms: 40, maxMs: 90_000 },
    }
  })
}

test('prometheus text: unlabelled value, sum over labelled series, absent metric', () => {
  const text = [
    '# HELP nodejs_heap_size_used_bytes Heap used',
    'nodejs_heap_size_used_bytes 12345',
    'nodejs_heap_size_used_bytes_total 1',
    'x{a="1"} 2',
    'x{a="2"} 3.5',
  ].join('\n')
  assert.equal(metricValue(text, 'nodejs_heap_size_used_bytes'), 12345)
  assert.equal(metricValue(text, 'x'), 5.5)
  assert.equal(metricValue(text, 'missing'), undefined)
  assert.equal(parseVmRss('Name:\tnode\nVmRSS:\t  2048 kB\n'), 2048 * 1024)
  assert.equal(parseVmRss('Name:\tnode\n'), undefined)
})

test('summary: RSS drift is the last 5 minutes against the first 5, rates over the run', () => {
  const run = samples(30, 100, 1)
  const summary = summarize(run, run[0]!.timeMs, run.at(-1)!.timeMs)
  assert.equal(summary.driftWindowS, 300)
  // Mean of minutes 0..5 is 102.5 MiB, of minutes 25..30 is 127.5 MiB.
  assert.deepEqual(summary.rss.analytics, { firstMiB: 102.5, lastMiB: 127.5, driftPct: 24.4, maxMiB: 130 })
  assert.equal(summary.totalRss.driftPct, 24.4)
  assert.deepEqual(summary.lag.g1, { max: 6, last: 180 % 7, maxLastWindow: 6 })
  assert.equal(summary.lag.leader, undefined, 'a group without commits has no lag figures')
  assert.deepEqual(summary.deadLetters, { total: 18_000, perS: 10, shareOfReadingsPct: 1 })
  assert.equal(summary.readings.perS, 1000)
  assert.deepEqual([summary.skew.firstMedianMs, summary.skew.lastMedianMs, summary.skew.maxMs], [2, 182, 90_000])
  const flat = samples(12, 200, 0)
  const short = summarize(flat, flat[0]!.timeMs, flat.at(-1)!.timeMs)
  assert.equal(short.driftWindowS, 240, 'a third of a 12-minute run')
  assert.equal(short.rss.analytics?.driftPct, 0)
})

test('csv has one row per sample and a column per service and group; the chart is one SVG with four panels', () => {
  const run = samples(2, 100, 0)
  const csv = samplesToCsv(run).trimEnd().split('\n')
  assert.equal(csv.length, run.length + 1)
  assert.match(csv[0]!, /^time,elapsed_s,rss_mib_analytics,heap_used_mib_analytics,lag_g1,lag_leader,/)
  assert.match(csv[1]!, /,100\.0,50\.0,0,,1000\.0,/)
  const svg = renderSoakChart(run, summarize(run, run[0]!.timeMs, run.at(-1)!.timeMs))
  assert.ok(svg.startsWith('<svg') && svg.trimEnd().endsWith('</svg>'))
  assert.equal(svg.match(/class="frame"/g)?.length, 4)
  assert.ok(!svg.includes('NaN'), 'no NaN coordinates')
  assert.deepEqual(niceTicks(0, 10, 5), [0, 2, 4, 6, 8, 10])
})

test('reading event time from plain JSON and the registry wire format; garbage gives undefined', () => {
  const json = Buffer.from(JSON.stringify({ eventTimeMs: 42 }))
  assert.equal(readingEventTime(json), 42)
  assert.equal(readingEventTime(Buffer.concat([Buffer.from([0, 0, 0, 0, 7]), json])), 42)
  assert.equal(readingEventTime(Buffer.from('nope')), undefined)
  assert.equal(readingEventTime(null), undefined)
})
