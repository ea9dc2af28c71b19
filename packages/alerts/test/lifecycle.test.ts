import assert from 'node:assert/strict'
import { test } from 'node:test'
import { AlertEngine, fieldAccessor, parseRules, type AlertCommand } from '@isobar/alerts'
import { brief, fakeEngine, MIN } from './helpers.ts'

const gust = { id: 'gust-high', type: 'threshold', metric: 'x', above: 20 }
const silent = { id: 'silent', type: 'stale', after: '15m', severity: 'critical' }

function command(fields: Partial<AlertCommand> & Pick<AlertCommand, 'action'>): AlertCommand {
  return { commandId: `c-${Math.random()}`, ruleId: 'gust-high', issuedBy: 'ops', issuedAtMs: 0, ...fields }
}

test('stale: fires on the clock when an entity stays silent, resolves on its next sample', () => {
  const { engine, clock } = fakeEngine([silent])
  engine.ingest({ entityId: 'sim:a', eventTimeMs: 0 })
  clock.now = 14 * MIN
  assert.deepEqual(engine.tick(), [])
  clock.now = 15 * MIN
  const fired = engine.tick()
  assert.deepEqual(brief(fired), ['fired:firing@15m'])
  assert.equal(fired[0]!.value, 15 * MIN)
  assert.equal(fired[0]!.severity, 'critical')
  clock.now = 16 * MIN
  assert.deepEqual(engine.tick(), [], 'one alert per silence, not one per tick')
  // A skewed device clock does not matter: silence is measured on the engine clock.
  assert.deepEqual(brief(engine.ingest({ entityId: 'sim:a', eventTimeMs: 999 * MIN })), ['resolved:resolved@999m'])
})

test('stale: watched entities fire even if they never reported; a metric-specific rule needs that metric', () => {
  const { engine, clock } = fakeEngine([silent, { id: 'no-x', type: 'stale', metric: 'x', after: '5m' }])
  engine.watch(['sim:never'])
  engine.ingest({ entityId: 'sim:y', eventTimeMs: 0, x: 1 })
  clock.now = 6 * MIN
  engine.ingest({ entityId: 'sim:y', eventTimeMs: 6 * MIN }) // alive, but without x
  const events = engine.tick().map((e) => `${e.ruleId}+${e.entityId}`)
  assert.deepEqual(events.sort(), ['no-x+sim:never', 'no-x+sim:y'])
  clock.now = 15 * MIN
  assert.deepEqual(
    engine.tick().map((e) => `${e.ruleId}+${e.entityId}`),
    ['silent+sim:never'],
  )
})

test('ack: marks the firing alert, without notifying; duplicates and stale acks are refused', () => {
  const { engine, clock } = fakeEngine([gust])
  assert.equal(engine.applyCommand(command({ action: 'acknowledge', entityId: 'sim:a' })).status, 'ignored')
  clock.now = 1000
  const [fired] = engine.ingest({ entityId: 'sim:a', eventTimeMs: 0, x: 30 })
  const ack = command({ action: 'acknowledge', entityId: 'sim:a', issuedBy: 'alice', issuedAtMs: 2000 })
  const result = engine.applyCommand(ack)
  assert.equal(result.status, 'applied')
  assert.deepEqual(
    result.events.map((e) => [e.change, e.state, e.alertId, e.acknowledgedBy, e.acknowledgedAtMs, e.notify]),
    [['acknowledged', 'firing', fired!.alertId, 'alice', 2000, false]],
  )
  assert.equal(engine.applyCommand(ack).status, 'duplicate')
  assert.match(engine.applyCommand({ ...ack, commandId: 'other' }).reason ?? '', /already acknowledged by alice/)
  // Ack survives until the episode resolves; the resolved event still says who acknowledged it.
  const [resolved] = engine.ingest({ entityId: 'sim:a', eventTimeMs: MIN, x: 1 })
  assert.equal(resolved!.acknowledgedBy, 'alice')
  clock.now = 5000
  const [refired] = engine.ingest({ entityId: 'sim:a', eventTimeMs: 2 * MIN, x: 30 })
  assert.equal(refired!.acknowledgedBy, undefined, 'a new episode starts unacknowledged')
  const old = command({ action: 'acknowledge', alertId: fired!.alertId, entityId: 'sim:a', issuedAtMs: 6000 })
  assert.match(engine.applyCommand(old).reason ?? '', /not the firing episode/)
  const early = command({ action: 'acknowledge', entityId: 'sim:a', issuedAtMs: 4000 })
  assert.match(engine.applyCommand(early).reason ?? '', /before this episode fired/)
  const byId = command({ action: 'acknowledge', alertId: refired!.alertId, issuedAtMs: 6000 })
  assert.equal(engine.applyCommand(byId).status, 'applied')
})

