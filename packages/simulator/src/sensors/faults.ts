/** Faults real fleets have; each emitted reading is tagged with the ones that shaped it. */
export const FAULT_KINDS = ['spike', 'stuck', 'dropout', 'duplicate', 'out-of-order', 'late', 'clock-skew'] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

/**
 * Probabilities. spike/duplicate/out-of-order/late: per reading. stuck/dropout: per reading, the chance an
 * episode starts (stuck repeats the last value for 5–50 readings; dropout loses 3–30 readings and tags the
 * first reading after the gap). clock-skew: the fraction of sensors whose clock is off by 2 s–10 min.
 */
export type FaultRates = Record<FaultKind, number>

export const NO_FAULTS: FaultRates = {
  spike: 0,
  stuck: 0,
  dropout: 0,
  duplicate: 0,
  'out-of-order': 0,
  late: 0,
  'clock-skew': 0,
}

export const DEFAULT_FAULT_RATES: FaultRates = {
  spike: 0.001,
  stuck: 0.0005,
  dropout: 0.0005,
  duplicate: 0.002,
  'out-of-order': 0.002,
  late: 0.001,
  'clock-skew': 0.02,
}

/** Kafka header carrying the comma-separated fault tags of a reading (absent on clean readings). */
export const FAULTS_HEADER = 'isobar-sim-faults'

export function isFaultKind(value: string): value is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(value)
}
