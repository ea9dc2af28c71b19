import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { AlertEvent } from '@isobar/alerts'
import { brief, fakeEngine, MIN } from './helpers.ts'

/** [minute, value] samples of one entity, fed in order, with the clock following event time. */
type Step = [minute: number, value: number]

interface Case {
  name: string
  rule: object
  steps: Step[]
  expected: string[]
}

const gust = { id: 'gust-high', type: 'threshold', metric: 'x', above: 20 }
const pressureDrop = {
  id: 'pressure-falling',
  type: 'rate-of-change',
  metric: 'x',
  direction: 'drop',
  by: 3,
  within: '3h',
}

const cases: Case[] = [
  {
    name: 'threshold without for fires on the first breach',
    rule: gust,
    steps: [
      [0, 10],
      [1, 25],
    ],
    expected: ['fired:firing@1m'],
  },
  {
    name: 'threshold for 2m: pending, then firing once the breach held 2 minutes',
    rule: { ...gust, for: '2m' },
    steps: [
      [0, 25],
      [1, 26],
      [2, 27],
      [3, 28],
    ],
    expected: ['fired:firing@2m'],
  },
  {
    name: 'pending is cancelled when the condition stops, and restarts',
    rule: { ...gust, for: '2m' },
    steps: [
      [0, 25],
      [1, 10],
      [2, 25],
      [3, 25],
      [4, 25],
    ],
    expected: ['fired:firing@4m'],
  },
  {
    name: 'no hysteresis: resolves as soon as the value is back at the threshold',
    rule: gust,
    steps: [
      [0, 25],
      [1, 20],
    ],
    expected: ['fired:firing@0m', 'resolved:resolved@1m'],
  },
  {
    name: 'hysteresis: values between clear and threshold keep it firing',
    rule: { ...gust, clear: 17 },
    steps: [
      [0, 25],
      [1, 19],
      [2, 18],
      [3, 21],
      [4, 17.5],
      [5, 17],
    ],
    expected: ['fired:firing@0m', 'resolved:resolved@5m'],
  },
  {
    name: 'clearFor: the clear condition must hold 5 minutes; a breach restarts it',
    rule: { ...gust, clear: 17, clearFor: '5m' },
    steps: [
      [0, 25],
      [1, 10],
      [3, 10],
      [4, 25],
      [5, 10],
      [9, 10],
      [10, 10],
    ],
    expected: ['fired:firing@0m', 'resolved:resolved@10m'],
  },
  {
    name: 'below: low temperature with hysteresis',
    rule: { id: 'frost', type: 'threshold', metric: 'x', below: 0, clear: 2 },
    steps: [
      [0, 3],
      [1, -1],
      [2, 1],
      [3, 2.5],
    ],
    expected: ['fired:firing@1m', 'resolved:resolved@3m'],
  },
  {
    name: 'rate of change: a 3 hPa drop within 3 h fires, from the window peak',
    rule: pressureDrop,
    steps: [
      [0, 1012],
      [60, 1013],
      [120, 1011],
      [180, 1010],
    ],
    expected: ['fired:firing@180m'],
  },
  {
    name: 'rate of change: a slow drop spread over more than the window does not fire',
    rule: pressureDrop,
    steps: [
      [0, 1013],
      [120, 1012],
      [240, 1011],
      [360, 1010],
      [480, 1009],
    ],
    expected: [],
  },
  {
    name: 'rate of change with clear: resolves once the drop within the window is below 1.5',
    rule: { ...pressureDrop, clear: 1.5 },
    steps: [
      [0, 1013],
      [60, 1010],
      [120, 1010],
      [180, 1010.5],
      [240, 1010.5],
      [300, 1010.6],
    ],
    expected: ['fired:firing@60m', 'resolved:resolved@240m'],
  },
  {
    name: 'rate of change: a temperature rise of 5 within 10 minutes',
    rule: { id: 'heat', type: 'rate-of-change', metric: 'x', direction: 'rise', by: 5, within: '10m' },
    steps: [
      [0, 20],
      [5, 22],
      [9, 25.5],
      [30, 25.5],
    ],
    expected: ['fired:firing@9m', 'resolved:resolved@30m'],
  },
  {
    name: 'stuck: an unchanged value for 10 minutes fires; movement resolves',
    rule: { id: 'flat', type: 'stuck', metric: 'x', within: '10m' },
    steps: [
      [0, 21.3],
      [5, 21.3],
      [9, 21.3],
      [10, 21.3],
      [11, 21.3],
      [12, 21.4],
    ],
    expected: ['fired:firing@10m', 'resolved:resolved@12m'],
  },
  {
    name: 'stuck with a tolerance ignores tiny noise',
    rule: { id: 'flat', type: 'stuck', metric: 'x', within: '4m', tolerance: 0.05 },
    steps: [
      [0, 5],
      [2, 5.02],
      [4, 5.01],
      [5, 5.5],
    ],
    expected: ['fired:firing@4m', 'resolved:resolved@5m'],
  },
  {
    name: 'flapping: the 4th transition in 10 minutes marks it flapping and later ones are suppressed',
    rule: { ...gust, flapping: { window: '10m', maxTransitions: 4 } },
    steps: [
      [0, 25],
      [1, 10],
      [2, 25],
      [3, 10],
      [4, 25],
      [5, 10],
      [6, 25],
      [7, 25],
      [20, 25],
    ],
    expected: [
      'fired:firing@0m',
      'resolved:resolved@1m',
      'fired:firing@2m',
      'flapping-started:resolved@3m',
      'flapping-stopped:firing@20m',
    ],
  },
]

