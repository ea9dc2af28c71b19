import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test, type TestContext } from 'node:test'
import { openMeteoSource, openMeteoToObservation, plainJsonEncoder, silentSourceContext } from '../helpers.ts'

/** The documented `current` response shape (api.open-meteo.com/v1/forecast), values of a real Berlin-like call. */
function currentResponse(time: number, windUnit: 'm/s' | 'km/h' = 'm/s') {
  return {
    latitude: 52.52,
    longitude: 13.419998,
    generationtime_ms: 0.07,
    utc_offset_seconds: 0,
    timezone: 'GMT',
    timezone_abbreviation: 'GMT',
    elevation: 38,
    current_units: {
      time: 'unixtime',
      interval: 'seconds',
      temperature_2m: '°C',
      relative_humidity_2m: '%',
      dew_point_2m: '°C',
      surface_pressure: 'hPa',
      precipitation: 'mm',
      wind_speed_10m: windUnit,
      wind_direction_10m: '°',
      wind_gusts_10m: windUnit,
    },
    current: {
      time,
      interval: 900,
      temperature_2m: -4.1,
      relative_humidity_2m: 93,
      dew_point_2m: -5,
      surface_pressure: 1006,
      precipitation: 0,
      wind_speed_10m: windUnit === 'km/h' ? 7.6 : 2.11,
      wind_direction_10m: 275,
      wind_gusts_10m: windUnit === 'km/h' ? 20.5 : 5.69,
    },
  }
}

async function stub(t: TestContext, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/forecast`
}

test('the poller backs off on 429 and 500, then emits the observation once per model time step', async (t) => {
  const requests: string[] = []
  const T = 1_764_064_800
  const answers = [
    () => ({ status: 429, headers: { 'retry-after': '0' }, body: { reason: 'Too many requests' } }),
    () => ({ status: 500, headers: {}, body: { error: true, reason: 'boom' } }),
    () => ({ status: 200, headers: {}, body: currentResponse(T) }),
    () => ({ status: 200, headers: {}, body: currentResponse(T) }),
    () => ({ status: 200, headers: {}, body: currentResponse(T + 900) }),
  ]
  const url = await stub(t, (req, res) => {
    requests.push(req.url ?? '')
    const answer = (answers[requests.length - 1] ?? answers.at(-1)!)()
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
    res.end(JSON.stringify(answer.body))
  })
  const ctx = silentSourceContext()
  await openMeteoSource({
    url,
    locations: [{ latitudeDeg: 52.52, longitudeDeg: 13.41 }],
    intervalMs: 1,
    backoffMs: 5,
    maxPolls: 5,
  }).run(ctx)

  assert.equal(requests.length, 5)
  const query = new URL(requests[0]!, 'http://x').searchParams
  assert.equal(query.get('latitude'), '52.52')
  assert.equal(query.get('wind_speed_unit'), 'ms')
  assert.match(query.get('current') ?? '', /temperature_2m/)
  assert.deepEqual(
    ctx.emitted.map((o) => o.eventTimeMs),
    [T * 1000, (T + 900) * 1000],
    'the repeated time step is not sent twice',
  )
  const o = ctx.emitted[0]!
  assert.equal(o.stationId, 'open-meteo:52.52,13.41')
  assert.equal(o.source, 'open-meteo')
  assert.equal(o.temperatureC, -4.1)
  assert.equal(o.pressurePa, 100_600)
  assert.equal(o.windSpeedMps, 2.11)
  assert.equal(o.windGustMps, 5.69)
  assert.deepEqual(o.location, { latitudeDeg: 52.52, longitudeDeg: 13.419998, elevationM: 38 })
  plainJsonEncoder().encode(o)
})

test('units are read from current_units: km/h becomes m/s, ISO local time uses the UTC offset', () => {
  const body = currentResponse(0, 'km/h') as unknown as { current: Record<string, unknown>; utc_offset_seconds: number }
  body.current.time = '2025-12-25T06:45'
  body.utc_offset_seconds = 10_800
  const o = openMeteoToObservation(body, { latitudeDeg: 55.75, longitudeDeg: 37.62 }, 0)
  assert.equal(o.eventTimeMs, Date.UTC(2025, 11, 25, 3, 45))
  assert.equal(o.windSpeedMps, 2.11)
  assert.equal(o.windGustMps, 5.69)
  assert.throws(() => openMeteoToObservation({ error: true }, { latitudeDeg: 0, longitudeDeg: 0 }, 0), /current/)
})

test('stopping the service interrupts the polling wait', async (t) => {
  const url = await stub(t, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(currentResponse(1_764_064_800)))
  })
  const abort = new AbortController()
  const ctx = silentSourceContext(abort.signal)
  const running = openMeteoSource({ url, locations: [{ latitudeDeg: 1, longitudeDeg: 2 }], intervalMs: 600_000 }).run(
    ctx,
  )
  while (ctx.emitted.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
  abort.abort()
  await running
  assert.equal(ctx.emitted.length, 1)
})
