/**
 * Simulated stations with simple but coherent physics: a diurnal temperature cycle (minimum near dawn, maximum
 * mid-afternoon local solar time), pressure systems drifting eastwards whose gradients drive the wind, a dew
 * point that never exceeds the temperature, gusts never below the mean wind, and rain under deep lows.
 * Everything follows from the seed and the step count, so a seed replays the same weather.
 */
import { mulberry32 } from '@isobar/simulator'
import { WIRE_SOURCE, type WeatherObservation } from '../observation.ts'
import { distanceKm, relativeHumidityPct, round, stationPressureHpa } from '../physics.ts'
import { Pacer, type SourceContext, type WeatherSource } from './source.ts'

export interface SimulatorOptions {
  stations: number
  seed: number
  /** Simulated time of the first round (ms since the epoch). */
  startTimeMs: number
  /** Simulated time between two observations of one station. */
  intervalMs: number
}

export interface SimulatorSourceOptions extends Omit<SimulatorOptions, 'intervalMs' | 'startTimeMs'> {
  /** Records per second of wall time; 0 = as fast as the producer takes them. */
  rate: number
  /** Simulated seconds per wall second (the observation interval follows from rate and stations). */
  speedup: number
  startTimeMs?: number
  /** Stop after this many records (0 = no limit). */
  maxRecords?: number
}

interface Station {
  id: string
  lat: number
  lon: number
  elevationM: number
  meanC: number
  amplitudeC: number
  /** Slowly varying anomalies (AR(1)) so consecutive readings are correlated. */
  tempAnomaly: number
  dryness: number
  rainRemainingMs: number
  rainRateMmH: number
}

interface PressureSystem {
  lat: number
  lon: number
  /** hPa relative to 1013.25: negative = low. */
  amplitudeHpa: number
  radiusKm: number
  /** Drift in degrees per hour. */
  dLat: number
  dLon: number
}

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

export class StationSimulator {
  readonly #rand: () => number
  readonly #stations: Station[]
  readonly #systems: PressureSystem[]
  readonly #intervalMs: number
  #timeMs: number

  constructor(options: SimulatorOptions) {
    this.#rand = mulberry32(options.seed)
    this.#intervalMs = options.intervalMs
    this.#timeMs = options.startTimeMs
    this.#stations = Array.from({ length: options.stations }, (_, i) => this.#station(i))
    this.#systems = Array.from({ length: 4 }, () => this.#system())
  }

  get stations(): ReadonlyArray<{ id: string; lat: number; lon: number; elevationM: number }> {
    return this.#stations
  }

