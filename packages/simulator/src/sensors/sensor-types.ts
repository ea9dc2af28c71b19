import type { SeededRandom } from '../random.ts'

export const SENSOR_TYPES = ['temperature', 'humidity', 'pressure', 'co2', 'vibration', 'power'] as const
export type SensorType = (typeof SENSOR_TYPES)[number]

/** The reading field each type writes (units in the name, as in the message schemas). */
export const METRIC_FIELD = {
  temperature: 'temperatureC',
  humidity: 'relativeHumidityPct',
  pressure: 'pressurePa',
  co2: 'co2Ppm',
  vibration: 'vibrationRmsMmPerS',
  power: 'powerW',
} as const satisfies Record<SensorType, string>

export type MetricField = (typeof METRIC_FIELD)[SensorType]

/** The numeric quantities of a reading (field names carry the unit), in the order of SENSOR_TYPES. */
export const MEASURED_FIELDS = [
  'temperatureC',
  'relativeHumidityPct',
  'pressurePa',
  'co2Ppm',
  'vibrationRmsMmPerS',
  'powerW',
] as const satisfies readonly MetricField[]
export type MeasuredField = (typeof MEASURED_FIELDS)[number]

/**
 * The detector's noise floor per field: the smallest change that counts as an anomaly. Temperature and humidity
 * were tuned on the Suthaharan single-hop data set (see docs/anomalies.md), the others set from these models
 * (noise, daily swings, spike sizes) so that normal daily swings stay below them and injected spikes exceed three
 * times them. The analytics service and the anomaly bench use it.
 */
export const DEFAULT_NOISE_FLOORS: Record<MeasuredField, number> = {
  temperatureC: 1.5,
  relativeHumidityPct: 3,
  pressurePa: 150,
  co2Ppm: 200,
  vibrationRmsMmPerS: 4,
  powerW: 500,
}

export interface SensorModel {
  /** Physically possible range: values (spikes included) are clamped into it. */
  min: number
  max: number
  /** Per-sensor base level. */
  base(rng: SeededRandom): number
  /** Deterministic shape at time t: `day` is the daily cycle in [-1, 1] peaking mid-afternoon. */
  shape(day: number, tMs: number, phase: number): number
  noise: number
  /** Drift per day (the sign is drawn per sensor). */
  driftPerDay: number
  spike: number
  decimals: number
}

const DAY_MS = 86_400_000

export const MODELS: Record<SensorType, SensorModel> = {
  temperature: {
    min: -40,
    max: 85,
    base: (rng) => rng.range(18, 24),
    shape: (day) => 3 * day,
    noise: 0.1,
    driftPerDay: 0.2,
    spike: 15,
    decimals: 2,
  },
  humidity: {
    min: 0,
    max: 100,
    base: (rng) => rng.range(40, 60),
    shape: (day) => -8 * day,
    noise: 0.5,
    driftPerDay: 0.5,
    spike: 35,
    decimals: 1,
  },
  pressure: {
    // Weather systems: a slow multi-day swing of ±800 Pa; sites at different elevations.
    min: 80_000,
    max: 110_000,
    base: (rng) => 101_325 - rng.range(0, 1200),
    shape: (_day, t, phase) => 800 * Math.sin((2 * Math.PI * t) / (4 * DAY_MS) + phase),
    noise: 5,
    driftPerDay: 10,
    spike: 3000,
    decimals: 0,
  },
  co2: {
    // Occupancy: indoor CO2 climbs during the day.
    min: 350,
    max: 10_000,
    base: (rng) => rng.range(420, 480),
    shape: (day) => 600 * Math.max(0, day),
    noise: 10,
    driftPerDay: 5,
    spike: 2500,
    decimals: 0,
  },
  vibration: {
    // A machine that runs on day shifts.
    min: 0,
    max: 100,
    base: (rng) => rng.range(1, 2),
    shape: (day) => (day > 0 ? 2.5 : 0),
    noise: 0.2,
    driftPerDay: 0.05,
    spike: 25,
    decimals: 2,
  },
  power: {
    min: 0,
    max: 50_000,
    base: (rng) => rng.range(150, 300),
    shape: (day) => 800 * Math.max(0, day),
    noise: 20,
    driftPerDay: 2,
    spike: 4000,
    decimals: 0,
  },
}

/** The daily cycle at t for a site `phase` (fraction of a day), peaking at 15:00. */
export function dailyCycle(tMs: number, phase: number): number {
  const dayFraction = (tMs / DAY_MS + phase) % 1
  return Math.sin(2 * Math.PI * (dayFraction - 0.375))
}

export function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals
  return Math.round(value * f) / f
}

export { DAY_MS }
