import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  FAULT_KINDS,
  FAULTS_HEADER,
  METRIC_FIELD,
  MODELS,
  NO_FAULTS,
  readingRecord,
  SENSOR_TYPES,
  SensorSimulator,
  type SimulatorOptions,
} from '@isobar/simulator'
import { spiked } from '../../src/sensors/generator.ts'

const START = Date.UTC(2026, 0, 1)
const base: SimulatorOptions = { sensors: 60, seed: 42, startMs: START, intervalMs: 10_000 }

test('simulator: the same seed gives the same sequence; another seed a different one', () => {
  const a = new SensorSimulator(base).take(5000)
  const b = new SensorSimulator(base).take(5000)
  const c = new SensorSimulator({ ...base, seed: 43 }).take(5000)
  assert.deepEqual(
    a.map((r) => [r.value, r.faults]),
    b.map((r) => [r.value, r.faults]),
  )
  assert.notDeepEqual(
    a.map((r) => r.value),
    c.map((r) => r.value),
  )
})

test('simulator: every type in sites and zones, one quantity per reading, values inside the physical range', () => {
  const sim = new SensorSimulator({ ...base, sensors: 240, faults: { spike: 0.05 } })
  const types = new Set(sim.sensors.map((s) => s.type))
  assert.deepEqual([...types].sort(), ['co2', 'humidity', 'power', 'pressure', 'temperature', 'vibration'])
  assert.ok(new Set(sim.sensors.map((s) => s.site)).size >= 4)
  assert.ok(new Set(sim.sensors.map((s) => s.zone)).size >= 2)
  assert.equal(new Set(sim.sensors.map((s) => s.id)).size, 240)
  for (const s of sim.sensors) assert.match(s.id, /^[a-z0-9-]+:[A-Za-z0-9._,:/-]+$/)
  for (const r of sim.take(50_000)) {
    const field = METRIC_FIELD[r.sensor.type]
    const value = r.value[field]
    const model = MODELS[r.sensor.type]
    assert.ok(typeof value === 'number' && value >= model.min && value <= model.max, `${r.sensor.id} ${value}`)
    // sensorId, siteId, zoneId, sensorType, sequence, eventTimeMs, ingestTimeMs and the one quantity.
    assert.equal(Object.keys(r.value).length, 8, JSON.stringify(r.value))
    if (r.sensor.type === 'humidity') assert.ok(value >= 0 && value <= 100)
  }
})

test('simulator: realistic signals: a daily temperature cycle, noise and no faults when disabled', () => {
  // One temperature sensor reporting every minute for two days.
  const sim = new SensorSimulator({ sensors: 1, seed: 1, startMs: START, intervalMs: 60_000, faults: NO_FAULTS })
  const readings = sim.take(2 * 1440)
  const temps = readings.map((r) => r.value.temperatureC!)
  const at = (hour: number): number => temps.slice(hour * 60, hour * 60 + 60).reduce((a, b) => a + b, 0) / 60
  assert.ok(at(15) - at(3) > 4, `15:00 ${at(15)} vs 03:00 ${at(3)}`)
  assert.ok(new Set(temps.slice(0, 30)).size > 20, 'noise makes successive values differ')
  assert.ok(readings.every((r) => r.faults.length === 0))
  assert.deepEqual(
    readings.slice(0, 3).map((r) => [r.value.sequence, r.value.eventTimeMs - START]),
    [
      [0, 0],
      [1, 60_000],
      [2, 120_000],
    ],
  )
})

test('simulator: fault rates are met within tolerance over 400,000 readings, and every fault is tagged', () => {
  const rates = { spike: 0.01, duplicate: 0.01, 'out-of-order': 0.01, late: 0.005, stuck: 0.001, dropout: 0.001 }
  const sim = new SensorSimulator({ ...base, sensors: 500, faults: { ...rates, 'clock-skew': 0.1 } })
  const readings = sim.take(400_000)
  const n = sim.stats.generated
  const tagged = (fault: string): number => readings.filter((r) => r.faults.includes(fault as never)).length
  for (const fault of ['spike', 'duplicate', 'out-of-order', 'late'] as const) {
    const p = rates[fault]
    const expected = n * p
    const sigma = Math.sqrt(n * p * (1 - p))
    assert.ok(
      Math.abs(tagged(fault) - expected) < 5 * sigma + 0.05 * expected,
      `${fault}: ${tagged(fault)} vs ${expected}`,
    )
  }
  // Episodes: stuck runs 5–50 readings, dropouts lose 3–30 (mean ~16.5).
  assert.ok(tagged('stuck') > n * 0.001 * 5, `stuck ${tagged('stuck')}`)
  const droppedShare = sim.stats.dropped / n
  assert.ok(droppedShare > 0.005 && droppedShare < 0.03, `dropped ${droppedShare}`)
  const skewed = sim.sensors.filter((s) => s.skewMs !== 0).length
  assert.ok(skewed > 25 && skewed < 80, `skewed sensors ${skewed}`)
  assert.deepEqual(Object.keys(sim.stats.faults), [...FAULT_KINDS])
  assert.equal(sim.stats.faults.spike, tagged('spike'))
})

