import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { Readable } from 'node:stream'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import {
  anchorTime,
  loadStationTable,
  metarSource,
  metarToObservation,
  parseStationTable,
  plainJsonEncoder,
  silentSourceContext,
  splitReports,
  vendoredMetarReports,
  WeatherErrorCodes,
} from '../helpers.ts'

const here = dirname(fileURLToPath(import.meta.url))

/** Real METAR reports from the test files of three public npm parsers, vendored under test/fixtures/metar/. */
const realReports = (): string[] => vendoredMetarReports()

// Real KDAL report recorded by the weather.gov team (public weather-gov/weather.gov repository).
const KDAL = 'KDAL 061653Z 15013G19KT 9SM BKN017 BKN023 OVC036 26/22 A2980 RMK AO2 SLP083 OCNL BINOVC T02610217'
const RECEIVED = Date.UTC(2024, 4, 6, 17, 0)

test('a real US report is normalised to SI with tenths from the T-group and station pressure', () => {
  const stations = parseStationTable('icao,lat,lon,elev\nKDAL,32.85,-96.85,148\n')
  const result = metarToObservation(KDAL, stations, RECEIVED, RECEIVED + 5)
  assert.ok(result.ok)
  const o = result.observation
  assert.equal(o.stationId, 'metar:KDAL')
  assert.equal(o.source, 'metar')
  assert.equal(o.eventTimeMs, Date.UTC(2024, 4, 6, 16, 53))
  assert.equal(o.ingestTimeMs, RECEIVED + 5)
  assert.deepEqual(o.location, { latitudeDeg: 32.85, longitudeDeg: -96.85, elevationM: 148 })
  assert.equal(o.temperatureC, 26.1)
  assert.equal(o.dewPointC, 21.7)
  assert.equal(o.windSpeedMps, 6.69)
  assert.equal(o.windGustMps, 9.77)
  assert.equal(o.windDirectionDeg, 150)
  assert.equal(o.visibilityM, 14484)
  // A2980 = 1009.1 hPa at sea level; at 148 m the standard atmosphere puts the station about 17.6 hPa lower.
  assert.ok(Math.abs(o.pressurePa! - 99_156) < 20, `pressure ${o.pressurePa}`)
  assert.ok(Math.abs(o.relativeHumidityPct! - 76.8) < 0.5)
  plainJsonEncoder().encode(o)
})

test('about 70 real reports from npm packages: each becomes a valid observation or a reasoned rejection', async () => {
  const stations = await loadStationTable(join(here, '..', 'fixtures', 'metar-stations.conf'))
  assert.ok(stations.size >= 35)
  const encoder = plainJsonEncoder()
  const reports = realReports()
  assert.ok(reports.length >= 65, `found ${reports.length} reports`)
  const received = Date.UTC(2026, 10, 25, 12)
  let ok = 0
  const rejected: Record<string, number> = {}
  for (const report of reports) {
    const result = metarToObservation(report, stations, received, received)
    if (result.ok) {
      ok++
      encoder.encode(result.observation)
      assert.ok(result.observation.eventTimeMs <= received + 3_600_000)
      if (result.observation.dewPointC !== undefined) {
        assert.ok(result.observation.dewPointC <= result.observation.temperatureC! + 1, report)
      }
    } else {
      assert.ok(result.reasons.length > 0)
      for (const r of result.reasons) rejected[r.code] = (rejected[r.code] ?? 0) + 1
    }
  }
  assert.ok(ok >= 50, `only ${ok} of ${reports.length} parsed`)
  // EFHF, EFKA, EFVR are not in the station excerpt, and EVRA 601050Z has day 60.
  assert.ok((rejected[WeatherErrorCodes.UNKNOWN_STATION] ?? 0) >= 3)
  assert.ok((rejected[WeatherErrorCodes.METAR_INCOMPLETE] ?? 0) >= 1)
})

