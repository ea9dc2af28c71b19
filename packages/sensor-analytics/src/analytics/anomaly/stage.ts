/**
 * The streaming detector in the pane stage: before a reading folds into its pane, each of its quantities is
 * scored against the sensor's trailing baseline (see @isobar/alerts detector.ts). The baselines live in the
 * stage's per-key table, in the same changelog and transaction as the panes, so a restarted stage resumes them
 * exactly. The reading goes on with the verdicts, which the pane counts (anomalous readings, strongest score).
 */
import { detect, isDetectorState, newDetectorState, type DetectorState } from '@isobar/alerts'
import type { KeyedState, KeyValueTable, ParsedRecord } from '@isobar/stream'
import type { MeasuredField, Measurement } from '../reading.ts'
import type { DetectorParamsTable } from './params.ts'

/** A reading with the detector's verdict per quantity: [anomalous 0|1, score]. */
export interface DetectedMeasurement extends Measurement {
  detected?: Partial<Record<MeasuredField, [number, number]>>
}

/** One sensor's baselines: [field, state] pairs (few quantities per sensor). */
export type SensorDetectorState = Array<[MeasuredField, DetectorState]>

function decodeState(json: unknown): SensorDetectorState {
  if (!Array.isArray(json) || !json.every((e) => Array.isArray(e) && typeof e[0] === 'string' && isDetectorState(e[1])))
    throw new TypeError('not a sensor detector state')
  return json as SensorDetectorState
}

function stateOf(entries: SensorDetectorState, field: MeasuredField): DetectorState {
  for (const [f, state] of entries) if (f === field) return state
  const state = newDetectorState()
  entries.push([field, state])
  return state
}

export function detectorState(params: DetectorParamsTable): KeyedState<Measurement> {
  return {
    decode: decodeState,
    apply(part: ParsedRecord<Measurement>, timestamp: number, table: KeyValueTable): Measurement {
      const m = part.value as DetectedMeasurement
      let entries = table.get(part.key) as SensorDetectorState | undefined
      if (!entries) entries = []
      const detected: Partial<Record<MeasuredField, [number, number]>> = {}
      for (const field in m.values) {
        const f = field as MeasuredField
        const step = detect(stateOf(entries, f), params.get(f, m.sensorType), m.values[f]!, timestamp)
        detected[f] = [step.anomalous ? 1 : 0, step.score]
      }
      table.set(part.key, entries)
      m.detected = detected
      return m
    },
  }
}