test('simulator: each fault has its observable signature', () => {
  const sim = new SensorSimulator({
    ...base,
    sensors: 100,
    faults: {
      ...NO_FAULTS,
      duplicate: 0.01,
      'out-of-order': 0.01,
      late: 0.01,
      dropout: 0.002,
      stuck: 0.002,
      'clock-skew': 0.2,
    },
  })
  const readings = sim.take(100_000)
  const bySensor = new Map<string, typeof readings>()
  for (const r of readings) bySensor.set(r.value.sensorId, [...(bySensor.get(r.value.sensorId) ?? []), r])
  let checked = 0
  for (const list of bySensor.values()) {
    list.forEach((r, i) => {
      const prev = list[i - 1]
      if (r.faults.includes('duplicate')) {
        assert.deepEqual(r.value, prev?.value, 'a duplicate repeats the previous record of its sensor')
        checked++
      }
      if (r.faults.includes('out-of-order')) {
        assert.ok(prev && prev.value.sequence > r.value.sequence, 'published after a newer reading')
        checked++
      }
      // The device clock is off by skewMs; a late reading arrives 30 s–5 min after it was taken.
      const delay = r.value.ingestTimeMs - (r.value.eventTimeMs - r.sensor.skewMs)
      if (r.faults.includes('late')) {
        assert.ok(delay >= 30_000 && delay <= 300_000, String(delay))
        checked++
      } else assert.equal(delay, 0)
      const displaced = ['late', 'out-of-order', 'duplicate'].some((f) => r.faults.includes(f as never))
      if (r.faults.includes('dropout') && !displaced) {
        const before = list
          .slice(0, i)
          .findLast((p) => !p.faults.includes('late') && !p.faults.includes('out-of-order'))
        if (before) assert.ok(r.value.sequence - before.value.sequence >= 3, 'a gap in the sequence')
        checked++
      }
      const plainStuck = (x: (typeof readings)[number] | undefined): boolean =>
        !!x &&
        x.faults.includes('stuck') &&
        !['spike', 'late', 'out-of-order'].some((f) => x.faults.includes(f as never))
      if (plainStuck(r) && plainStuck(prev)) {
        assert.equal(r.value[METRIC_FIELD[r.sensor.type]], prev!.value[METRIC_FIELD[r.sensor.type]])
        checked++
      }
      assert.equal(r.faults.includes('clock-skew'), r.sensor.skewMs !== 0)
    })
  }
  assert.ok(checked > 2000, `checked ${checked}`)
})

test('simulator: records are keyed by sensor id and carry fault tags in a header', () => {
  const sim = new SensorSimulator({ ...base, faults: { ...NO_FAULTS, spike: 1 } })
  const reading = sim.next()
  const record = readingRecord('sensors.readings', reading)
  assert.equal(record.key?.toString(), reading.value.sensorId)
  assert.deepEqual(JSON.parse(record.value!.toString()), reading.value)
  assert.equal(record.headers?.[FAULTS_HEADER]?.toString(), 'spike')
  const clean = new SensorSimulator({ ...base, faults: NO_FAULTS }).next()
  assert.equal(readingRecord('t', clean).headers, undefined)
})

test('simulator: a spike always moves the reading by at least half its size, also next to a range limit', () => {
  for (const type of SENSOR_TYPES) {
    const model = MODELS[type]
    for (const value of [model.min, model.min + model.spike * 0.1, model.max - model.spike * 0.1, model.max]) {
      for (const delta of [model.spike, -model.spike, 0.6 * model.spike, -0.6 * model.spike]) {
        const result = spiked(value, delta, model)
        assert.ok(result >= model.min && result <= model.max, `${type} ${value}${delta}: ${result} out of range`)
        assert.ok(
          Math.abs(result - value) >= Math.abs(delta) / 2 - 10 ** -model.decimals,
          `${type}: a spike of ${delta} on ${value} gave ${result}`,
        )
      }
    }
  }
})
