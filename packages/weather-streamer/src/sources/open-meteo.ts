/**
 * Open-Meteo current-weather poller (no API key). One request per location per interval, asking for SI units;
 * the `current_units` of the answer are still read, never assumed. Errors back off exponentially, a 429 honours
 * Retry-After; the same `current.time` for a location is sent once (the model grid updates every 15 min).
 */
import { WeatherHttpError, WeatherResponseError } from '../errors.ts'
import { WIRE_SOURCE, type WeatherObservation } from '../observation.ts'
import { KMH_MPS, relativeHumidityPct, round } from '../physics.ts'
import { sleep, type WeatherSource } from './source.ts'

export const OPEN_METEO_URL = 'https://api.open-meteo.com/v1/forecast'

const CURRENT = [
  'temperature_2m',
  'relative_humidity_2m',
  'dew_point_2m',
  'surface_pressure',
  'precipitation',
  'wind_speed_10m',
  'wind_direction_10m',
  'wind_gusts_10m',
].join(',')

export interface OpenMeteoLocation {
  latitudeDeg: number
  longitudeDeg: number
}

export interface OpenMeteoOptions {
  url: string
  locations: OpenMeteoLocation[]
  intervalMs: number
  /** First error backoff; doubles per consecutive failure up to maxBackoffMs. */
  backoffMs?: number
  maxBackoffMs?: number
  /** Stop after this many polling rounds (0 = until stopped). */
  maxPolls?: number
  fetch?: typeof fetch
}

export function openMeteoRequestUrl(base: string, location: OpenMeteoLocation): string {
  const url = new URL(base)
  url.searchParams.set('latitude', String(location.latitudeDeg))
  url.searchParams.set('longitude', String(location.longitudeDeg))
  url.searchParams.set('current', CURRENT)
  url.searchParams.set('wind_speed_unit', 'ms')
  url.searchParams.set('timeformat', 'unixtime')
  return url.toString()
}

type Json = Record<string, unknown>

function toMps(value: number, unit: unknown): number {
  if (unit === 'km/h') return value * KMH_MPS
  if (unit === 'mph') return value * 0.44704
  if (unit === 'kn') return value * 0.514444
  return value
}

function eventTime(current: Json, body: Json): number {
  const time = current.time
  if (typeof time === 'number') return time * 1000
  if (typeof time === 'string') {
    // ISO local time without an offset: subtract the zone offset to get UTC.
    const local = Date.parse(`${time}Z`)
    const offset = typeof body.utc_offset_seconds === 'number' ? body.utc_offset_seconds : 0
    if (Number.isFinite(local)) return local - offset * 1000
  }
  throw new WeatherResponseError('current.time missing or unreadable', { time })
}

/** The documented `current` response → an observation (station id `open-meteo:<lat>,<lon>` of the request). */
export function openMeteoToObservation(
  body: unknown,
  location: OpenMeteoLocation,
  ingestTimeMs: number,
): WeatherObservation {
  const json = body as Json
  const current = json?.current as Json | undefined
  const units = (json?.current_units ?? {}) as Json
  if (typeof current !== 'object' || current === null) throw new WeatherResponseError('response has no "current"')
  const num = (name: string): number | undefined => {
    const v = current[name]
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined
  }
  let temperatureC = num('temperature_2m')
  if (temperatureC === undefined) throw new WeatherResponseError('current.temperature_2m missing')
  if (units.temperature_2m === '°F') temperatureC = ((temperatureC - 32) * 5) / 9
  const lat = typeof json.latitude === 'number' ? json.latitude : location.latitudeDeg
  const lon = typeof json.longitude === 'number' ? json.longitude : location.longitudeDeg
  const observation: WeatherObservation = {
    stationId: `open-meteo:${location.latitudeDeg},${location.longitudeDeg}`,
    source: WIRE_SOURCE.openmeteo,
    eventTimeMs: eventTime(current, json),
    ingestTimeMs,
    location: {
      latitudeDeg: lat,
      longitudeDeg: lon,
      ...(typeof json.elevation === 'number' ? { elevationM: json.elevation } : {}),
    },
    temperatureC: round(temperatureC, 2),
  }
  const rh = num('relative_humidity_2m')
  const dew = num('dew_point_2m')
  if (dew !== undefined) observation.dewPointC = units.dew_point_2m === '°F' ? round(((dew - 32) * 5) / 9, 2) : dew
  if (rh !== undefined) observation.relativeHumidityPct = rh
  else if (observation.dewPointC !== undefined) {
    observation.relativeHumidityPct = round(relativeHumidityPct(observation.temperatureC!, observation.dewPointC), 1)
  }
  const pressure = num('surface_pressure')
  if (pressure !== undefined) observation.pressurePa = Math.round(pressure * 100)
  const precipitation = num('precipitation')
  if (precipitation !== undefined) {
    observation.precipitationMm = units.precipitation === 'inch' ? round(precipitation * 25.4, 2) : precipitation
  }
  const speed = num('wind_speed_10m')
  if (speed !== undefined) observation.windSpeedMps = round(toMps(speed, units.wind_speed_10m), 2)
  const gust = num('wind_gusts_10m')
  if (gust !== undefined) observation.windGustMps = round(toMps(gust, units.wind_gusts_10m), 2)
  const direction = num('wind_direction_10m')
  if (direction !== undefined) observation.windDirectionDeg = direction
  return observation
}

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return seconds * 1000
  const at = Date.parse(header)
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined
}

export function openMeteoSource(options: OpenMeteoOptions): WeatherSource {
  const doFetch = options.fetch ?? fetch
  const lastTime = new Map<string, number>()
  const backoffMs = options.backoffMs ?? 1000
  const maxBackoffMs = options.maxBackoffMs ?? 300_000
  return {
    name: 'openmeteo',
    async run(ctx) {
      let failures = 0
      let polls = 0
      while (!ctx.signal.aborted) {
        let waitMs = options.intervalMs
        try {
          for (const location of options.locations) {
            const url = openMeteoRequestUrl(options.url, location)
            let response: Response
            try {
              response = await doFetch(url, { signal: ctx.signal, headers: { accept: 'application/json' } })
            } catch (error) {
              throw new WeatherHttpError(url, undefined, error)
            }
            if (!response.ok) {
              await response.body?.cancel()
              throw new WeatherHttpError(
                url,
                response.status,
                undefined,
                retryAfterMs(response.headers.get('retry-after')),
              )
            }
            const observation = openMeteoToObservation(await response.json(), location, ctx.now())
            if (lastTime.get(observation.stationId) === observation.eventTimeMs) continue
            lastTime.set(observation.stationId, observation.eventTimeMs)
            await ctx.emit(observation)
          }
          failures = 0
        } catch (error) {
          if (ctx.signal.aborted) return
          failures++
          const hinted = error instanceof WeatherHttpError ? error.retryAfterMs : undefined
          waitMs = Math.min(maxBackoffMs, hinted ?? backoffMs * 2 ** (failures - 1))
          ctx.logger.warn({ err: error, failures, waitMs }, 'Open-Meteo poll failed, backing off')
        }
        polls++
        if (options.maxPolls && polls >= options.maxPolls) return
        if (!(await sleep(waitMs, ctx.signal))) return
      }
    },
  }
}