  #between(min: number, max: number): number {
    return min + (max - min) * this.#rand()
  }

  #gauss(): number {
    return (this.#rand() + this.#rand() + this.#rand() + this.#rand() - 2) * 1.7
  }

  #station(i: number): Station {
    const lat = round(this.#between(35, 60), 4)
    return {
      id: `sim:station-${String(i + 1).padStart(4, '0')}`,
      lat,
      lon: round(this.#between(-10, 30), 4),
      elevationM: Math.round(this.#between(0, 1200)),
      meanC: 24 - 0.45 * (lat - 30),
      amplitudeC: this.#between(3, 7),
      tempAnomaly: 0,
      dryness: this.#between(2, 8),
      rainRemainingMs: 0,
      rainRateMmH: 0,
    }
  }

  #system(): PressureSystem {
    return {
      lat: this.#between(35, 60),
      lon: this.#between(-30, 30),
      amplitudeHpa: this.#rand() < 0.5 ? -this.#between(10, 30) : this.#between(5, 20),
      radiusKm: this.#between(600, 1500),
      dLat: this.#between(-0.1, 0.1),
      dLon: this.#between(0.2, 0.6),
    }
  }

  #seaLevelHpa(lat: number, lon: number): number {
    let p = 1013.25
    for (const s of this.#systems) {
      const d = distanceKm(lat, lon, s.lat, s.lon)
      p += s.amplitudeHpa * Math.exp(-(d * d) / (2 * s.radiusKm * s.radiusKm))
    }
    return p
  }

  #advanceSystems(): void {
    const hours = this.#intervalMs / HOUR_MS
    for (const [i, s] of this.#systems.entries()) {
      s.lat += s.dLat * hours
      s.lon += s.dLon * hours
      // A system that left the domain is replaced by a fresh one entering from the west.
      if (s.lon > 45 || s.lat < 25 || s.lat > 70) this.#systems[i] = { ...this.#system(), lon: -30 }
    }
  }

  /** One observation per station at the current simulated time, then the clock advances one interval. */
  round(ingestTimeMs: number): WeatherObservation[] {
    const t = this.#timeMs
    const observations = this.#stations.map((s) => this.#observe(s, t, ingestTimeMs))
    this.#timeMs += this.#intervalMs
    this.#advanceSystems()
    return observations
  }

  #observe(s: Station, t: number, ingestTimeMs: number): WeatherObservation {
    const solarHour = ((((t % DAY_MS) / HOUR_MS + s.lon / 15) % 24) + 24) % 24
    const dayOfYear = Math.floor(t / DAY_MS) % 365
    const seasonal = -8 * Math.cos((2 * Math.PI * (dayOfYear - 15)) / 365)
    const persistence = Math.exp(-this.#intervalMs / (6 * HOUR_MS))
    s.tempAnomaly = s.tempAnomaly * persistence + this.#gauss() * 1.5 * Math.sqrt(1 - persistence * persistence)

    const slp = this.#seaLevelHpa(s.lat, s.lon)
    // Gradient by finite differences over ~100 km; wind scales with it and blows roughly along isobars.
    const dpdx = this.#seaLevelHpa(s.lat, s.lon + 1) - slp
    const dpdy = this.#seaLevelHpa(s.lat + 1, s.lon) - slp
    const gradient = Math.hypot(dpdx, dpdy)
    const windSpeed = Math.min(40, 0.5 + gradient * 4 + Math.abs(this.#gauss()) * 0.8)
    const gust = windSpeed * this.#between(1.2, 1.8)
    const flowDeg = (Math.atan2(-dpdx, dpdy) * 180) / Math.PI
    const windDirection = (((flowDeg + 180 + this.#gauss() * 10) % 360) + 360) % 360

    const low = Math.max(0, 1008 - slp)
    if (s.rainRemainingMs <= 0 && low > 0 && this.#rand() < Math.min(0.5, low * 0.03)) {
      s.rainRemainingMs = this.#between(1, 8) * HOUR_MS
      s.rainRateMmH = this.#between(0.2, 6)
    }
    const raining = s.rainRemainingMs > 0
    const precipitation = raining ? (s.rainRateMmH * this.#intervalMs) / HOUR_MS : 0
    s.rainRemainingMs -= this.#intervalMs

    const diurnal = s.amplitudeC * Math.cos((2 * Math.PI * (solarHour - 15)) / 24)
    const temperature = s.meanC + seasonal + diurnal + s.tempAnomaly - (raining ? 2 : 0)
    // Dew point depression: small in rain and at night, larger on dry afternoons; never negative.
    const depression = raining ? this.#between(0, 0.8) : Math.max(0, s.dryness + diurnal * 0.6 + this.#gauss() * 0.5)
    const dewPoint = temperature - depression

    return {
      stationId: s.id,
      source: WIRE_SOURCE.sim,
      eventTimeMs: Math.round(t),
      ingestTimeMs,
      location: { latitudeDeg: s.lat, longitudeDeg: s.lon, elevationM: s.elevationM },
      temperatureC: round(temperature, 2),
      dewPointC: round(Math.min(dewPoint, temperature), 2),
      relativeHumidityPct: round(relativeHumidityPct(temperature, dewPoint), 1),
      pressurePa: Math.round(stationPressureHpa(slp, s.elevationM) * 100),
      windSpeedMps: round(windSpeed, 2),
      windGustMps: round(Math.max(gust, windSpeed), 2),
      windDirectionDeg: round(windDirection, 1),
      precipitationMm: round(precipitation, 2),
      visibilityM: raining ? Math.round(this.#between(2000, 9000)) : 10000,
    }
  }
}

export function simulatorSource(options: SimulatorSourceOptions): WeatherSource {
  return {
    name: 'sim',
    async run(ctx: SourceContext) {
      // Simulated time between two readings of one station = wall time of a round × speedup.
      const roundWallMs = options.rate > 0 ? (options.stations / options.rate) * 1000 : 60_000
      const simulator = new StationSimulator({
        stations: options.stations,
        seed: options.seed,
        startTimeMs: options.startTimeMs ?? ctx.now(),
        intervalMs: Math.max(1, Math.round(roundWallMs * options.speedup)),
      })
      const pacer = new Pacer(options.rate, () => ctx.now())
      let emitted = 0
      const limit = options.maxRecords ?? 0
      while (!ctx.signal.aborted) {
        for (const observation of simulator.round(ctx.now())) {
          if (!(await pacer.next(ctx.signal))) return
          await ctx.emit(observation)
          if (limit > 0 && ++emitted >= limit) return
        }
      }
    },
  }
}
