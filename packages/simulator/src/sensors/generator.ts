import { DEFAULT_FAULT_RATES, FAULT_KINDS, type FaultKind, type FaultRates } from './faults.ts'
import { SeededRandom } from '../random.ts'
import { DAY_MS, MODELS, SENSOR_TYPES, METRIC_FIELD, dailyCycle, roundTo, type SensorType } from './sensor-types.ts'

/** One reading as published on sensors.readings (a sensor-reading v3: where the device is, what it measures). */
export interface SimulatedReadingValue {
  sensorId: string
  /** e.g. `s01` */
  siteId: string
  /** Site-unique, e.g. `s01.z2` (zone statistics group by it). */
  zoneId: string
  sensorType: SensorType
  sequence: number
  eventTimeMs: number
  ingestTimeMs: number
  temperatureC?: number
  relativeHumidityPct?: number
  pressurePa?: number
  co2Ppm?: number
  vibrationRmsMmPerS?: number
  powerW?: number
}

export interface SimulatedReading {
  sensor: SimulatedSensor
  value: SimulatedReadingValue
  /** The faults that shaped this reading (empty for a clean one). */
  faults: FaultKind[]
}

export interface SimulatedSensor {
  id: string
  type: SensorType
  /** 0-based indexes … */
  site: number
  zone: number
  /** … and the ids readings carry: `s01`, `s01.z2` (sensor `sim:s01.z2.temperature-00042`). */
  siteId: string
  zoneId: string
  /** Clock error of this device (clock-skew fault), ms. */
  skewMs: number
}

export interface SimulatorOptions {
  sensors: number
  seed: number
  /** Logical start time, ms since the epoch (the CLI passes Date.now()). */
  startMs: number
  /** How often each sensor reports, ms (logical time). */
  intervalMs: number
  sites?: number
  zonesPerSite?: number
  faults?: Partial<FaultRates>
}

export interface SimulatorStats {
  /** Readings the sensors took (dropped ones included). */
  generated: number
  /** Readings lost in dropouts (never emitted). */
  dropped: number
  /** Records emitted (duplicates included). */
  emitted: number
  faults: Record<FaultKind, number>
}

interface SensorState extends SimulatedSensor {
  base: number
  drift: number
  phase: number
  sequence: number
  last: number
  stuckLeft: number
  dropLeft: number
  afterGap: boolean
  held: SimulatedReading | undefined
}

/**
 * A deterministic fleet: sensor i reports every intervalMs, sensors evenly staggered, in logical time that
 * never reads the wall clock. Same options (seed included) → the same sequence of readings.
 */
export class SensorSimulator {
  readonly sensors: readonly SimulatedSensor[]
  readonly stats: SimulatorStats
  readonly #rng: SeededRandom
  readonly #states: SensorState[]
  readonly #rates: FaultRates
  readonly #startMs: number
  readonly #slotMs: number
  #slot = 0
  #out: SimulatedReading[] = []
  #outIndex = 0
  /** Late readings waiting for their arrival time, sorted by it. */
  #delayed: Array<{ atMs: number; reading: SimulatedReading }> = []

