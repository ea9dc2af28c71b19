/**
 * A streaming anomaly detector for one quantity of one sensor, against the sensor's own trailing baseline.
 *
 * Baseline: an exponentially weighted mean and variance (West 1979; Finch 2009) over the sensor's recent normal
 * readings, seeded by the exact mean and variance of the first `warmup` readings. A reading is *deviant* when
 * its distance from the baseline reaches the threshold `max(k·σ, noiseFloor)`: k standard deviations of the
 * baseline, but never less than the noise floor (the smallest change of this quantity that means anything, so a
 * very steady sensor does not alarm on 0.1 °C). Its score is that distance over the threshold: 1 = just
 * significant, 3 = three times the threshold.
 *
 * Deviant readings never update the baseline, so an event cannot hide itself by raising the spread it is measured
 * against (the in-window z-score's weakness, bounded by √(n−1)). An episode starts on `onsetReadings` deviant
 * readings in a row, or at once on one reading scoring `strongScore`; the baseline is frozen at onset and the
 * episode lasts while readings deviate from it, ending after `endReadings` readings in a row score below
 * `endScore` (hysteresis: the end condition is stricter than "not deviant"). Then the baseline resumes from
 * where it froze. An episode longer than `relearnAfterMs` (when set) ends by accepting the new level: the baseline
 * restarts from the current reading (a sensor moved, or a process changed for good).
 *
 * State is a fixed-length array of numbers (see DetectorState), so 10,000 sensors cost kilobytes, not object
 * graphs, and a changelog record is a short JSON array.
 */

export interface DetectorParams {
  /** Baseline readings needed before anything is scored. */
  warmup: number
  /** EWMA weight of a new normal reading (effective memory ≈ 2/alpha − 1 readings). */
  alpha: number
  /** Deviation, in baseline standard deviations, that can count (k). */
  k: number
  /** Smallest absolute deviation that can count, in the quantity's unit. */
  noiseFloor: number
  /** Consecutive deviant readings that start an episode. */
  onsetReadings: number
  /** One reading scoring this much starts an episode at once (a spike). */
  strongScore: number
  /** A reading scoring below this counts towards the end of an episode. */
  endScore: number
  /** Consecutive readings below endScore that end an episode. */
  endReadings: number
  /** An episode this long (event time) ends and the baseline restarts at the new level; 0 = never. */
  relearnAfterMs: number
}

export const DEFAULT_DETECTOR_PARAMS: DetectorParams = {
  warmup: 12,
  alpha: 0.05,
  k: 6,
  noiseFloor: 0,
  onsetReadings: 2,
  strongScore: 2,
  endScore: 0.8,
  endReadings: 3,
  relearnAfterMs: 0,
}

/**
 * [count, mean, m2OrVar, phase, frozenMean, frozenThreshold, run, onsetMs, peakScore]:
 * count of baseline readings; mean; during warm-up the sum of squared deviations (Welford), afterwards the
 * EWMA variance; phase 0 normal, 1 in an episode; the frozen baseline mean and threshold (episode); run = deviant
 * readings in a row (normal) or calm readings in a row (episode); onsetMs = event time of the episode's start;
 * peakScore = the episode's largest score.
 */
export type DetectorState = [number, number, number, number, number, number, number, number, number]

export function newDetectorState(): DetectorState {
  return [0, 0, 0, 0, 0, 0, 0, 0, 0]
}

export type DetectorChange = 'onset' | 'end' | undefined

export interface DetectorStep {
  /** Distance from the baseline over the threshold; 0 while warming up. */
  score: number
  /** The reading is part of an episode (the onset reading included) and still deviates (score ≥ endScore). */
  anomalous: boolean
  /** An episode is open after this reading (also while calm readings count down to its end). */
  inEpisode: boolean
  /** An episode started or ended with this reading. */
  change: DetectorChange
  /** Baseline the reading was compared with (frozen during an episode); undefined while warming up. */
  baseline: number | undefined
}

const C = 0
const MEAN = 1
const VAR = 2
const PHASE = 3
const F_MEAN = 4
const F_THRESHOLD = 5
const RUN = 6
const ONSET = 7
const PEAK = 8

/** Scores are capped so that a flat baseline (threshold 0) still gives a finite number. */
export const MAX_SCORE = 1000

function threshold(s: DetectorState, p: DetectorParams): number {
  return Math.max(p.k * Math.sqrt(Math.max(0, s[VAR])), p.noiseFloor)
}

