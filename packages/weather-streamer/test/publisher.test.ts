import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BatchingProducer, createMetricsRegistry, type Producer, type ProducerRecord } from '@isobar/core'
import {
  ObservationPublisher,
  RECENT_EVENT_MS,
  WeatherMetrics,
  parseWeatherConfig,
  plainJsonEncoder,
  recordTimestamp,
  type WeatherObservation,
} from '@isobar/weather-streamer'

const observation: WeatherObservation = {
  stationId: 'sim:station-0001',
  source: 'synthetic',
  eventTimeMs: 1_764_064_800_000,
  ingestTimeMs: 1_764_064_800_100,
  location: { latitudeDeg: 50, longitudeDeg: 10 },
  temperatureC: 12.5,
}

/** A producer whose first `failures` sends reject with `error`, then acknowledges. */
function flakyProducer(
  failures: number,
  error = () => new Error('delivery timeout'),
): Producer & { sent: ProducerRecord[][] } {
  let calls = 0
  const sent: ProducerRecord[][] = []
  return {
    sent,
    send(records) {
      sent.push(records)
      if (calls++ < failures) return Promise.reject(error())
      return Promise.resolve([{ topic: records[0]!.topic, partition: 0, baseOffset: 0n }])
    },
    close: () => Promise.resolve(),
  }
}

function publisher(producer: Producer, onFatal?: (error: Error) => void) {
  return new ObservationPublisher({
    producer: new BatchingProducer(producer, { maxRecords: 10, maxBytes: 1 << 20, lingerMs: 1, maxInFlight: 2 }),
    encoder: plainJsonEncoder(),
    metrics: new WeatherMetrics(createMetricsRegistry('t', { runtimeMetrics: false })),
    topic: 'obs',
    deadLetterTopic: 'dlq',
    ...(onFatal ? { onFatal } : {}),
  })
}

test('a failed delivery is never re-sent by the publisher: it stops, and refuses what comes after', async () => {
  const producer = flakyProducer(1)
  const fatal: Error[] = []
  const p = publisher(producer, (error) => fatal.push(error))
  for (let i = 0; i < 5; i++) p.publish('sim', { ...observation, eventTimeMs: observation.eventTimeMs + i })
  await p.flush()
  assert.equal(producer.sent.flat().length, 5, "one attempt per record: retries are the client's")
  assert.deepEqual(p.stats('sim'), { produced: 5, delivered: 0, failed: 5, retried: 0, deadLettered: 0 })
  assert.equal(fatal.length, 1)
  assert.equal(fatal[0]?.message, 'delivery timeout')
  assert.equal(p.fatalError, fatal[0])

  assert.equal(p.publish('sim', observation), false)
  await p.flush()
  assert.equal(producer.sent.flat().length, 5, 'nothing produced after the stop')
  assert.equal(p.stats('sim').failed, 6)
})

test('records the broker refuses go to the DLQ with its reason, and publishing goes on', async () => {
  const refusal = () => Object.assign(new Error('Produce failed: MESSAGE_TOO_LARGE'), { apiId: 'MESSAGE_TOO_LARGE' })
  const producer = flakyProducer(1, refusal)
  const fatal: Error[] = []
  const p = publisher(producer, (error) => fatal.push(error))
  p.publish('metar', observation)
  await p.flush()
  p.publish('metar', { ...observation, eventTimeMs: observation.eventTimeMs + 1 })
  await p.flush()
  assert.deepEqual(fatal, [])
  assert.deepEqual(p.stats('metar'), { produced: 2, delivered: 1, failed: 0, retried: 0, deadLettered: 1 })
  const dead = producer.sent.flat().find((r) => r.topic === 'dlq')
  assert.equal(dead?.key?.toString(), 'sim:station-0001')
  assert.equal(dead?.headers?.['isobar.dlq.error.code']?.toString(), 'MESSAGE_TOO_LARGE')
  assert.equal(dead?.headers?.['isobar.dlq.stage']?.toString(), 'deliver')
  assert.equal(JSON.parse(dead.value!.toString()).stationId, 'sim:station-0001')
})

test('an observation that breaks the schema goes to the DLQ topic instead, one reason header each', async () => {
  const producer = flakyProducer(0)
  const p = publisher(producer)
  p.publish('replay', { ...observation, temperatureC: -300, extra: 1 } as WeatherObservation)
  await p.flush()
  assert.equal(p.stats('replay').deadLettered, 1)
  const [record] = producer.sent.flat()
  assert.equal(record?.topic, 'dlq')
  const reasons = Object.entries(record.headers!).filter(([k]) => k.startsWith('isobar.dlq.reason.'))
  assert.equal(reasons.length, 2)
  assert.match(reasons.map(([, v]) => v.toString()).join('\n'), /temperatureC[\s\S]*extra|extra[\s\S]*temperatureC/)
})

test('record timestamps: recent event time kept, historical or future event time replaced by now', () => {
  const now = 1_800_000_000_000
  assert.equal(recordTimestamp(now - 60_000, now), now - 60_000)
  assert.equal(recordTimestamp(now - RECENT_EVENT_MS - 1, now), now)
  assert.equal(recordTimestamp(now + 1, now), now)
})

test('config: defaults applied, bad fields named, file-based sources need their inputs', () => {
  const config = parseWeatherConfig({})
  assert.deepEqual(config.sources, ['sim'])
  assert.equal(config.topics.observations, 'weather.observations')
  assert.equal(config.topics.deadLetter, 'weather.dlq')
  assert.ok(Object.isFrozen(config.sim))
  assert.throws(() => parseWeatherConfig({ sources: ['sim', 'radar'] }), /sources/)
  assert.throws(() => parseWeatherConfig({ sim: { stations: 0 } }), /stations/)
  assert.throws(() => parseWeatherConfig({ sources: ['metar'] }), /metar source needs an input/)
  assert.throws(() => parseWeatherConfig({ sources: ['replay'] }), /replay source needs a CSV/)
})