  constructor(options: SimulatorOptions) {
    this.#rng = new SeededRandom(options.seed)
    this.#rates = { ...DEFAULT_FAULT_RATES, ...options.faults }
    this.#startMs = options.startMs
    this.#slotMs = options.intervalMs / options.sensors
    const sites = options.sites ?? Math.max(1, Math.ceil(options.sensors / 60))
    const zones = options.zonesPerSite ?? 4
    this.#states = Array.from({ length: options.sensors }, (_, i) => {
      const type = SENSOR_TYPES[i % SENSOR_TYPES.length]!
      const site = Math.floor(i / SENSOR_TYPES.length) % sites
      const zone = Math.floor(i / (SENSOR_TYPES.length * sites)) % zones
      const model = MODELS[type]
      const skewMs = this.#rng.chance(this.#rates['clock-skew']) ? this.#rng.sign() * this.#rng.int(2000, 600_000) : 0
      const siteId = `s${pad(site + 1, 2)}`
      const zoneId = `${siteId}.z${zone + 1}`
      return {
        id: `sim:${zoneId}.${type}-${pad(i, 5)}`,
        type,
        site,
        zone,
        siteId,
        zoneId,
        skewMs,
        base: model.base(this.#rng),
        drift: this.#rng.sign() * this.#rng.range(0, model.driftPerDay),
        phase: site * 0.01,
        sequence: 0,
        last: Number.NaN,
        stuckLeft: 0,
        dropLeft: 0,
        afterGap: false,
        held: undefined,
      }
    })
    this.sensors = this.#states.map(({ id, type, site, zone, siteId, zoneId, skewMs }) => ({
      id,
      type,
      site,
      zone,
      siteId,
      zoneId,
      skewMs,
    }))
    this.stats = {
      generated: 0,
      dropped: 0,
      emitted: 0,
      faults: Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>,
    }
  }

  /** The next record to publish, in arrival order. */
  next(): SimulatedReading {
    return this.nextDue(Number.POSITIVE_INFINITY)!
  }

  /**
   * Logical time of the next sensor turn. A runner paced on the wall clock asks for `nextDue(clock())`, so event
   * time is derived from the clock, not from a count of records: dropouts (turns that publish nothing) and
   * duplicates (turns that publish two) never move the timeline away from it.
   */
  get nextTurnMs(): number {
    return this.#startMs + Math.round(this.#slot * this.#slotMs)
  }

  /** The next record whose turn is not after `nowMs` (undefined: none yet; no turn after `nowMs` is taken). */
  nextDue(nowMs: number): SimulatedReading | undefined {
    while (this.#outIndex >= this.#out.length) {
      if (this.nextTurnMs > nowMs) return undefined
      this.#out = []
      this.#outIndex = 0
      this.#step()
    }
    const reading = this.#out[this.#outIndex++]!
    this.stats.emitted++
    for (const f of reading.faults) this.stats.faults[f]++
    return reading
  }

  take(count: number): SimulatedReading[] {
    return Array.from({ length: count }, () => this.next())
  }

  /** One sensor's turn: release late readings that have arrived, then sample. */
  #step(): void {
    const index = this.#slot % this.#states.length
    const state = this.#states[index]!
    const now = this.nextTurnMs
    this.#slot++
    while (this.#delayed.length > 0 && this.#delayed[0]!.atMs <= now) this.#out.push(this.#delayed.shift()!.reading)
    const sequence = state.sequence++
    this.stats.generated++
    const rng = this.#rng
    if (state.dropLeft > 0 || rng.chance(this.#rates.dropout)) {
      state.dropLeft = state.dropLeft > 0 ? state.dropLeft - 1 : rng.int(3, 30) - 1
      state.afterGap = true
      this.stats.dropped++
      return
    }
    const faults: FaultKind[] = []
    const model = MODELS[state.type]
    let value: number
    if (state.stuckLeft > 0 || (!Number.isNaN(state.last) && rng.chance(this.#rates.stuck))) {
      state.stuckLeft = state.stuckLeft > 0 ? state.stuckLeft - 1 : rng.int(5, 50) - 1
      value = state.last
      faults.push('stuck')
    } else {
      const days = (now - this.#startMs) / DAY_MS
      value =
        state.base +
        model.shape(dailyCycle(now, state.phase), now, state.phase + state.site) +
        state.drift * days +
        model.noise * rng.gaussian()
      value = clamp(roundTo(value, model.decimals), model.min, model.max)
      state.last = value
    }
    if (rng.chance(this.#rates.spike)) {
      value = spiked(value, rng.sign() * model.spike * rng.range(0.6, 1), model)
      faults.push('spike')
    }
    if (state.afterGap) {
      faults.push('dropout')
      state.afterGap = false
    }
    if (state.skewMs !== 0) faults.push('clock-skew')
    const reading: SimulatedReading = {
      sensor: this.sensors[index]!,
      value: {
        sensorId: state.id,
        siteId: state.siteId,
        zoneId: state.zoneId,
        sensorType: state.type,
        sequence,
        eventTimeMs: now + state.skewMs,
        ingestTimeMs: now,
      },
      faults,
    }
    reading.value[METRIC_FIELD[state.type]] = value

    if (rng.chance(this.#rates.late)) {
      const atMs = now + rng.int(30_000, 300_000)
      reading.value.ingestTimeMs = atMs
      faults.push('late')
      const at = this.#delayed.findIndex((d) => d.atMs > atMs)
      this.#delayed.splice(at < 0 ? this.#delayed.length : at, 0, { atMs, reading })
      return
    }
    const held = state.held
    state.held = undefined
    if (!held && rng.chance(this.#rates['out-of-order'])) {
      faults.push('out-of-order')
      state.held = reading // published after this sensor's next reading
    } else {
      this.#out.push(reading)
    }
    if (state.held !== reading && rng.chance(this.#rates.duplicate)) {
      this.#out.push({ ...reading, value: { ...reading.value }, faults: [...reading.faults, 'duplicate'] })
    }
    if (held) this.#out.push(held)
  }
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}

/**
 * A spike of `delta` on `value`, kept inside the physical range. A spike that the range would clamp to (almost)
 * nothing — CO2 pushed below 350 ppm from 400, power below 0 W — goes the other way instead: a fault tagged `spike`
 * always moves the reading by at least half its size, so the tag means what it says (the anomaly bench scores it).
 */
export function spiked(value: number, delta: number, model: { min: number; max: number; decimals: number }): number {
  const up = clamp(roundTo(value + delta, model.decimals), model.min, model.max)
  if (Math.abs(up - value) >= Math.abs(delta) / 2) return up
  return clamp(roundTo(value - delta, model.decimals), model.min, model.max)
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}
