/**
 * The streaming detector in the pane stage: before a reading folds into its pane, each of its quantities is
 * scored against the sensor's trailing baseline (see @isobar/alerts detector.ts). The baselines live in the
 * stage's per-key table, in the same changelog and transaction as the panes, so a restarted stage resumes them
 * exactly. The reading goes on with the verdicts, which the pane counts (anomalous readings, strongest score).
 */
import { detect, newDetectorState, type DetectorParams, type DetectorState } from '@isobar/alerts'
import type { KeyedState, KeyValueTable, ParsedRecord } from '@isobar/stream'
import { MEASURED_FIELDS, type MeasuredField, type Measurement } from '../reading.ts'
import type { DetectorParamsTable } from './params.ts'

/** A reading with the detector's verdict per quantity: [anomalous 0|1, score]. */
export interface DetectedMeasurement extends Measurement {
  detected?: Partial<Record<MeasuredField, [number, number]>>
}

/** One sensor's baselines, one per quantity it reports, with the parameters of its type. */
export interface SensorBaselines {
  fields: MeasuredField[]
  states: DetectorState[]
  params: DetectorParams[]
  sensorType: string | undefined
}

const STATE_LENGTH = 9

/**
 * Changelog bytes: float64 values (exact, and far cheaper than JSON: the table writes one record per sensor per
 * commit). The first number lists the quantities, Σ (index in MEASURED_FIELDS + 1) × 8^k; then 9 state numbers
 * per quantity. The sensor type (which selects parameters) is not stored: the next reading carries it again.
 */
export function serializeBaselines(state: unknown): Buffer {
  const b = state as SensorBaselines
  const values = new Float64Array(1 + b.fields.length * STATE_LENGTH)
  let code = 0
  for (let i = 0; i < b.fields.length; i++) {
    code += (MEASURED_FIELDS.indexOf(b.fields[i]!) + 1) * 8 ** i
    values.set(b.states[i]!, 1 + i * STATE_LENGTH)
  }
  values[0] = code
  return Buffer.from(values.buffer)
}

export function deserializeBaselines(bytes: Buffer, params: DetectorParamsTable): SensorBaselines {
  const count = (bytes.length / 8 - 1) / STATE_LENGTH
  if (!Number.isInteger(count) || count < 0) throw new TypeError(`detector state of ${bytes.length} bytes`)
  const values = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length))
  const b: SensorBaselines = { fields: [], states: [], params: [], sensorType: undefined }
  let code = values[0]!
  for (let i = 0; i < count; i++) {
    const field = MEASURED_FIELDS[(code % 8) - 1]
    if (field === undefined) throw new TypeError(`detector state with an unknown quantity (${values[0]})`)
    code = Math.floor(code / 8)
    b.fields.push(field)
    b.states.push(Array.from(values.subarray(1 + i * STATE_LENGTH, 1 + (i + 1) * STATE_LENGTH)) as DetectorState)
    b.params.push(params.get(field, undefined))
  }
  return b
}

export function detectorState(params: DetectorParamsTable): KeyedState<Measurement> {
  return {
    serialize: serializeBaselines,
    deserialize: (bytes) => deserializeBaselines(bytes, params),
    apply(part: ParsedRecord<Measurement>, timestamp: number, table: KeyValueTable): Measurement {
      const m = part.value as DetectedMeasurement
      let b = table.get(part.key) as SensorBaselines | undefined
      if (!b) b = { fields: [], states: [], params: [], sensorType: m.sensorType }
      if (b.sensorType !== m.sensorType) {
        // A new type (or the first reading after a restore): parameters follow the reading's type.
        b.sensorType = m.sensorType
        for (let i = 0; i < b.fields.length; i++) b.params[i] = params.get(b.fields[i]!, m.sensorType)
      }
      const detected: Partial<Record<MeasuredField, [number, number]>> = {}
      for (const field in m.values) {
        const f = field as MeasuredField
        let i = b.fields.indexOf(f)
        if (i < 0) {
          i = b.fields.push(f) - 1
          b.states.push(newDetectorState())
          b.params.push(params.get(f, m.sensorType))
        }
        const step = detect(b.states[i]!, b.params[i]!, m.values[f]!, timestamp)
        // Scores are published to 3 decimals: rounding here keeps panes (changelog, panes topic) short.
        detected[f] = [step.anomalous ? 1 : 0, Math.round(step.score * 1000) / 1000]
      }
      table.set(part.key, b)
      m.detected = detected
      return m
    },
  }
}
