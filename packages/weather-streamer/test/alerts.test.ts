import assert from 'node:assert/strict'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { decodeAlertEvent, type AlertEvent } from '@isobar/alerts'
import {
  createMetricsRegistry,
  encodeFrame,
  silentLogger,
  type Admin,
  type KafkaClient,
  type NewTopic,
  type Producer,
  type ProducerRecord,
} from '@isobar/core'
import {
  ALERTS_TOPIC,
  buildWeatherStreamer,
  loadWeatherAlertRules,
  parseWeatherConfig,
  plainJsonEncoder,
  type TickTimer,
  type WeatherObservation,
  type WeatherSource,
} from '@isobar/weather-streamer'

const here = dirname(fileURLToPath(import.meta.url))
const BATCHING = { maxRecords: 100, maxBytes: 1 << 20, lingerMs: 1, maxInFlight: 2 }
const MIN = 60_000
const T0 = Date.UTC(2026, 10, 25, 12)

/** An in-memory Kafka: records what was produced and which topics were created. */
function memoryKafka(): { kafka: KafkaClient; sent: ProducerRecord[]; created: NewTopic[] } {
  const sent: ProducerRecord[] = []
  const created: NewTopic[] = []
  const admin = {
    listTopics: () => Promise.resolve([]),
    createTopics: (topics: NewTopic[]) => Promise.resolve(void created.push(...topics)),
    close: () => Promise.resolve(),
  } as unknown as Admin
  const producer: Producer = {
    send(records) {
      sent.push(...records)
      return Promise.resolve(records.map((r) => ({ topic: r.topic, partition: 0, baseOffset: 0n })))
    },
    close: () => Promise.resolve(),
  }
  const kafka = { name: 'memory', admin: () => admin, producer: () => producer } as unknown as KafkaClient
  return { kafka, sent, created }
}

/** A timer the test fires by hand; records whether it is running. */
function manualTimer(): { timer: TickTimer; fire(): void; running(): boolean } {
  let tick: (() => void) | undefined
  let running = false
  return {
    timer(fn) {
      tick = fn
      running = true
      return () => (running = false)
    },
    fire: () => tick?.(),
    running: () => running,
  }
}

function observation(stationId: string, minute: number, windGustMps: number): WeatherObservation {
  return {
    stationId,
    source: 'synthetic',
    eventTimeMs: T0 + minute * MIN,
    ingestTimeMs: T0 + minute * MIN,
    location: { latitudeDeg: 47.4, longitudeDeg: -122.3 },
    temperatureC: 12,
    windGustMps,
  }
}

function listSource(observations: WeatherObservation[]): WeatherSource {
  return {
    name: 'sim',
    async run(ctx) {
      for (const o of observations) await ctx.emit(o)
    },
  }
}

function alertValues(sent: ProducerRecord[], topic: string) {
  return sent
    .filter((r) => r.topic === topic)
    .map((r) => ({ key: r.key?.toString(), ...decodeAlertEvent(r.value ?? null)! }))
}

test('a gust stream fires then resolves a gust alert; a silent station goes stale on the tick; counted', async () => {
  const { kafka, sent, created } = memoryKafka()
  const clock = { now: T0 }
  const ticks = manualTimer()
  const metrics = createMetricsRegistry('weather-alerts-test', { runtimeMetrics: false })
  const streamer = buildWeatherStreamer({
    kafka,
    encoder: plainJsonEncoder(),
    metrics,
    logger: silentLogger(),
    config: parseWeatherConfig({ alerts: { topic: 'alerts-test' } }),
    batching: BATCHING,
    now: () => clock.now,
    alertTimer: ticks.timer,
    sources: [
      listSource([
        observation('sim:a', 0, 10),
        observation('sim:a', 10, 24), // above 20: fires at once (for: 0s)
        observation('sim:a', 20, 17), // between clear (15) and 20: still firing (hysteresis)
        observation('sim:a', 30, 12), // at or below 15: resolves
        observation('sim:b', 30, 5),
      ]),
    ],
  })
  await streamer.start()
  assert.equal(ticks.running(), true, 'the tick runs while the streamer does')
  await streamer.finished()
  assert.deepEqual(
    created.map((t) => t.name),
    ['weather.observations', 'weather.dlq', 'alerts-test'],
  )

  clock.now = T0 + 29 * MIN
  ticks.fire()
  assert.deepEqual(streamer.alerts(), [], 'nothing open before 30 minutes of silence')
  clock.now = T0 + 31 * MIN
  ticks.fire()
  assert.deepEqual(
    streamer
      .alerts()
      .map((a) => a.key)
      .sort(),
    ['station-stale+sim:a', 'station-stale+sim:b'],
  )
  await streamer.stop()
  assert.equal(ticks.running(), false, 'stop() stops the tick')

  const alerts = alertValues(sent, 'alerts-test')
  const gust = alerts.filter((a) => a.ruleId === 'gust-high')
  assert.deepEqual(
    gust.map((a) => [a.key, a.change, a.state, a.value, a.eventTimeMs]),
    [
      ['gust-high+sim:a', 'fired', 'firing', 24, T0 + 10 * MIN],
      ['gust-high+sim:a', 'resolved', 'resolved', 12, T0 + 30 * MIN],
    ],
  )
  assert.equal(gust[0]!.alertId, gust[1]!.alertId, 'one episode')
  assert.deepEqual(alerts.filter((a) => a.ruleId === 'station-stale').length, 2)
  assert.deepEqual(streamer.alertsProduced().delivered, 4, 'alert events go through the flushed publisher')
  assert.equal(sent.filter((r) => r.topic === 'weather.observations').length, 5)

  const text = await metrics.metrics()
  assert.match(text, /isobar_weather_alerts_total\{rule="gust-high",status="fired",service="weather-alerts-test"\} 1/)
  assert.match(
    text,
    /isobar_weather_alerts_total\{rule="gust-high",status="resolved",service="weather-alerts-test"\} 1/,
  )
  assert.match(
    text,
    /isobar_weather_alerts_total\{rule="station-stale",status="fired",service="weather-alerts-test"\} 2/,
  )
})

