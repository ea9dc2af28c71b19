import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ValidatorCache } from '@isobar/core'
import { METRIC_FIELD, MODELS, NO_FAULTS, SENSOR_TYPES, SensorSimulator } from '@isobar/simulator'
import { latestSchema, sensorReadingV3, type SensorReading } from '@isobar/schemas'

const START = Date.UTC(2026, 0, 1)
const validate = new ValidatorCache().compile(1, JSON.stringify(latestSchema('sensors.readings')))

test('simulator: readings carry siteId, zoneId and sensorType, derived from the sensor id', () => {
  const sim = new SensorSimulator({ sensors: 480, seed: 5, startMs: START, intervalMs: 10_000, faults: NO_FAULTS })
  const sensor = sim.sensors[48]!
  assert.deepEqual(
    [sensor.id, sensor.siteId, sensor.zoneId, sensor.type],
    ['sim:s01.z2.temperature-00048', 's01', 's01.z2', 'temperature'],
  )
  const zones = new Set<string>()
  for (const r of sim.take(4800)) {
    const match = /^sim:((s\d{2})\.z\d+)\.([a-z0-9]+)-\d{5}$/.exec(r.value.sensorId)
    assert.ok(match, r.value.sensorId)
    assert.deepEqual(
      [r.value.zoneId, r.value.siteId, r.value.sensorType],
      [match[1], match[2], match[3]],
      r.value.sensorId,
    )
    assert.deepEqual(
      [r.value.siteId, r.value.zoneId, r.value.sensorType],
      [r.sensor.siteId, r.sensor.zoneId, r.sensor.type],
    )
    assert.ok(r.value.zoneId.startsWith(`${r.value.siteId}.`), 'zone ids are unique across sites')
    zones.add(r.value.zoneId)
  }
  // 480 sensors: 8 sites × 4 zones, every zone populated.
  assert.equal(zones.size, 32)
})

test('simulator: the sensor types and their fields are the v3 schema enum and properties', () => {
  const properties = sensorReadingV3.properties
  assert.deepEqual([...properties.sensorType.enum], [...SENSOR_TYPES])
  for (const type of SENSOR_TYPES) {
    const field = METRIC_FIELD[type]
    const range = properties[field]
    // Model ranges (which clamp values and spikes) lie inside the schema ranges: no reading can be invalid.
    assert.ok(MODELS[type].min >= range.minimum && MODELS[type].max <= range.maximum, type)
  }
})

test('simulator: every reading validates against sensors.readings v3, spikes, stuck and skew included', () => {
  const faults = { spike: 0.2, stuck: 0.01, dropout: 0.005, duplicate: 0.02, 'out-of-order': 0.02, late: 0.01 }
  const sim = new SensorSimulator({ sensors: 600, seed: 9, startMs: START, intervalMs: 5000, faults })
  let spikes = 0
  for (const r of sim.take(60_000)) {
    const violations = validate(r.value)
    assert.equal(violations, undefined, `${JSON.stringify(r.value)}: ${JSON.stringify(violations)}`)
    if (r.faults.includes('spike')) spikes++
    // The type: these readings are SensorReading (v3) values.
    const typed: SensorReading = r.value
    assert.equal(typed.sensorType, r.sensor.type)
  }
  assert.ok(spikes > 10_000, `spikes ${spikes}`)
  const extremes = sim.take(60_000).filter((r) => {
    const model = MODELS[r.sensor.type]
    const v = r.value[METRIC_FIELD[r.sensor.type]]
    return v === model.min || v === model.max
  })
  assert.ok(extremes.length > 0, 'large spikes are clamped to the physical range')
  for (const r of extremes) assert.equal(validate(r.value), undefined)
})
