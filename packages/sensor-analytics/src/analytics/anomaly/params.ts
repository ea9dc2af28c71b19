/**
 * Detector parameters per quantity and sensor type. The noise floors (DEFAULT_NOISE_FLOORS, @isobar/simulator)
 * are the smallest change of each quantity that counts as an anomaly.
 */
import { DEFAULT_DETECTOR_PARAMS, type DetectorParams } from '@isobar/alerts'
import { DEFAULT_NOISE_FLOORS } from '@isobar/simulator'
import type { MeasuredField } from '../reading.ts'

export type DetectorOverrides = Partial<DetectorParams>

export interface DetectorConfig {
  readonly enabled: boolean
  /** Overrides of the built-in parameters for every quantity. */
  readonly defaults: DetectorOverrides
  /** Per quantity (e.g. noiseFloor of temperatureC). */
  readonly fields: Partial<Record<MeasuredField, DetectorOverrides>>
  /** Per sensor type (the reading's sensorType), then quantity: the most specific wins. */
  readonly sensorTypes: Record<string, Partial<Record<MeasuredField, DetectorOverrides>>>
}

const overrides = {
  type: 'object',
  additionalProperties: false,
  properties: {
    warmup: { type: 'integer', minimum: 2 },
    alpha: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    k: { type: 'number', exclusiveMinimum: 0 },
    noiseFloor: { type: 'number', minimum: 0 },
    onsetReadings: { type: 'integer', minimum: 1 },
    strongScore: { type: 'number', minimum: 1 },
    endScore: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    endReadings: { type: 'integer', minimum: 1 },
    relearnAfterMs: { type: 'integer', minimum: 0 },
  },
} as const

const perField = {
  type: 'object',
  additionalProperties: false,
  properties: {
    temperatureC: overrides,
    relativeHumidityPct: overrides,
    pressurePa: overrides,
    co2Ppm: overrides,
    vibrationRmsMmPerS: overrides,
    powerW: overrides,
  },
} as const

/** JSON Schema of `anomaly.detector` in the service configuration. */
export const detectorConfigSchema = {
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    enabled: { type: 'boolean', default: true },
    defaults: { ...overrides, default: {} },
    fields: { ...perField, default: {} },
    sensorTypes: {
      type: 'object',
      propertyNames: { pattern: '^[a-zA-Z0-9._-]{1,64}$' },
      additionalProperties: perField,
      maxProperties: 100,
      default: {},
    },
  },
} as const

/** Resolves (and caches) the parameters of each quantity and sensor type. */
export class DetectorParamsTable {
  readonly #config: DetectorConfig
  readonly #cache = new Map<string, DetectorParams>()

  constructor(config: DetectorConfig) {
    this.#config = config
  }

  get(field: MeasuredField, sensorType: string | undefined): DetectorParams {
    const id = `${sensorType ?? ''}/${field}`
    let params = this.#cache.get(id)
    if (!params) {
      const c = this.#config
      params = {
        ...DEFAULT_DETECTOR_PARAMS,
        noiseFloor: DEFAULT_NOISE_FLOORS[field],
        ...c.defaults,
        ...c.fields[field],
        ...(sensorType === undefined ? {} : c.sensorTypes[sensorType]?.[field]),
      }
      this.#cache.set(id, params)
    }
    return params
  }
}
