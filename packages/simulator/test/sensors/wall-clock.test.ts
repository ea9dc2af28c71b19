import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { BatchingProducer, ProducerRecord } from '@isobar/core'
import { DEFAULT_FAULT_RATES, SensorSimulator, runSimulation } from '@isobar/simulator'

const DAY_MS = 86_400_000
const START = Date.UTC(2026, 0, 1)

/** Records what was produced and when (on the injected clock); acknowledges at once. A fake: pure unit test. */
function clockedProducer(clock: () => number): {
  producer: BatchingProducer
  sent: Array<{ atMs: number; record: ProducerRecord }>
} {
  const sent: Array<{ atMs: number; record: ProducerRecord }> = []
  const producer = {
    produce(record: ProducerRecord, onDelivery?: (error: Error | null) => void) {
      sent.push({ atMs: clock(), record })
      onDelivery?.(null)
      return true
    },
    ready: () => Promise.resolve(),
    flush: () => Promise.resolve(),
  }
  return { producer: producer as unknown as BatchingProducer, sent }
}

test('a paced simulation stays on the wall clock for a simulated day (dropouts and duplicates do not drift it)', async () => {
  let now = START
  const clock = (): number => now
  const sleep = (ms: number): Promise<void> => {
    now += ms
    return Promise.resolve()
  }
  // Dropouts (turns that publish nothing) and duplicates (turns that publish two) ten and twenty times the defaults:
  // counting records instead of following the clock would put event time hours off by the end of the day (each
  // miscounted record moves it by intervalMs / sensors = 2 s). A 40 s interval keeps the day to 43,200 turns.
  const faults = { ...DEFAULT_FAULT_RATES, dropout: 0.005, duplicate: 0.04 }
  const sensors = 20
  const intervalMs = 40_000
  const simulator = new SensorSimulator({ sensors, seed: 7, startMs: START, intervalMs, faults })
  const skew = new Map(simulator.sensors.map((s) => [s.id, s.skewMs]))
  const { producer, sent } = clockedProducer(clock)
  const summary = await runSimulation({
    simulator,
    producer,
    topic: 'sim-clock',
    rate: (sensors / intervalMs) * 1000,
    durationMs: DAY_MS,
    clock,
    sleep,
  })

  assert.ok(summary.dropped > 1000 && summary.faults.duplicate > 1000, 'the faults that used to cause drift happened')
  assert.ok(now - START >= DAY_MS, 'the run lasted a simulated day')
  let maxAhead = Number.NEGATIVE_INFINITY
  let maxBehind = 0
  let lastHourBehind = 0
  for (const { atMs, record } of sent) {
    const value = JSON.parse(record.value!.toString()) as { sensorId: string; eventTimeMs: number }
    const faults = record.headers?.['isobar-sim-faults']?.toString() ?? ''
    // The device's own clock error is deliberate and stays what it was (bounded: 2 s–10 min).
    const sensorSkew = skew.get(value.sensorId)!
    assert.ok(Math.abs(sensorSkew) <= 600_000)
    const trueEventTime = value.eventTimeMs - sensorSkew
    maxAhead = Math.max(maxAhead, trueEventTime - atMs)
    // Late and held-back (out-of-order) readings are published after their time on purpose.
    if (/late|out-of-order/.test(faults)) continue
    maxBehind = Math.max(maxBehind, atMs - trueEventTime)
    if (atMs > START + DAY_MS - 3_600_000) lastHourBehind = Math.max(lastHourBehind, atMs - trueEventTime)
  }
  assert.ok(maxAhead <= 0, `event time never ahead of the clock (max ${maxAhead} ms ahead)`)
  assert.ok(maxBehind <= 200, `event time never falls behind the clock (max ${maxBehind} ms behind)`)
  assert.ok(lastHourBehind <= 200, `still on the clock in the last hour (${lastHourBehind} ms behind)`)
  // One turn per sensor per interval for the whole day: the readings kept up with the clock.
  const turns = (DAY_MS / intervalMs) * sensors
  const expected = turns - summary.dropped + summary.faults.duplicate
  assert.ok(Math.abs(summary.sent - expected) <= sensors, `${summary.sent} readings sent, ${expected} expected`)
})
