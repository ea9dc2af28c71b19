import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { episodesFromAlerts, scoreAnomalies } from '../src/anomaly-score.ts'

const MIN = 60_000
/** One sensor, a reading every 15 s for 10 minutes, labelled from minute 4 to 5 (8 readings). */
const readings = Array.from({ length: 40 }, (_, i) => ({
  sensorId: 's1',
  eventTimeMs: i * 15_000,
  label: i >= 16 && i < 24,
  values: { temperatureC: 20 },
}))

function windows(detected: number[], flagged: number[] = []) {
  return Array.from({ length: 10 }, (_, m) => ({
    sensorId: 's1',
    field: 'temperatureC',
    windowKind: 'tumbling',
    windowStartMs: m * MIN,
    windowEndMs: (m + 1) * MIN,
    anomalousReadings: detected.includes(m) ? 3 : 0,
    flagged: flagged.includes(m),
  }))
}

describe('anomaly scoring', () => {
  it('scores windows, events with their onset delay, and false episodes per sensor-day', () => {
    const alerts = [
      { ruleId: 'temperature-anomaly', entityId: 's1', change: 'fired', eventTimeMs: 17 * 15_000 },
      { ruleId: 'temperature-anomaly', entityId: 's1', change: 'acknowledged', eventTimeMs: 18 * 15_000 },
      { ruleId: 'temperature-anomaly', entityId: 's1', change: 'resolved', eventTimeMs: 25 * 15_000 },
      { ruleId: 'temperature-anomaly', entityId: 's1', change: 'fired', eventTimeMs: 35 * 15_000 },
      { ruleId: 'temperature-high', entityId: 's1', change: 'fired', eventTimeMs: 2 * 15_000 },
    ]
    const episodes = episodesFromAlerts(alerts, new Set(['temperature-anomaly']))
    assert.deepEqual(
      episodes.map((e) => [e.onsetMs, e.endMs]),
      [
        [17 * 15_000, 25 * 15_000],
        [35 * 15_000, Infinity],
      ],
    )
    const s = scoreAnomalies(readings, windows([4, 5, 8], [5]), episodes)
    const w = s.windows.tumbling!
    assert.deepEqual([w.detector.tp, w.detector.fp, w.detector.fn, w.detector.labelled], [2, 1, 0, 2])
    assert.equal(w.detector.precision, 2 / 3)
    assert.equal(w.detector.recall, 1)
    assert.equal(w.detector.f1, 0.8)
    assert.deepEqual([w.inWindowZ.tp, w.inWindowZ.fn], [1, 1])
    assert.equal(s.events.length, 1)
    assert.deepEqual(
      [s.events[0]!.readings, s.events[0]!.detected, s.events[0]!.delayReadings, s.events[0]!.delaySeconds],
      [8, true, 1, 15],
    )
    assert.equal(s.falseEpisodes, 1, 'the second episode overlaps no event')
    assert.ok(Math.abs(s.sensorDays - (39 * 15_000) / 86_400_000) < 1e-12)
  })

  it('misses an event no episode overlaps', () => {
    const s = scoreAnomalies(readings, windows([]), [])
    assert.deepEqual([s.events[0]!.detected, s.eventRecall, s.windows.tumbling!.detector.recall], [false, 0, 0])
  })
})
