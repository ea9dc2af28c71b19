import assert from 'node:assert/strict'
import { test } from 'node:test'
import { evaluatePartition, LAG_STATUS_CODES, lagSampleOf, worstStatus, type LagSample } from '../../src/lag/status.ts'

/** Samples 1 s apart from [committed, latest] pairs (committed null = never committed). */
function window(...points: Array<[number | null, number]>): LagSample[] {
  return points.map(([committed, latest], i) => ({
    timeMs: 1_000_000 + i * 1000,
    committedOffset: committed === null ? null : BigInt(committed),
    latestOffset: BigInt(latest),
    lag: committed === null ? null : BigInt(Math.max(0, latest - committed)),
  }))
}

const members = { activeMembers: 2 }
const empty = { activeMembers: 0 }

test('OK when caught up now, or when any sample of the window had lag 0', () => {
  assert.equal(evaluatePartition(window([10, 20], [20, 20]), members).status, 'OK')
  const recent = evaluatePartition(window([10, 10], [10, 15], [10, 18]), members)
  assert.deepEqual(recent, { status: 'OK', reason: 'lag was 0 within the window' })
  assert.equal(evaluatePartition(window([5, 5], [5, 9]), members).status, 'OK')
})

test('never committed: OK only with an empty log; the log growing is STALL/STOP; records waiting is WARN', () => {
  // Issue #10: a group stuck on its first record (never commits while readings keep arriving) reported OK.
  const stuck = window([null, 10], [null, 20], [null, 35])
  const stall = evaluatePartition(stuck, members)
  assert.equal(stall.status, 'STALL')
  assert.match(stall.reason, /never committed while the log end grew from 10 to 35/)
  assert.equal(evaluatePartition(stuck, empty).status, 'STOP')
  assert.equal(evaluatePartition(window([null, 10]), members).status, 'WARN')
  assert.match(evaluatePartition(window([null, 10], [null, 10]), members).reason, /never committed; 10 record/)
  assert.equal(evaluatePartition(window([null, 0], [null, 0]), members).status, 'OK')
  // Records all deleted by retention (log start = log end): nothing to consume.
  const retained = window([null, 40]).map((s) => ({ ...s, earliestOffset: 40n }))
  assert.equal(evaluatePartition(retained, members).status, 'OK')
  // What every caller builds its samples with (CLI, console, monitor) keeps the log start offset.
  const row = { committedOffset: null, latestOffset: 40n, lag: null, earliestOffset: 40n }
  assert.equal(evaluatePartition([lagSampleOf(row, 1)], members).status, 'OK')
  assert.deepEqual(lagSampleOf(row, 7), { timeMs: 7, ...row })
  assert.equal(evaluatePartition([], members).status, 'OK')
  // One commit in the window: the usual rules.
  assert.equal(evaluatePartition(window([null, 10], [10, 10]), members).status, 'OK')
})

test('REWIND when the committed offset goes backwards, even with members consuming', () => {
  const result = evaluatePartition(window([50, 60], [20, 60], [25, 61]), members)
  assert.equal(result.status, 'REWIND')
  assert.match(result.reason, /from 50 to 20/)
  // A rewind followed by catching up is fine again.
  assert.equal(evaluatePartition(window([50, 60], [20, 60], [60, 60]), members).status, 'OK')
})

test('STOP vs STALL: offset not moving with lag, told apart by the member count', () => {
  const stuck = window([10, 30], [10, 31], [10, 35])
  const stop = evaluatePartition(stuck, empty)
  assert.equal(stop.status, 'STOP')
  assert.match(stop.reason, /no members/)
  const stall = evaluatePartition(stuck, members)
  assert.equal(stall.status, 'STALL')
  assert.match(stall.reason, /2 member\(s\)/)
  // Lag growing from 0 while nobody is left: STOP beats the "recently caught up" rule.
  assert.equal(evaluatePartition(window([10, 10], [10, 12]), empty).status, 'STOP')
  // Recently caught up with members: not a stall.
  assert.equal(evaluatePartition(window([10, 10], [10, 12]), members).status, 'OK')
})

test('a moving offset is never STOP or STALL, even without members (e.g. an offset reset forward)', () => {
  assert.equal(evaluatePartition(window([10, 30], [20, 30]), empty).status, 'OK')
})

test('WARN only when the consumer commits but lag never decreases and grows overall', () => {
  const growing = evaluatePartition(window([10, 20], [12, 25], [14, 29], [16, 33]), members)
  assert.equal(growing.status, 'WARN')
  assert.match(growing.reason, /from 10 to 17/)
  // Flat then growing still counts as never decreasing.
  assert.equal(evaluatePartition(window([10, 20], [12, 22], [14, 30]), members).status, 'WARN')
  // One dip breaks it: the consumer is catching up at times.
  assert.equal(evaluatePartition(window([10, 20], [12, 25], [20, 26], [22, 33]), members).status, 'OK')
  // Keeping pace at a constant lag is fine.
  assert.equal(evaluatePartition(window([10, 20], [15, 25], [20, 30]), members).status, 'OK')
})

test('a single sample: lag 0 → OK, lag with members → OK, lag without members → STOP', () => {
  assert.equal(evaluatePartition(window([5, 5]), empty).status, 'OK')
  assert.deepEqual(evaluatePartition(window([5, 9]), members), { status: 'OK', reason: 'one sample: members present' })
  assert.equal(evaluatePartition(window([5, 9]), empty).status, 'STOP')
})

test('samples are judged in time order whatever order they come in', () => {
  const [a, b, c] = window([10, 20], [12, 25], [14, 29])
  assert.ok(a && b && c)
  assert.equal(evaluatePartition([c, a, b], members).status, 'WARN')
  // In the given order this would look like a rewind.
  assert.notEqual(evaluatePartition([c, a, b], members).status, 'REWIND')
})

test('worstStatus: OK < WARN < STALL < STOP < REWIND, matching the Prometheus codes', () => {
  assert.equal(worstStatus([]), 'OK')
  assert.equal(worstStatus(['OK', 'WARN', 'OK']), 'WARN')
  assert.equal(worstStatus(['STALL', 'WARN']), 'STALL')
  assert.equal(worstStatus(['STALL', 'STOP', 'OK']), 'STOP')
  assert.equal(worstStatus(['STOP', 'REWIND', 'WARN']), 'REWIND')
  assert.deepEqual(LAG_STATUS_CODES, { OK: 0, WARN: 1, STALL: 2, STOP: 3, REWIND: 4 })
})
