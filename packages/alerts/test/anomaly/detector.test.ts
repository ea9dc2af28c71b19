import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  DEFAULT_DETECTOR_PARAMS,
  baselineOf,
  detect,
  episodeOf,
  isDetectorState,
  newDetectorState,
  type DetectorParams,
  type DetectorStep,
} from '../../src/anomaly/detector.ts'

const params: DetectorParams = {
  ...DEFAULT_DETECTOR_PARAMS,
  warmup: 5,
  alpha: 0.1,
  k: 4,
  noiseFloor: 1,
  strongScore: 3,
}

/** A deterministic wobble of ±0.1 around `level`. */
function calm(level: number, i: number): number {
  return level + [0, 0.1, -0.1, 0.05, -0.05][i % 5]!
}

function run(values: number[], p = params, state = newDetectorState()): DetectorStep[] {
  return values.map((x, i) => detect(state, p, x, i * 5000))
}

describe('anomaly detector: trailing baseline', () => {
  it('learns the exact mean during warm-up, then follows a slow level change by EWMA', () => {
    const state = newDetectorState()
    const warm = run([10, 11, 12, 13, 14], params, state)
    assert.ok(
      warm.every((s) => s.score === 0 && !s.anomalous),
      'nothing is scored while warming up',
    )
    assert.deepEqual(baselineOf(state, params)?.mean, 12)
    // Variance of the warm-up readings is 2, so the threshold is max(4·√2, 1).
    assert.ok(Math.abs(baselineOf(state, params)!.threshold - 4 * Math.SQRT2) < 1e-12)
    const step = detect(state, params, 13, 25_000)
    assert.equal(step.baseline, 12)
    assert.ok(Math.abs(baselineOf(state, params)!.mean - 12.1) < 1e-12, 'mean moves by alpha × deviation')
  })

  it('applies the noise floor: a steady sensor does not alarm on changes smaller than it', () => {
    const state = newDetectorState()
    run(
      Array.from({ length: 20 }, () => 20),
      params,
      state,
    )
    assert.equal(baselineOf(state, params)?.threshold, 1, 'zero spread: the noise floor is the threshold')
    const small = run([20.9, 20.9, 20.9, 20.9], params, state)
    assert.ok(
      small.every((s) => !s.anomalous && s.score < 1),
      'a 0.9 change below a floor of 1 never counts',
    )
    assert.ok(baselineOf(state, params)!.mean > 20, 'readings below the threshold are normal: learned')
    const steady = newDetectorState()
    run(
      Array.from({ length: 20 }, () => 20),
      params,
      steady,
    )
    assert.equal(detect(steady, params, 22, 200_000).score, 2, 'score = deviation / max(k·σ, floor)')
  })

  it('is not contaminated by deviant readings: a long event leaves the baseline where it was', () => {
    const state = newDetectorState()
    run(
      Array.from({ length: 30 }, (_, i) => calm(20, i)),
      params,
      state,
    )
    const before = baselineOf(state, params)!.mean
    run(
      Array.from({ length: 200 }, () => 30),
      params,
      state,
    )
    assert.equal(episodeOf(state) !== undefined, true, 'still in the episode after 200 readings')
    assert.equal(baselineOf(state, params)!.mean, before, 'frozen at onset')
    // A single deviant reading that does not start an episode does not move the baseline either.
    const other = newDetectorState()
    run(
      Array.from({ length: 30 }, (_, i) => calm(20, i)),
      params,
      other,
    )
    const mean = baselineOf(other, params)!.mean
    const step = detect(other, params, 22, 1_000_000)
    assert.ok(step.score >= 1 && !step.anomalous, 'one deviant reading below strongScore: not yet an episode')
    assert.equal(baselineOf(other, params)!.mean, mean)
  })
})

describe('anomaly detector: episodes with hysteresis', () => {
  it('starts an episode on two deviant readings in a row, or at once on a strong one', () => {
    const base = Array.from({ length: 20 }, (_, i) => calm(20, i))
    const steps = run([...base, 22, 22.5])
    assert.equal(steps[20]!.change, undefined)
    assert.equal(steps[21]!.change, 'onset')
    assert.equal(steps[21]!.anomalous, true)
    const spike = run([...base, 20 + 4]) // score 4 ≥ strongScore 3
    assert.equal(spike[20]!.change, 'onset')
  })

  it('ends only after endReadings calm readings in a row against the frozen baseline', () => {
    const base = Array.from({ length: 20 }, (_, i) => calm(20, i))
    const steps = run([...base, 25, 25, 20.9, 20.9, 20.9, 20.9, 20.1, 20.2, 20.0])
    const episode = steps.slice(20)
    assert.equal(episode[1]!.change, undefined, 'the strong first reading already started it')
    assert.equal(episode[0]!.change, 'onset')
    // 20.9 scores 0.9: no longer deviant, but not calm enough to end (endScore 0.8): still anomalous.
    assert.ok(episode.slice(2, 6).every((s) => s.anomalous && s.inEpisode && s.change === undefined))
    // Calm readings count down to the end: the episode is open, but they are not anomalous readings.
    assert.deepEqual(
      episode.slice(6).map((s) => [s.anomalous, s.inEpisode, s.change]),
      [
        [false, true, undefined],
        [false, true, undefined],
        [false, false, 'end'],
      ],
    )
  })

  it('a calm reading interrupted by a deviant one restarts the count (no flapping)', () => {
    const base = Array.from({ length: 20 }, (_, i) => calm(20, i))
    const steps = run([...base, 25, 20, 20, 25, 20, 20, 20])
    const changes = steps.slice(20).map((s) => s.change)
    assert.deepEqual(changes, ['onset', undefined, undefined, undefined, undefined, undefined, 'end'])
  })

  it('relearns after relearnAfterMs: a permanent level change ends the episode at the new level', () => {
    const p = { ...params, relearnAfterMs: 60_000 }
    const state = newDetectorState()
    run(
      Array.from({ length: 20 }, (_, i) => calm(20, i)),
      p,
      state,
    )
    const shifted = Array.from({ length: 40 }, (_, i) => detect(state, p, 30, 100_000 + i * 5000))
    const end = shifted.findIndex((s) => s.change === 'end')
    assert.equal(end, 12, 'ends 60 s (12 readings) after the onset')
    assert.equal(episodeOf(state), undefined)
    assert.ok(
      shifted.slice(end + 1).every((s) => !s.anomalous),
      'the new level is normal',
    )
    assert.equal(baselineOf(state, p)!.mean, 30)
  })

  it('keeps a compact, validated state', () => {
    const state = newDetectorState()
    run([1, 2, 3, 4, 5, 6, 50, 60], params, state)
    assert.ok(isDetectorState(JSON.parse(JSON.stringify(state))))
    assert.equal(isDetectorState([1, 2, 3]), false)
    assert.equal(isDetectorState([0, 0, 0, 0, 0, 0, 0, 0, 'x']), false)
    assert.equal(episodeOf(state)?.onsetMs, 30_000)
  })
})
