import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import {
  defaultReplayFile,
  plainJsonEncoder,
  replayRowToObservation,
  replaySource,
  silentSourceContext,
  WEATHER_CSV_STATIONS,
} from '../helpers.ts'

test('the Seattle rows of weather.csv (real NOAA daily data) replay in order with event time preserved', async () => {
  const file = defaultReplayFile()
  assert.ok(file, '@observablehq/sample-datasets is installed')
  const ctx = silentSourceContext()
  await replaySource({ path: file, timeScale: 0 }).run(ctx)
  const observations = ctx.emitted
  assert.equal(observations.length, 1461)
  assert.equal(ctx.rejected.length, 0)
  const first = observations[0]!
  // Seattle,2012-01-01,0.0,12.8,5.0,4.7,drizzle
  assert.equal(first.eventTimeMs, Date.UTC(2012, 0, 1))
  assert.equal(first.temperatureC, 8.9)
  assert.equal(first.windSpeedMps, 4.7)
  assert.equal(first.precipitationMm, 0)
  assert.equal(first.stationId, 'ghcnd:USW00024233')
  assert.equal(observations.at(-1)!.eventTimeMs, Date.UTC(2015, 11, 31))
  for (let i = 1; i < observations.length; i++) {
    assert.equal(observations[i]!.eventTimeMs - observations[i - 1]!.eventTimeMs, 86_400_000)
  }
  const encoder = plainJsonEncoder()
  for (const o of observations) encoder.encode(o)
})

test('the time scale paces rows by their event-time gaps', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'replay-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const file = join(dir, 'w.csv')
  await writeFile(
    file,
    'location,date,precipitation,temp_max,temp_min,wind,weather\nSeattle,2012-01-01,0,10,2,3,rain\n' +
      'Seattle,2012-01-03,0,11,3,4,sun\nNew York,2012-01-03,0,1,-3,4,sun\nSeattle,2012-01-04,x,11,3,4,sun\n',
  )
  const ctx = silentSourceContext()
  // 2 days at a time scale of 86 400 000: a 2 ms pause between the two Seattle rows.
  await replaySource({ path: file, timeScale: 86_400_000 }).run(ctx)
  assert.deepEqual(
    ctx.emitted.map((o) => o.eventTimeMs),
    [Date.UTC(2012, 0, 1), Date.UTC(2012, 0, 3)],
  )
  assert.equal(ctx.rejected.length, 1, 'the row with a bad precipitation goes to the dead-letter topic')
  assert.match(ctx.rejected[0]!.reasons[0]!.message, /precipitation/)
})

test('a row maps to SI fields of the observation schema', () => {
  const row = replayRowToObservation(
    { date: '2014-07-04', precipitation: '1.5', temp_max: '25', temp_min: '15', wind: '2.5' },
    WEATHER_CSV_STATIONS.Seattle!,
    99,
  )
  assert.ok(row.ok)
  assert.deepEqual(row.observation, {
    stationId: 'ghcnd:USW00024233',
    source: 'nws',
    eventTimeMs: Date.UTC(2014, 6, 4),
    ingestTimeMs: 99,
    location: { latitudeDeg: 47.4444, longitudeDeg: -122.3139, elevationM: 112.8 },
    temperatureC: 20,
    windSpeedMps: 2.5,
    precipitationMm: 1.5,
  })
})
