/**
 * Historical replay of NOAA daily observations in the `weather.csv` layout
 * (`location,date,precipitation,temp_max,temp_min,wind,weather`; mm, °C, m/s). Event time is the observation
 * day (00:00 UTC) and is preserved; only the pacing is scaled: `timeScale` simulated seconds per wall second
 * (86400 = one day per second; 0 = as fast as the producer takes them).
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { WeatherErrorCodes } from '../errors.ts'
import { WIRE_SOURCE, type RejectReason, type WeatherObservation } from '../observation.ts'
import { round } from '../physics.ts'
import { sleep, type WeatherSource } from './source.ts'
import type { StationInfo } from './stations.ts'

export interface ReplayStation extends StationInfo {
  /** Station id (scheme `ghcnd:`), e.g. ghcnd:USW00024233. */
  stationId: string
}

/** GHCN-Daily stations behind weather.csv's two locations (NOAA station metadata). */
export const WEATHER_CSV_STATIONS: Record<string, ReplayStation> = {
  Seattle: { stationId: 'ghcnd:USW00024233', latitudeDeg: 47.4444, longitudeDeg: -122.3139, elevationM: 112.8 },
  'New York': { stationId: 'ghcnd:USW00094728', latitudeDeg: 40.7789, longitudeDeg: -73.9692, elevationM: 39.6 },
}

export interface ReplayOptions {
  path: string
  /** Rows of this `location` only (default Seattle). */
  location?: string
  station?: ReplayStation
  timeScale: number
  maxRecords?: number
}

export type ReplayRow = { ok: true; observation: WeatherObservation } | { ok: false; reasons: RejectReason[] }

function numberField(value: string | undefined, name: string, reasons: RejectReason[]): number {
  const n = value === undefined || value.trim() === '' ? Number.NaN : Number(value)
  if (!Number.isFinite(n)) reasons.push({ code: WeatherErrorCodes.CSV_ROW_INVALID, message: `${name} is not a number` })
  return n
}

export function replayRowToObservation(
  columns: Record<string, string | undefined>,
  station: ReplayStation,
  ingestTimeMs: number,
): ReplayRow {
  const reasons: RejectReason[] = []
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(columns.date ?? '')
  if (!date) reasons.push({ code: WeatherErrorCodes.CSV_ROW_INVALID, message: `bad date "${columns.date}"` })
  const precipitation = numberField(columns.precipitation, 'precipitation', reasons)
  const tmax = numberField(columns.temp_max, 'temp_max', reasons)
  const tmin = numberField(columns.temp_min, 'temp_min', reasons)
  const wind = numberField(columns.wind, 'wind', reasons)
  if (!date || reasons.length > 0) return { ok: false, reasons }
  const { stationId, ...location } = station
  return {
    ok: true,
    observation: {
      stationId,
      source: WIRE_SOURCE.replay,
      eventTimeMs: Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3])),
      ingestTimeMs,
      location,
      // A daily record: the mean of the extremes stands in for the day's temperature.
      temperatureC: round((tmax + tmin) / 2, 2),
      windSpeedMps: wind,
      precipitationMm: precipitation,
    },
  }
}

export function replaySource(options: ReplayOptions): WeatherSource {
  const location = options.location ?? 'Seattle'
  const station = options.station ?? WEATHER_CSV_STATIONS[location]
  return {
    name: 'replay',
    async run(ctx) {
      if (!station) throw new RangeError(`no station coordinates for replay location "${location}"`)
      const [header, ...lines] = (await readFile(options.path, 'utf8')).split(/\r?\n/)
      const names = (header ?? '').split(',')
      let previousEventMs: number | undefined
      let emitted = 0
      for (const line of lines) {
        if (ctx.signal.aborted || (options.maxRecords && emitted >= options.maxRecords)) return
        if (!line.trim()) continue
        const cells = line.split(',')
        const columns = Object.fromEntries(names.map((n, i) => [n, cells[i]]))
        if (columns.location !== undefined && columns.location !== location) continue
        const row = replayRowToObservation(columns, station, ctx.now())
        if (!row.ok) {
          await ctx.reject({ raw: line }, row.reasons, station.stationId)
          continue
        }
        const eventMs = row.observation.eventTimeMs
        if (options.timeScale > 0 && previousEventMs !== undefined) {
          if (!(await sleep((eventMs - previousEventMs) / options.timeScale, ctx.signal))) return
        }
        previousEventMs = eventMs
        await ctx.emit({ ...row.observation, ingestTimeMs: ctx.now() })
        emitted++
      }
    },
  }
}

/** weather.csv from @observablehq/sample-datasets when installed (real NOAA data, offline), else undefined. */
export function defaultReplayFile(): string | undefined {
  try {
    return fileURLToPath(import.meta.resolve('@observablehq/sample-datasets/weather.csv'))
  } catch {
    return undefined
  }
}
