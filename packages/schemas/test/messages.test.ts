import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ValidatorCache } from '@isobar/core'
import {
  TOPICS,
  alertCommandV1,
  alertV1,
  deadLetterEnvelopeV1,
  sensorReadingV1,
  sensorReadingV2,
  sensorReadingV3,
  weatherObservationV1,
  weatherObservationV2,
  windowAggregateV1,
  windowAggregateV2,
  type Alert,
  type AlertCommand,
  type SensorReadingV2,
  type SensorReadingV3,
  type WeatherObservationV1,
  type WeatherObservationV2,
  type WindowAggregate,
  type WindowAggregateV1,
} from '@isobar/schemas'
import { observation, reading } from './helpers.ts'

const cache = new ValidatorCache()
let nextId = 1
const validatorOf = (schema: object) => cache.compile(nextId++, JSON.stringify(schema))

// Typed samples: these only compile because the types come from the schemas.
const observationV1: WeatherObservationV1 = observation
const observationV2: WeatherObservationV2 = { ...observation, windGustMps: 11.3, dewPointC: 21.7, visibilityM: 14_484 }
const readingV2: SensorReadingV2 = {
  ...reading,
  illuminanceLx: 320,
  location: { latitudeDeg: 37.4, longitudeDeg: -122.1 },
}
const readingV3: SensorReadingV3 = {
  sensorId: 'sim:s01.z2.co2-00003',
  siteId: 's01',
  zoneId: 's01.z2',
  sensorType: 'co2',
  sequence: 7,
  eventTimeMs: 1_764_064_380_000,
  ingestTimeMs: 1_764_064_380_000,
  co2Ppm: 612,
}
const aggregate: WindowAggregateV1 = {
  sensorId: 'mote:1',
  field: 'temperatureC',
  windowKind: 'tumbling',
  windowStartMs: 1_764_064_380_000,
  windowEndMs: 1_764_064_440_000,
  count: 12,
  min: 22.9,
  max: 23.8,
  mean: 23.3,
  stddev: 0.2,
  emittedAtMs: 1_764_064_445_000,
  final: true,
}
const zoneAggregate: WindowAggregate = {
  ...aggregate,
  sensorId: 'zone:s01.z2',
  field: 'co2Ppm',
  scope: 'zone',
  zoneId: 's01.z2',
  windowSizeMs: 60_000,
  count: 120,
  min: 480,
  max: 1450,
  mean: 630,
  stddev: 90,
  p95: 810,
  sensors: 10,
  anomaly: { maxZ: 9.1, outliers: 2, flagged: true },
}
const alert: Alert = {
  alertId: '2f1c1b8e-4c6a-4f59-9a53-1d0f3e0b7a10',
  ruleId: 'temp-high',
  entityId: 'mote:1',
  state: 'firing',
  severity: 'warning',
  field: 'temperatureC',
  value: 41.2,
  threshold: 40,
  eventTimeMs: 1_764_064_380_000,
  raisedAtMs: 1_764_064_381_000,
}
const command: AlertCommand = {
  commandId: '7d3f8b0a-1e2c-4d5b-8a9f-0c1d2e3f4a5b',
  action: 'silence',
  ruleId: 'temp-high',
  silenceUntilMs: 1_764_068_000_000,
  issuedBy: 'ops@isobar',
  issuedAtMs: 1_764_064_400_000,
}

