import assert from 'node:assert/strict'
import { test } from 'node:test'
import { plainJsonEncoder, StationSimulator, type WeatherObservation } from '@isobar/weather-streamer'

const START = Date.UTC(2026, 0, 10, 0, 0)
const HOUR = 3_600_000

function run(seed: number, rounds: number, stations = 20, intervalMs = HOUR / 4): WeatherObservation[] {
  const sim = new StationSimulator({ stations, seed, startTimeMs: START, intervalMs })
  const out: WeatherObservation[] = []
  for (let i = 0; i < rounds; i++) out.push(...sim.round(0))
  return out
}

test('the same seed replays the same weather; another seed does not', () => {
  const a = run(7, 50)
  assert.deepEqual(run(7, 50), a)
  assert.notDeepEqual(run(8, 50), a)
})

test('physics invariants hold over a simulated week and every observation matches the schema', () => {
  const observations = run(42, 7 * 96)
  const encoder = plainJsonEncoder()
  let rainy = 0
  for (const o of observations) {
    assert.ok(o.dewPointC! <= o.temperatureC!, `dew point ${o.dewPointC} above temperature ${o.temperatureC}`)
    assert.ok(o.windGustMps! >= o.windSpeedMps!, `gust ${o.windGustMps} below wind ${o.windSpeedMps}`)
    assert.ok(o.relativeHumidityPct! >= 0 && o.relativeHumidityPct! <= 100)
    assert.ok(o.precipitationMm! >= 0)
    assert.ok(o.pressurePa! > 70_000 && o.pressurePa! < 106_000, `pressure ${o.pressurePa}`)
    if (o.precipitationMm! > 0) rainy++
    encoder.encode(o)
  }
  assert.ok(rainy > 0, 'rain events happen under lows')
  assert.ok(rainy < observations.length / 2, 'but it does not rain everywhere all the time')
})

test('temperatures follow a diurnal cycle: afternoons warmer than dawns at local solar time', () => {
  let afternoon = 0
  let dawn = 0
  let nA = 0
  let nD = 0
  for (const o of run(3, 4 * 96)) {
    const solarHour = ((((o.eventTimeMs % (24 * HOUR)) / HOUR + o.location.longitudeDeg / 15) % 24) + 24) % 24
    if (solarHour >= 14 && solarHour < 16) {
      afternoon += o.temperatureC!
      nA++
    }
    if (solarHour >= 3 && solarHour < 5) {
      dawn += o.temperatureC!
      nD++
    }
  }
  assert.ok(nA > 0 && nD > 0)
  assert.ok(afternoon / nA > dawn / nD + 3, `afternoon ${afternoon / nA} vs dawn ${dawn / nD}`)
})

test('pressure systems move: a station sees its pressure change over two days', () => {
  const observations = run(11, 2 * 96, 5)
  const first = observations.filter((o) => o.stationId === observations[0]!.stationId).map((o) => o.pressurePa!)
  assert.ok(Math.max(...first) - Math.min(...first) > 100, 'more than 1 hPa of change')
})

test('event time advances by the interval and station ids are keys of the sim scheme', () => {
  const observations = run(1, 3, 2, 60_000)
  assert.deepEqual(
    observations.map((o) => o.eventTimeMs),
    [START, START, START + 60_000, START + 60_000, START + 120_000, START + 120_000],
  )
  assert.match(observations[0]!.stationId, /^sim:station-0001$/)
  assert.equal(observations[0]!.source, 'synthetic')
})
