import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseRules, RuleConfigError, type AlertEvent } from '@isobar/alerts'
import { fakeEngine, type Sample } from '../helpers.ts'

const rule = {
  id: 'temp-anomaly',
  type: 'anomaly',
  metric: 'x',
  noiseFloor: 1,
  warmup: 5,
  criticalScore: 5,
  severity: 'warning',
}

/** Readings every 5 s: 20 calm ones around 20, then `event`, then calm again. */
function feed(engine: ReturnType<typeof fakeEngine>['engine'], clock: { now: number }, values: number[]) {
  const events: AlertEvent[] = []
  values.forEach((x, i) => {
    clock.now = i * 5000
    const sample: Sample = { entityId: 'mote:1', eventTimeMs: i * 5000, x }
    events.push(...engine.ingest(sample))
  })
  return events
}

const calm = (n: number): number[] => Array.from({ length: n }, (_, i) => 20 + (i % 2) * 0.05)

describe('anomaly rule', () => {
  it('fires at the onset, stays firing while the reading deviates from the frozen baseline, resolves when back', () => {
    const { engine, clock } = fakeEngine([rule])
    // A slow heating to +8 over 10 readings held for 40: a temperature-jump rule would clear once it stops rising.
    const heating = Array.from({ length: 10 }, (_, i) => 20 + (i + 1) * 0.8)
    const held = Array.from({ length: 40 }, () => 28)
    const events = feed(engine, clock, [...calm(20), ...heating, ...held, ...calm(10)])
    assert.deepEqual(
      events.map((e) => [e.change, e.eventTimeMs / 5000, e.severity]),
      [
        ['fired', 22, 'warning'],
        ['resolved', 72, 'critical'],
      ],
    )
    const fired = events[0]!
    // 20.8 is within the threshold (learned), 21.6 is the first deviant reading, 22.4 the second: onset.
    assert.equal(fired.firingSinceMs, 22 * 5000)
    assert.equal(fired.threshold, 20.06244, 'the baseline it deviates from')
    assert.match(fired.message, /x 22\.4 away from its baseline 20\.06244 \(score 2\.279016\)/)
    assert.equal(events[1]!.firingSinceMs, 22 * 5000, 'one episode, from onset to end')
  })

  it('is critical from the onset when the first reading scores criticalScore, and acknowledgeable', () => {
    const { engine, clock } = fakeEngine([rule])
    const events = feed(engine, clock, [...calm(20), 30, 30])
    assert.equal(events.length, 1)
    assert.equal(events[0]!.severity, 'critical')
    assert.equal(engine.alerts()[0]!.state, 'firing')
    const ack = engine.applyCommand({
      commandId: 'c1',
      action: 'acknowledge',
      ruleId: 'temp-anomaly',
      entityId: 'mote:1',
      issuedBy: 'ops',
      issuedAtMs: clock.now,
    })
    assert.equal(ack.status, 'applied')
    assert.equal(ack.events[0]!.change, 'acknowledged')
  })

  it('does not fire on changes under the noise floor, and validates its parameters', () => {
    const { engine, clock } = fakeEngine([rule])
    assert.deepEqual(feed(engine, clock, [...calm(20), 20.9, 20.9, 20.9, 19.1, 19.1]), [])
    assert.throws(
      () => parseRules({ rules: [{ id: 'a', type: 'anomaly', metric: 'x' }] }),
      (e: unknown) => e instanceof RuleConfigError && /noiseFloor/.test(e.message),
    )
    assert.throws(
      () => parseRules({ rules: [{ ...rule, endScore: 2 }] }),
      (e: unknown) => e instanceof RuleConfigError && /endScore/.test(e.message),
    )
  })
})