for (const c of cases) {
  test(`engine: ${c.name}`, () => {
    const { engine, clock } = fakeEngine([c.rule])
    const events: AlertEvent[] = []
    for (const [minute, x] of c.steps) {
      clock.now = minute * MIN
      events.push(...engine.ingest({ entityId: 'sim:s1', eventTimeMs: minute * MIN, x }))
    }
    assert.deepEqual(brief(events), c.expected)
  })
}

test('engine: one alert per rule and entity (dedup), a stable id per episode and a new one after resolving', () => {
  const { engine } = fakeEngine([gust])
  const fired = [25, 26, 27].flatMap((x, i) => engine.ingest({ entityId: 'sim:a', eventTimeMs: i * MIN, x }))
  const other = engine.ingest({ entityId: 'sim:b', eventTimeMs: 0, x: 30 })
  assert.equal(fired.length, 1)
  assert.equal(other.length, 1)
  assert.notEqual(fired[0]!.alertId, other[0]!.alertId)
  const resolved = engine.ingest({ entityId: 'sim:a', eventTimeMs: 5 * MIN, x: 1 })
  const again = engine.ingest({ entityId: 'sim:a', eventTimeMs: 6 * MIN, x: 30 })
  assert.equal(resolved[0]!.alertId, fired[0]!.alertId)
  assert.notEqual(again[0]!.alertId, fired[0]!.alertId)
  assert.deepEqual(
    engine.alerts().map((a) => `${a.key}:${a.state}`),
    ['gust-high+sim:a:firing', 'gust-high+sim:b:firing'],
  )
})

test('engine: events carry severity, field, value, threshold, message and notify', () => {
  const { engine, clock } = fakeEngine([{ ...gust, severity: 'critical', description: 'Gust above 20 m/s' }])
  clock.now = 123
  const [event] = engine.ingest({ entityId: 'sim:a', eventTimeMs: 100, x: 23.4 })
  assert.deepEqual(event, {
    alertId: 'alert-1',
    ruleId: 'gust-high',
    entityId: 'sim:a',
    state: 'firing',
    change: 'fired',
    severity: 'critical',
    field: 'x',
    value: 23.4,
    threshold: 20,
    message: 'Gust above 20 m/s on sim:a: x 23.4 above 20',
    eventTimeMs: 100,
    raisedAtMs: 123,
    firingSinceMs: 100,
    flapping: false,
    notify: true,
  })
})

test('engine: out-of-order and duplicate samples are skipped and counted', () => {
  const { engine } = fakeEngine([gust])
  engine.ingest({ entityId: 'sim:a', eventTimeMs: 10 * MIN, x: 5 })
  assert.deepEqual(engine.ingest({ entityId: 'sim:a', eventTimeMs: 9 * MIN, x: 50 }), [])
  assert.deepEqual(engine.ingest({ entityId: 'sim:a', eventTimeMs: 10 * MIN, x: 5 }), [])
  assert.deepEqual(engine.ingest({ entityId: '', eventTimeMs: 10 * MIN, x: 50 }), [])
  assert.equal(engine.stats.outOfOrder, 1)
  assert.equal(engine.stats.duplicates, 1)
  assert.equal(engine.stats.invalid, 1)
})

test('engine: entityPattern limits a rule to matching entities; samples without the metric are ignored', () => {
  const { engine } = fakeEngine([{ ...gust, entityPattern: '^metar:' }])
  assert.deepEqual(engine.ingest({ entityId: 'sim:a', eventTimeMs: 0, x: 50 }), [])
  assert.deepEqual(engine.ingest({ entityId: 'metar:KDAL', eventTimeMs: 0 }), [])
  assert.equal(engine.ingest({ entityId: 'metar:KDAL', eventTimeMs: 1, x: 50 }).length, 1)
})