function score(distance: number, limit: number): number {
  if (limit <= 0) return distance === 0 ? 0 : MAX_SCORE
  return Math.min(MAX_SCORE, distance / limit)
}

/** Folds a normal reading into the baseline. */
function learn(s: DetectorState, p: DetectorParams, x: number): void {
  if (s[C] < p.warmup) {
    // Welford: exact mean and sum of squares of the first readings; at the end of warm-up m2 → variance.
    const count = s[C] + 1
    const delta = x - s[MEAN]
    s[MEAN] += delta / count
    s[VAR] += delta * (x - s[MEAN])
    s[C] = count
    if (count === p.warmup) s[VAR] = s[VAR] / count
    return
  }
  const delta = x - s[MEAN]
  s[MEAN] += p.alpha * delta
  s[VAR] = (1 - p.alpha) * (s[VAR] + p.alpha * delta * delta)
  if (s[C] < Number.MAX_SAFE_INTEGER) s[C]++
}

function restart(s: DetectorState, x: number): void {
  s.fill(0)
  s[C] = 1
  s[MEAN] = x
}

/** Scores one reading and moves the state (mutated in place). Non-finite readings are ignored. */
export function detect(s: DetectorState, p: DetectorParams, x: number, timeMs: number): DetectorStep {
  if (!Number.isFinite(x)) {
    return { score: 0, anomalous: false, inEpisode: s[PHASE] === 1, change: undefined, baseline: undefined }
  }
  if (s[PHASE] === 1) return inEpisode(s, p, x, timeMs)
  if (s[C] < p.warmup) {
    learn(s, p, x)
    return { score: 0, anomalous: false, inEpisode: false, change: undefined, baseline: undefined }
  }
  const limit = threshold(s, p)
  const baseline = s[MEAN]
  const sc = score(Math.abs(x - baseline), limit)
  if (sc < 1) {
    s[RUN] = 0
    learn(s, p, x)
    return { score: sc, anomalous: false, inEpisode: false, change: undefined, baseline }
  }
  s[RUN]++
  if (s[RUN] < p.onsetReadings && sc < p.strongScore) {
    return { score: sc, anomalous: false, inEpisode: false, change: undefined, baseline }
  }
  s[PHASE] = 1
  s[F_MEAN] = baseline
  s[F_THRESHOLD] = limit
  s[RUN] = 0
  s[ONSET] = timeMs
  s[PEAK] = sc
  return { score: sc, anomalous: true, inEpisode: true, change: 'onset', baseline }
}

function inEpisode(s: DetectorState, p: DetectorParams, x: number, timeMs: number): DetectorStep {
  const baseline = s[F_MEAN]
  const sc = score(Math.abs(x - baseline), s[F_THRESHOLD])
  if (sc > s[PEAK]) s[PEAK] = sc
  if (p.relearnAfterMs > 0 && timeMs - s[ONSET] >= p.relearnAfterMs) {
    restart(s, x)
    return { score: sc, anomalous: false, inEpisode: false, change: 'end', baseline }
  }
  const calm = sc < p.endScore
  s[RUN] = calm ? s[RUN] + 1 : 0
  if (s[RUN] < p.endReadings) return { score: sc, anomalous: !calm, inEpisode: true, change: undefined, baseline }
  // Back to normal: the baseline resumes from where it froze (the calm readings are normal ones).
  s[PHASE] = 0
  s[RUN] = 0
  s[PEAK] = 0
  learn(s, p, x)
  return { score: sc, anomalous: false, inEpisode: false, change: 'end', baseline }
}

/** Whether the state is in an episode, its onset time and largest score so far. */
export function episodeOf(s: DetectorState): { onsetMs: number; peakScore: number } | undefined {
  return s[PHASE] === 1 ? { onsetMs: s[ONSET], peakScore: s[PEAK] } : undefined
}

/** The current baseline mean and threshold; undefined while warming up. */
export function baselineOf(s: DetectorState, p: DetectorParams): { mean: number; threshold: number } | undefined {
  if (s[PHASE] === 1) return { mean: s[F_MEAN], threshold: s[F_THRESHOLD] }
  return s[C] < p.warmup ? undefined : { mean: s[MEAN], threshold: threshold(s, p) }
}

/** Validates a state read back from a changelog (9 finite numbers). */
export function isDetectorState(value: unknown): value is DetectorState {
  return Array.isArray(value) && value.length === 9 && value.every((n) => typeof n === 'number' && Number.isFinite(n))
}
