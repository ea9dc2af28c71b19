import { hopping, session, tumbling, WindowedAggregator, type WindowResult, type WindowSpec } from '@isobar/stream'
import type { Figures, Lesson } from '../lesson.ts'
import { readTopic } from '../read-topic.ts'

const GRACE_MS = 10_000
const IDLE_MS = 30_000

interface Reading {
  sensor: string
  /** Event time relative to the start of the scenario, in seconds. */
  at: number
  value: number
}

/** Three sensors reading every 10 s of event time; s2 pauses, s3 falls silent; two records arrive late. */
function scenario(): Array<Reading & { note?: string }> {
  const readings: Array<Reading & { note?: string }> = []
  for (let at = 0; at <= 110; at += 10) {
    readings.push({ sensor: 's1', at, value: 20 + at / 10 })
    if (at <= 40 || at >= 90) readings.push({ sensor: 's2', at, value: 30 - at / 10 })
    if (at <= 30) readings.push({ sensor: 's3', at, value: 15 })
    if (at === 60) readings.push({ sensor: 's1', at: 55, value: 99, note: 'late by 5 s, within the 10 s grace' })
    if (at === 100) readings.push({ sensor: 's1', at: 15, value: -99, note: 'late by 85 s, after the grace' })
  }
  return readings
}

interface Stats {
  count: number
  sum: number
}

const aggregation = {
  init: (): Stats => ({ count: 0, sum: 0 }),
  add: (a: Stats, value: number): Stats => ({ count: a.count + 1, sum: a.sum + value }),
  merge: (a: Stats, b: Stats): Stats => ({ count: a.count + b.count, sum: a.sum + b.sum }),
}

type Closed = { key: string; start: number; end: number; count: number; mean: number; closedBy: 'stream time' | 'idle' }

function run(spec: WindowSpec, records: Array<{ key: string; timestamp: number; value: number }>, t0: number) {
  const aggregator = new WindowedAggregator<number, Stats>({
    windows: spec,
    aggregation,
    emit: 'final',
    idle: { afterMs: IDLE_MS, scope: 'key' },
  })
  const closed: Closed[] = []
  const keep = (results: WindowResult<Stats>[], closedBy: Closed['closedBy']): void => {
    for (const r of results) {
      if (r.value === null) continue
      closed.push({
        key: r.key,
        start: (r.start - t0) / 1000,
        end: (r.end - t0) / 1000,
        count: r.value.count,
        mean: Math.round((r.value.sum / r.value.count) * 10) / 10,
        closedBy,
      })
    }
  }
  // A simulated wall clock: records arrive 100 ms apart, then nothing for longer than the idle timeout.
  let now = 0
  for (const r of records) keep(aggregator.process(r.key, r.timestamp, r.value, (now += 100)).results, 'stream time')
  const openBeforeSilence = aggregator.store.size
  keep(aggregator.tick(now + IDLE_MS), 'idle')
  return { closed, late: aggregator.stats.late, openBeforeSilence }
}

const describe = (w: Closed): string =>
  `${w.key} [${w.start}–${w.end} s) n=${w.count} mean=${w.mean}${w.closedBy === 'idle' ? ' (idle close)' : ''}`

export const windows: Lesson = {
  id: 'windows',
  title: 'Windows over event time',
  summary:
    'Tumbling, hopping and session windows over the same readings; late data and grace; windows left open by a ' +
    'silent stream closed by the idle timeout.',
  async run(ctx) {
    const topic = await ctx.createTopic('readings', { partitions: 1 })
    // Epoch-aligned windows: start the scenario on a whole minute, ten minutes ago.
    const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 600_000
    const readings = scenario()
    const producer = ctx.kafka.producer()
    try {
      await producer.send(
        readings.map((r) => ({
          topic,
          key: Buffer.from(r.sensor),
          value: Buffer.from(String(r.value)),
          timestamp: t0 + r.at * 1000,
        })),
      )
    } finally {
      await producer.close()
    }
    ctx.step(
      `Wrote ${readings.length} readings: s1 and s2 every 10 s for 2 minutes of event time (s2 pauses from 50 to 80 s), ` +
        's3 only for the first 30 s; at 60 s a reading stamped 55 s arrives (within the 10 s grace), at 100 s one ' +
        'stamped 15 s (too late). Stream time is the largest timestamp seen; a window closes when it passes end + grace.',
    )
    const records = (await readTopic(ctx, topic)).map((r) => ({
      key: r.key?.toString() ?? '',
      timestamp: r.timestamp,
      value: Number(r.value?.toString()),
    }))
    const figures: Figures = {}
    const specs: Array<[string, WindowSpec, string]> = [
      ['tumbling', tumbling({ sizeMs: 60_000, graceMs: GRACE_MS }), 'tumbling 60 s'],
      ['hopping', hopping({ sizeMs: 60_000, advanceMs: 20_000, graceMs: GRACE_MS }), 'hopping 60 s every 20 s'],
      ['session', session({ gapMs: 30_000, graceMs: GRACE_MS }), 'session, 30 s gap'],
    ]
    for (const [name, spec, label] of specs) {
      const result = run(spec, records, t0)
      const shown = name === 'hopping' ? result.closed.filter((w) => w.key === 's1') : result.closed
      ctx.step(
        [
          `${label}: ${result.closed.length} windows, ${result.late} late record(s) dropped` +
            `${name === 'hopping' ? ' (s1 shown; every reading is in 3 windows)' : ''}:`,
          ...shown.map((w) => `   ${describe(w)}`),
        ].join('\n'),
      )
      const perKey: Record<string, number> = {}
      for (const w of result.closed) perKey[w.key] = (perKey[w.key] ?? 0) + 1
      figures[name] = {
        windows: result.closed.length,
        perSensor: perKey,
        late: result.late,
        idleClosed: result.closed.filter((w) => w.closedBy === 'idle').length,
        counted: result.closed.reduce((sum, w) => sum + w.count, 0),
        closed: result.closed.map((w) => ({ ...w })),
      }
    }
    figures.readings = readings.length
    ctx.step(
      "s3's windows closed on time although s3 fell silent, because s1 and s2 kept stream time moving. When every " +
        `sensor stops, stream time stops too: the last windows stay open until ${IDLE_MS / 1000} s of wall-clock ` +
        'silence closes them (idle close).',
    )
    return figures
  },
}
