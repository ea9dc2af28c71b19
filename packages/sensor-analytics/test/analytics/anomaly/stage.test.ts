import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { KeyValueTable } from '@isobar/stream'
import { DetectorParamsTable } from '../../../src/analytics/anomaly/params.ts'
import {
  deserializeBaselines,
  detectorState,
  serializeBaselines,
  type DetectedMeasurement,
  type SensorBaselines,
} from '../../../src/analytics/anomaly/stage.ts'
import type { Measurement } from '../../../src/analytics/reading.ts'

const config = {
  enabled: true,
  defaults: {},
  fields: {},
  sensorTypes: { humidity: { relativeHumidityPct: { noiseFloor: 7 } } },
}

function reading(i: number, values: Measurement['values'], sensorType?: string): Measurement {
  return { sensorId: 'mote:1', zoneId: undefined, eventTimeMs: i * 5000, values, ...(sensorType ? { sensorType } : {}) }
}

describe('pane-stage detector', () => {
  it('scores each quantity against its own baseline, with per-quantity and per-type noise floors', () => {
    const params = new DetectorParamsTable(config)
    assert.equal(params.get('temperatureC', undefined).noiseFloor, 1.5, 'built-in floor of the quantity')
    assert.equal(params.get('relativeHumidityPct', 'humidity').noiseFloor, 7, 'the sensor type overrides it')
    const state = detectorState(params)
    const table = new KeyValueTable()
    let last: DetectedMeasurement | undefined
    for (let i = 0; i < 30; i++) {
      const heated = i >= 28
      const m = reading(i, { temperatureC: heated ? 30 : 20 + (i % 2) * 0.1, relativeHumidityPct: 40 + (i % 3) * 0.1 })
      last = state.apply({ key: 'mote:1', value: m }, m.eventTimeMs, table)
    }
    assert.equal(last!.detected!.temperatureC![0], 1, 'temperature in an episode')
    assert.ok(last!.detected!.temperatureC![1] >= 1)
    assert.deepEqual(last!.detected!.relativeHumidityPct![0], 0, 'humidity normal')
  })

  it('round-trips the baselines through their changelog bytes exactly', () => {
    const params = new DetectorParamsTable(config)
    const state = detectorState(params)
    const table = new KeyValueTable()
    for (let i = 0; i < 20; i++) {
      const m = reading(i, { temperatureC: 20 + Math.sin(i) / 3, co2Ppm: 450 + i })
      state.apply({ key: 'mote:1', value: m }, m.eventTimeMs, table)
    }
    const original = table.get('mote:1') as SensorBaselines
    const [record] = table.drain(state.serialize)
    const restored = deserializeBaselines(record!.value!, params)
    assert.deepEqual(restored.fields, ['temperatureC', 'co2Ppm'])
    assert.deepEqual(restored.states, original.states)
    assert.equal(serializeBaselines(restored).length, 8 * (1 + 2 * 9))
    assert.throws(() => deserializeBaselines(Buffer.alloc(12), params), TypeError)
  })
})