test('silence: marks firing alerts, keeps later transitions from notifying until it expires; unsilence', () => {
  const { engine, clock } = fakeEngine([gust])
  engine.ingest({ entityId: 'sim:a', eventTimeMs: 0, x: 30 })
  const silence = engine.applyCommand(command({ action: 'silence', silenceUntilMs: 10 * MIN }))
  assert.deepEqual(
    silence.events.map((e) => [e.change, e.entityId, e.silencedUntilMs, e.notify]),
    [['silenced', 'sim:a', 10 * MIN, false]],
  )
  clock.now = MIN
  const [quiet] = engine.ingest({ entityId: 'sim:b', eventTimeMs: MIN, x: 30 })
  assert.deepEqual([quiet!.change, quiet!.notify, quiet!.silencedUntilMs], ['fired', false, 10 * MIN])
  assert.equal(engine.alerts().find((a) => a.entityId === 'sim:b')?.silencedUntilMs, 10 * MIN)
  clock.now = 10 * MIN
  const [loud] = engine.ingest({ entityId: 'sim:c', eventTimeMs: 10 * MIN, x: 30 })
  assert.deepEqual([loud!.notify, loud!.silencedUntilMs], [true, undefined])

  const entitySilence = command({ action: 'silence', entityId: 'sim:c', silenceUntilMs: 60 * MIN })
  assert.deepEqual(
    engine.applyCommand(entitySilence).events.map((e) => e.entityId),
    ['sim:c'],
  )
  const unsilence = engine.applyCommand(command({ action: 'unsilence', entityId: 'sim:c' }))
  assert.deepEqual(
    unsilence.events.map((e) => [e.change, e.entityId, e.silencedUntilMs]),
    [['unsilenced', 'sim:c', undefined]],
  )
  assert.equal(engine.applyCommand(command({ action: 'unsilence' })).status, 'ignored')
  assert.equal(engine.applyCommand(command({ action: 'silence', silenceUntilMs: MIN })).status, 'ignored')
  assert.equal(
    engine.applyCommand(command({ action: 'silence', ruleId: 'nope', silenceUntilMs: 99 * MIN })).status,
    'ignored',
  )
})

test('restore: a restarted engine keeps open alerts (same id, ack) instead of firing duplicates', () => {
  const first = fakeEngine([gust])
  first.clock.now = 1000
  first.engine.ingest({ entityId: 'sim:a', eventTimeMs: 0, x: 30 })
  const acked = first.engine.applyCommand(command({ action: 'acknowledge', entityId: 'sim:a', issuedAtMs: 2000 }))
  const second = fakeEngine([gust])
  assert.equal(second.engine.restore(acked.events), 1)
  assert.deepEqual(second.engine.ingest({ entityId: 'sim:a', eventTimeMs: MIN, x: 31 }), [])
  const [resolved] = second.engine.ingest({ entityId: 'sim:a', eventTimeMs: 2 * MIN, x: 1 })
  assert.deepEqual([resolved!.alertId, resolved!.acknowledgedBy], [acked.events[0]!.alertId, 'ops'])
})

test('restore: samples read again after a restart (up to the last published change) raise nothing twice', () => {
  // An at-least-once runner published fired then resolved, then died before committing the input offsets.
  const first = fakeEngine([gust])
  const samples = [
    { entityId: 'sim:a', eventTimeMs: 0, x: 30 },
    { entityId: 'sim:a', eventTimeMs: MIN, x: 1 },
    { entityId: 'sim:a', eventTimeMs: 2 * MIN, x: 5 },
  ]
  const published = samples.flatMap((sample) => first.engine.ingest(sample))
  assert.deepEqual(brief(published), ['fired:firing@0m', 'resolved:resolved@1m'])
  const second = fakeEngine([gust])
  second.engine.restore(published.slice(-1))
  assert.deepEqual(
    samples.flatMap((sample) => second.engine.ingest(sample)),
    [],
    'the replayed samples were evaluated before the restart',
  )
  assert.deepEqual(brief(second.engine.ingest({ entityId: 'sim:a', eventTimeMs: 3 * MIN, x: 40 })), ['fired:firing@3m'])
})

test('weather reuse: station observations through a field accessor (gust, temperature drop, falling pressure)', () => {
  interface Observation {
    stationId: string
    observedAt: { ms: number }
    windGustMps?: number
    temperatureC?: number
    pressureHpa?: number
  }
  const rules = parseRules({
    rules: [
      { id: 'gust', type: 'threshold', metric: 'windGustMps', above: 20, clear: 17, for: '2m', severity: 'critical' },
      { id: 'temp-drop', type: 'rate-of-change', metric: 'temperatureC', direction: 'drop', by: 5, within: '30m' },
      { id: 'pressure-fall', type: 'rate-of-change', metric: 'pressureHpa', direction: 'drop', by: 3, within: '3h' },
    ],
  })
  const engine = new AlertEngine<Observation>({
    rules,
    accessor: fieldAccessor<Observation>({ entity: 'stationId', time: 'observedAt.ms' }),
    clock: () => 0,
  })
  const obs = (minute: number, windGustMps: number, temperatureC: number, pressureHpa: number): Observation => ({
    stationId: 'metar:KDAL',
    observedAt: { ms: minute * MIN },
    windGustMps,
    temperatureC,
    pressureHpa,
  })
  const events = [obs(0, 10, 25, 1012), obs(60, 22, 24, 1011), obs(62, 23, 19, 1010), obs(120, 15, 18, 1008.5)]
    .flatMap((o) => engine.ingest(o))
    .map((e) => `${e.ruleId}:${e.change}`)
  assert.deepEqual(events, [
    'gust:fired',
    'temp-drop:fired',
    'gust:resolved',
    'temp-drop:resolved',
    'pressure-fall:fired',
  ])
})