test('an observation refused by validation is not evaluated', async () => {
  const { kafka, sent } = memoryKafka()
  const bad = { ...observation('sim:a', 0, 40), relativeHumidityPct: 150 }
  const streamer = buildWeatherStreamer({
    kafka,
    encoder: plainJsonEncoder(),
    metrics: createMetricsRegistry('weather-alerts-test', { runtimeMetrics: false }),
    logger: silentLogger(),
    config: parseWeatherConfig({}),
    batching: BATCHING,
    alertTimer: manualTimer().timer,
    sources: [listSource([bad])],
  })
  await streamer.start()
  await streamer.finished()
  await streamer.stop()
  assert.deepEqual(
    sent.map((r) => r.topic),
    ['weather.dlq'],
  )
})

test('a bad rule refuses the start, naming it; nothing is created', async () => {
  const { kafka, created } = memoryKafka()
  const streamer = buildWeatherStreamer({
    kafka,
    encoder: plainJsonEncoder(),
    metrics: createMetricsRegistry('weather-alerts-test', { runtimeMetrics: false }),
    logger: silentLogger(),
    config: parseWeatherConfig({ alerts: { rulesFile: join(here, 'fixtures', 'bad-alert-rules.yaml') } }),
    batching: BATCHING,
    alertTimer: manualTimer().timer,
    sources: [listSource([])],
  })
  await assert.rejects(streamer.start(), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'ISOBAR_ALERTS_RULES_INVALID')
    assert.match(error.message, /rule "pressure-falling" field "direction"/)
    return true
  })
  assert.deepEqual(created, [])
  assert.equal(streamer.isReady(), false)
})

test('alerts can be disabled: no rules read, no alerts topic', async () => {
  const { kafka, created } = memoryKafka()
  const config = parseWeatherConfig({ alerts: { enabled: false, rulesFile: '/nonexistent/rules.yaml' } })
  const streamer = buildWeatherStreamer({
    kafka,
    encoder: plainJsonEncoder(),
    metrics: createMetricsRegistry('weather-alerts-test', { runtimeMetrics: false }),
    logger: silentLogger(),
    config,
    batching: BATCHING,
    sources: [listSource([observation('sim:a', 0, 40)])],
  })
  await streamer.start()
  await streamer.finished()
  await streamer.stop()
  assert.deepEqual(
    created.map((t) => t.name),
    ['weather.observations', 'weather.dlq'],
  )
  assert.deepEqual(streamer.alerts(), [])
})

test('the default config uses weather.alerts and the shipped rules file', async () => {
  const config = parseWeatherConfig({})
  assert.deepEqual([config.alerts.enabled, config.alerts.topic], [true, ALERTS_TOPIC])
  const rules = await loadWeatherAlertRules(config.alerts.rulesFile)
  assert.deepEqual(
    rules.map((r) => [r.id, r.type, r.metric]),
    [
      ['gust-high', 'threshold', 'windGustMps'],
      ['temperature-drop', 'rate-of-change', 'temperatureC'],
      ['pressure-falling', 'rate-of-change', 'pressurePa'],
      ['station-stale', 'stale', undefined],
    ],
  )
  assert.throws(() => parseWeatherConfig({ alerts: { topic: '' } }), /alerts\/topic/)
})

test('alert events go through the alert encoder (the registry wire format in the service); one it refuses is skipped', async () => {
  const { kafka, sent } = memoryKafka()
  const framed = (event: AlertEvent): Buffer => {
    if (event.entityId === 'sim:refused') throw new Error('schema says no')
    return encodeFrame(9, Buffer.from(JSON.stringify(event)))
  }
  const streamer = buildWeatherStreamer({
    kafka,
    encoder: plainJsonEncoder(),
    alertEncoder: framed,
    metrics: createMetricsRegistry('weather-alerts-encoder-test', { runtimeMetrics: false }),
    logger: silentLogger(),
    config: parseWeatherConfig({ alerts: { topic: 'alerts-framed' } }),
    batching: BATCHING,
    now: () => T0,
    alertTimer: manualTimer().timer,
    sources: [listSource([observation('sim:a', 0, 24), observation('sim:refused', 0, 24)])],
  })
  await streamer.start()
  await streamer.finished()
  await streamer.stop()
  const records = sent.filter((r) => r.topic === 'alerts-framed')
  assert.equal(records.length, 1, 'the refused one is not sent')
  assert.equal(records[0]!.value![0], 0, 'magic byte')
  assert.equal(records[0]!.value!.readUInt32BE(1), 9, 'schema id')
  assert.equal(decodeAlertEvent(records[0]!.value)?.entityId, 'sim:a', 'decodeAlertEvent reads the frame')
})