const cases: Array<[string, object, unknown, Array<[string, unknown]>]> = [
  [
    'weather observation v1',
    weatherObservationV1,
    observationV1,
    [
      ['temperature below absolute zero', { ...observation, temperatureC: -300 }],
      ['ISO string instead of epoch ms', { ...observation, eventTimeMs: '2026-11-25T10:00:00Z' }],
      ['v2 field under v1', observationV2],
      ['station id without scheme', { ...observation, stationId: 'KDAL' }],
    ],
  ],
  [
    'weather observation v2',
    weatherObservationV2,
    observationV2,
    [
      ['negative gust', { ...observationV2, windGustMps: -1 }],
      ['missing location', { ...observation, location: undefined }],
    ],
  ],
  [
    'sensor reading v1',
    sensorReadingV1,
    reading,
    [
      ['missing sequence', { ...reading, sequence: undefined }],
      ['humidity over 100 %', { ...reading, relativeHumidityPct: 140 }],
    ],
  ],
  [
    'sensor reading v2',
    sensorReadingV2,
    readingV2,
    [
      ['negative lux', { ...readingV2, illuminanceLx: -1 }],
      ['v3 field under v2', { ...readingV2, co2Ppm: 420 }],
    ],
  ],
  [
    'sensor reading v3',
    sensorReadingV3,
    readingV3,
    [
      ['unknown sensor type', { ...readingV3, sensorType: 'radiation' }],
      ['CO2 above 50000 ppm', { ...readingV3, co2Ppm: 60_000 }],
      ['negative vibration', { ...readingV3, vibrationRmsMmPerS: -0.1 }],
      ['power above 10 MW', { ...readingV3, powerW: 1e7 + 1 }],
      ['zone id with a space', { ...readingV3, zoneId: 's01 z2' }],
      ['site id with a dot', { ...readingV3, siteId: 's01.z2' }],
      ['empty zone id', { ...readingV3, zoneId: '' }],
      ['still closed', { ...readingV3, floor: 3 }],
    ],
  ],
  [
    'window aggregate v1',
    windowAggregateV1,
    aggregate,
    [
      ['empty window', { ...aggregate, count: 0 }],
      ['unknown field', { ...aggregate, field: 'temperatureF' }],
      ['v2 field under v1', { ...aggregate, field: 'co2Ppm' }],
      ['v2 property under v1', zoneAggregate],
    ],
  ],
  [
    'window aggregate v2 (zone statistics)',
    windowAggregateV2,
    zoneAggregate,
    [
      ['unknown scope', { ...zoneAggregate, scope: 'site' }],
      ['zero sensors', { ...zoneAggregate, sensors: 0 }],
      ['zero window size', { ...zoneAggregate, windowSizeMs: 0 }],
      ['fractional window size', { ...zoneAggregate, windowSizeMs: 1.5 }],
      ['negative maxZ', { ...zoneAggregate, anomaly: { maxZ: -1, outliers: 0, flagged: false } }],
      ['fractional outliers', { ...zoneAggregate, anomaly: { maxZ: 1, outliers: 0.5, flagged: false } }],
      ['anomaly without flagged', { ...zoneAggregate, anomaly: { maxZ: 1, outliers: 0 } }],
      ['anomaly is closed', { ...zoneAggregate, anomaly: { maxZ: 1, outliers: 0, flagged: false, why: 'x' } }],
      ['unknown window kind', { ...zoneAggregate, windowKind: 'sliding' }],
    ],
  ],
  [
    'alert v1',
    alertV1,
    alert,
    [
      ['bad state', { ...alert, state: 'maybe' }],
      ['alert id not a uuid', { ...alert, alertId: 'x' }],
    ],
  ],
  ['alert command v1', alertCommandV1, command, [['unknown action', { ...command, action: 'delete' }]]],
]

describe('message schemas', () => {
  for (const [name, schema, valid, invalids] of cases) {
    it(`${name}: accepts a real-looking message and rejects broken ones`, () => {
      const validate = validatorOf(schema)
      assert.equal(validate(JSON.parse(JSON.stringify(valid))), undefined)
      for (const [why, value] of invalids) {
        assert.ok(validate(JSON.parse(JSON.stringify(value))), `${name} should reject: ${why}`)
      }
    })
  }

  it('are all 2020-12 closed objects with an $id, and every framed topic has its subject <topic>-value', () => {
    const all = [...TOPICS.flatMap((t) => t.schemas), deadLetterEnvelopeV1] as Array<Record<string, unknown>>
    for (const schema of all) {
      assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema')
      assert.equal(schema.additionalProperties, false)
      assert.match(String(schema.$id), /^https:\/\/isobar\.dev\/schemas\//)
    }
    for (const spec of TOPICS) {
      if (spec.valueSubject) assert.equal(spec.valueSubject, `${spec.topic}-value`)
      assert.equal(spec.valueSubject === null, spec.schemas.length === 0)
    }
  })
})