test('a Russian MPS report converts the wind without a knot factor', () => {
  const report = realReports().find((r) => /^(METAR )?UUEE .*MPS/.test(r))
  assert.ok(report, 'the UUEE report with MPS winds is among the samples')
  const stations = parseStationTable('UUEE,55.97,37.41,190\n')
  const result = metarToObservation(report, stations, Date.UTC(2026, 10, 25, 12), 0)
  assert.ok(result.ok)
  const mps = Number(/ \d{3}(\d{2})(G\d{2})?MPS/.exec(report)![1])
  assert.equal(result.observation.windSpeedMps, mps)
})

test('day-of-month times anchor to the latest matching day, across a month rollover', () => {
  assert.equal(anchorTime(31, 23, 50, Date.UTC(2026, 5, 1, 0, 5)), Date.UTC(2026, 4, 31, 23, 50))
  assert.equal(anchorTime(25, 11, 50, Date.UTC(2026, 10, 25, 12)), Date.UTC(2026, 10, 25, 11, 50))
  assert.equal(anchorTime(60, 10, 50, Date.UTC(2026, 10, 25, 12)), undefined)
})

test('splitReports reads raw lines, NOAA station files and wrapped bulletins', () => {
  assert.deepEqual(splitReports('2024/05/06 16:53\nKDAL 061653Z 15013KT 26/22 A2980\n'), [
    'KDAL 061653Z 15013KT 26/22 A2980',
  ])
  assert.deepEqual(
    splitReports('METAR EGLL 251150Z 24010KT\n 9999 12/08 Q1012=\nEHAM 251155Z 22008KT 9999 11/07 Q1013='),
    ['METAR EGLL 251150Z 24010KT 9999 12/08 Q1012', 'EHAM 251155Z 22008KT 9999 11/07 Q1013'],
  )
})

test('an unknown station and unparseable text are rejected with reasons, not thrown', () => {
  const stations = parseStationTable('KDAL,32.85,-96.85\n')
  const unknown = metarToObservation('KXYZ 061653Z 15013KT 9SM 26/22 A2980', stations, RECEIVED, 0)
  assert.equal(unknown.ok, false)
  assert.ok(!unknown.ok && unknown.reasons.some((r) => r.code === WeatherErrorCodes.UNKNOWN_STATION))
  const noTemp = metarToObservation('KDAL 061653Z 15013KT 9SM A2980', stations, RECEIVED, 0)
  assert.ok(!noTemp.ok && noTemp.reasons.some((r) => r.message.includes('temperature')))
  // Without an elevation, the altimeter setting cannot become a station pressure: it is left out.
  const ok = metarToObservation(KDAL, stations, RECEIVED, 0)
  assert.ok(ok.ok && ok.observation.pressurePa === undefined)
})

test('the HTTP input polls an aviationweather.gov-style raw endpoint and sends each report once', async (t) => {
  let polls = 0
  const server = createServer((_req, res) => {
    polls++
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`${KDAL}\n`)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const abort = new AbortController()
  const ctx = silentSourceContext(abort.signal)
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/data/metar?ids=KDAL&format=raw`
  const running = metarSource({
    input: { kind: 'http', url, intervalMs: 5 },
    stations: parseStationTable('KDAL,32.85,-96.85,148\n'),
    receivedMs: RECEIVED,
  }).run(ctx)
  while (polls < 3) await new Promise((resolve) => setTimeout(resolve, 5))
  abort.abort()
  await running
  assert.equal(ctx.emitted.length, 1, 'the repeated report is deduplicated')
  assert.equal(ctx.emitted[0]!.stationId, 'metar:KDAL')
})

test('the stream input (stdin) reads every report', async () => {
  const ctx = silentSourceContext()
  await metarSource({
    input: { kind: 'stream', stream: Readable.from([`${KDAL}\n`, 'KXYZ 061653Z 15013KT 26/22 A2980\n']) },
    stations: parseStationTable('KDAL,32.85,-96.85,148\n'),
    receivedMs: RECEIVED,
  }).run(ctx)
  assert.equal(ctx.emitted.length, 1)
  assert.equal(ctx.rejected.length, 1)
  assert.equal(ctx.rejected[0]!.key, 'KXYZ')
})
