/**
 * METAR report → weather observation, via metar-taf-parser. The report has only day-of-month and time, so it
 * is anchored to the receive time (the most recent such day, handling month rollover). Units are normalised
 * to SI; pressure is station pressure, derived from the altimeter setting and the station elevation.
 */
import { AltimeterUnit, DistanceUnit, RemarkType, parseMetar, type IMetar, type Remark } from 'metar-taf-parser'
import { WeatherErrorCodes } from '../errors.ts'
import { WIRE_SOURCE, type RejectReason, type WeatherObservation } from '../observation.ts'
import {
  INCH_MM,
  INHG_HPA,
  KMH_MPS,
  KNOT_MPS,
  STATUTE_MILE_M,
  relativeHumidityPct,
  round,
  stationPressureFromAltimeterHpa,
} from '../physics.ts'
import type { StationTable } from './stations.ts'

export type MetarResult = { ok: true; observation: WeatherObservation } | { ok: false; reasons: RejectReason[] }

/** The latest UTC instant with this day/hour/minute not after `receivedMs` (+ 1 h of clock skew allowance). */
export function anchorTime(day: number, hour: number, minute: number, receivedMs: number): number | undefined {
  if (day < 1 || day > 31 || hour > 24 || minute > 59) return undefined
  const received = new Date(receivedMs + 3_600_000)
  for (let back = 0; back < 3; back++) {
    const year = received.getUTCFullYear()
    const month = received.getUTCMonth() - back
    const candidate = Date.UTC(year, month, day, hour, minute)
    // Date.UTC rolls 31 April over into May: such a day does not exist in that month.
    if (new Date(candidate).getUTCDate() !== day) continue
    if (candidate <= received.getTime()) return candidate
  }
  return undefined
}

function speedMps(value: number, unit: string): number {
  if (unit === 'MPS') return value
  if (unit === 'KM/H') return value * KMH_MPS
  return value * KNOT_MPS
}

function remarkOf<T extends Remark['type']>(remarks: Remark[], type: T): Extract<Remark, { type: T }> | undefined {
  return remarks.find((r) => r.type === type) as Extract<Remark, { type: T }> | undefined
}

function safeParse(text: string): IMetar | Error {
  try {
    return parseMetar(text)
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error))
  }
}

export function metarToObservation(
  text: string,
  stations: StationTable,
  receivedMs: number,
  ingestTimeMs: number,
): MetarResult {
  const raw = text.trim().replace(/=$/, '')
  const parsed = safeParse(raw)
  if (parsed instanceof Error) {
    return { ok: false, reasons: [{ code: WeatherErrorCodes.METAR_UNPARSEABLE, message: parsed.message }] }
  }
  const reasons: RejectReason[] = []
  const station = stations.get(parsed.station?.toUpperCase() ?? '')
  if (!station) {
    reasons.push({ code: WeatherErrorCodes.UNKNOWN_STATION, message: `no coordinates for station ${parsed.station}` })
  }
  if (parsed.nil) reasons.push({ code: WeatherErrorCodes.METAR_INCOMPLETE, message: 'NIL report (no data)' })
  const eventTimeMs =
    parsed.day === undefined || parsed.hour === undefined
      ? undefined
      : anchorTime(parsed.day, parsed.hour, parsed.minute ?? 0, receivedMs)
  if (eventTimeMs === undefined) {
    reasons.push({ code: WeatherErrorCodes.METAR_INCOMPLETE, message: 'missing or impossible observation time' })
  }
  // US remarks carry tenths of a degree (T02610217): prefer them to the whole degrees of the main body.
  const precise = remarkOf(parsed.remarks, RemarkType.HourlyTemperatureDewPoint)
  const temperatureC = precise?.temperature ?? parsed.temperature
  const dewPointC = precise?.dewPoint ?? parsed.dewPoint
  if (temperatureC === undefined) {
    reasons.push({ code: WeatherErrorCodes.METAR_INCOMPLETE, message: 'no temperature group' })
  }
  if (!station || eventTimeMs === undefined || temperatureC === undefined || reasons.length > 0) {
    return { ok: false, reasons }
  }

  const observation: WeatherObservation = {
    stationId: `metar:${parsed.station.toUpperCase()}`,
    source: WIRE_SOURCE.metar,
    eventTimeMs,
    ingestTimeMs,
    location: { ...station },
    temperatureC,
  }
  if (dewPointC !== undefined) {
    observation.dewPointC = dewPointC
    observation.relativeHumidityPct = round(relativeHumidityPct(temperatureC, dewPointC), 1)
  }
  const wind = parsed.wind
  if (wind) {
    observation.windSpeedMps = round(speedMps(wind.speed, wind.unit), 2)
    if (wind.gust !== undefined) observation.windGustMps = round(speedMps(wind.gust, wind.unit), 2)
    if (wind.degrees !== undefined) observation.windDirectionDeg = wind.degrees
  }
  if (parsed.cavok) observation.visibilityM = 10000
  else if (parsed.visibility) {
    const v = parsed.visibility
    observation.visibilityM = Math.round(v.unit === DistanceUnit.StatuteMiles ? v.value * STATUTE_MILE_M : v.value)
  }
  const altimeter = parsed.altimeter
  if (altimeter && station.elevationM !== undefined) {
    const hpa = altimeter.unit === AltimeterUnit.InHg ? altimeter.value * INHG_HPA : altimeter.value
    observation.pressurePa = Math.round(stationPressureFromAltimeterHpa(hpa, station.elevationM) * 100)
  }
  const precipitation = remarkOf(parsed.remarks, RemarkType.HourlyPrecipitationAmount)
  if (precipitation) observation.precipitationMm = round(precipitation.amount * INCH_MM, 2)
  return { ok: true, observation }
}

/** Splits METAR text into reports: one per line (AWC raw), NOAA station files (date line first), `=`-terminated bulletins. */
export function splitReports(text: string): string[] {
  const reports: string[] = []
  let pending = ''
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim()
    if (!line || /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/.test(line)) continue
    // A continuation line (bulletins wrap long reports) does not start with a station/report word.
    if (pending && !/^(METAR |SPECI )?[A-Z][A-Z0-9]{3} \d{6}Z/.test(line)) pending += ` ${line}`
    else {
      if (pending) reports.push(pending)
      pending = line
    }
    if (pending.endsWith('=')) {
      reports.push(pending.slice(0, -1))
      pending = ''
    }
  }
  if (pending) reports.push(pending)
  return reports
}
