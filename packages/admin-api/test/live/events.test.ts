import assert from 'node:assert/strict'
import { test } from 'node:test'
import { mapRecord, ZoneDirectory } from '../../src/live/events.ts'
import { matches, parseLiveFilter } from '../../src/live/filter.ts'

const window = {
  sensorId: 'mote:7',
  field: 'temperatureC',
  windowKind: 'hopping',
  windowStartMs: 1_000_000,
  windowEndMs: 1_300_000,
  windowSizeMs: 300_000,
  zoneId: 's02.z3',
  count: 3,
  min: 1,
  max: 3,
  mean: 2,
  emittedAtMs: 1_300_100,
  final: true,
}

test('an aggregate becomes an event keyed by sensor, field and window size, scoped to its zone and site', () => {
  const zones = new ZoneDirectory()
  const mapped = mapRecord('aggregates', window, { ts: 42, schemaId: 9 }, zones)
  assert.ok(mapped)
  assert.equal(mapped.event.key, 'agg|mote:7|temperatureC|300000')
  assert.deepEqual(mapped.event.scope, { sensor: 'mote:7', zone: 's02.z3', site: 's02' })
  assert.equal(mapped.position, 1_000_000)
  assert.deepEqual(JSON.parse(mapped.event.data), { ...window, ts: 42, schemaId: 9 })
  // A later alert of that sensor is scoped to the zone learned from its windows.
  const alert = mapRecord('alerts', { ruleId: 'hot', entityId: 'mote:7', state: 'firing' }, { ts: 1 }, zones)
  assert.deepEqual(alert?.event.scope, { sensor: 'mote:7', zone: 's02.z3', site: 's02' })
  assert.equal(alert?.event.key, 'alert|hot+mote:7')
})

test('zone statistics carry no sensor; observations and weather alerts are scoped to their station', () => {
  const zones = new ZoneDirectory()
  const zone = mapRecord('aggregates', { ...window, sensorId: 'zone:s02.z3', scope: 'zone' }, { ts: 1 }, zones)
  assert.deepEqual(zone?.event.scope, { zone: 's02.z3', site: 's02' })
  const obs = mapRecord('observations', { stationId: 'metar:KSEA', eventTimeMs: 5 }, { ts: 6 }, zones)
  assert.deepEqual(obs?.event.scope, { station: 'metar:KSEA' })
  assert.equal(obs?.position, 5)
  const walert = mapRecord('weatherAlerts', { ruleId: 'gust', entityId: 'metar:KSEA' }, { ts: 6 }, zones)
  assert.equal(walert?.event.type, 'weather-alert')
})

test('values the view cannot use are skipped, not guessed', () => {
  const zones = new ZoneDirectory()
  for (const value of [null, 'text', [1], { field: 'x' }, { ...window, windowStartMs: 'soon' }]) {
    assert.equal(mapRecord('aggregates', value, { ts: 1 }, zones), undefined, JSON.stringify(value))
  }
  assert.equal(mapRecord('alerts', { ruleId: 'r' }, { ts: 1 }, zones), undefined)
  assert.equal(mapRecord('observations', { temperatureC: 3 }, { ts: 1 }, zones), undefined)
})

test('filters: bad values are refused with the parameter named; sensor filters leave weather alone', () => {
  assert.throws(() => parseLiveFilter({ types: 'aggregate,bogus' }), /query\/types: unknown type "bogus"/)
  assert.throws(() => parseLiveFilter({ zone: 's01 z1' }), /query\/zone/)
  const filter = parseLiveFilter({ site: 's01', types: 'aggregate,observation' })
  assert.equal(matches(filter, { type: 'aggregate', scope: { site: 's01', zone: 's01.z1' } }), true)
  assert.equal(matches(filter, { type: 'aggregate', scope: { site: 's02' } }), false)
  assert.equal(matches(filter, { type: 'observation', scope: { station: 'metar:KSEA' } }), true)
  assert.equal(matches(filter, { type: 'alert', scope: { site: 's01' } }), false, 'type not asked for')
})
