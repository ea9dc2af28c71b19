import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createMetricsRegistry, silentLogger } from '@isobar/core'
import { testKafkaClient } from '@isobar/testing'
import {
  buildWeatherStreamer,
  parseWeatherConfig,
  plainJsonEncoder,
  type WeatherObservation,
  type WeatherSource,
} from '@isobar/weather-streamer'
import { alertsTopic, readAll, weatherTopics } from './kafka-helpers.ts'

test('a source emitting a high gust puts a firing alert on the alerts topic of the real broker', async (t) => {
  const topics = weatherTopics(t)
  const alerts = alertsTopic(t)
  const now = Date.now()
  const gusty: WeatherSource = {
    name: 'sim',
    async run(ctx) {
      for (const [i, gust] of [8, 27].entries()) {
        const observation: WeatherObservation = {
          stationId: 'sim:gusty',
          source: 'synthetic',
          eventTimeMs: now - 60_000 + i * 30_000,
          ingestTimeMs: now,
          location: { latitudeDeg: 47.4, longitudeDeg: -122.3 },
          windGustMps: gust,
        }
        await ctx.emit(observation)
      }
    },
  }
  const streamer = buildWeatherStreamer({
    kafka: testKafkaClient(),
    encoder: plainJsonEncoder(),
    metrics: createMetricsRegistry('weather-alerts-kafka-test', { runtimeMetrics: false }),
    logger: silentLogger(),
    config: parseWeatherConfig({ topics: { ...topics, partitions: 1 }, alerts: { topic: alerts } }),
    batching: { maxRecords: 100, maxBytes: 1 << 20, lingerMs: 5, maxInFlight: 2 },
    sources: [gusty],
  })
  await streamer.start()
  await streamer.finished()
  await streamer.stop()

  const records = await readAll(alerts)
  assert.equal(records.length, 1)
  const [record] = records
  assert.equal(record!.key?.toString(), 'gust-high+sim:gusty')
  const event = JSON.parse(record!.value!.toString()) as Record<string, unknown>
  assert.deepEqual(
    [event.ruleId, event.entityId, event.state, event.change, event.value, event.threshold],
    ['gust-high', 'sim:gusty', 'firing', 'fired', 27, 20],
  )
  assert.equal((await readAll(topics.observations)).length, 2)
})
