/**
 * Burrow-style consumer lag status: a partition is judged from a sliding window of samples (committed offset,
 * log-end offset, lag, time), not from one lag number, so no lag threshold has to be configured.
 *
 * Burrow reads every offset commit with its commit timestamp from __consumer_offsets. Kafka's admin API gives us
 * only the current committed offset, so we poll it and adapt the rules:
 * - Burrow's STOP ("no commit for longer than the window") becomes: the committed offset did not move across the
 *   window, there is lag, and the group has no active members (describeGroup). Nobody will consume it.
 * - Burrow's STALL ("commits keep coming but the offset does not move") becomes: the committed offset did not move
 *   across at least two samples, lag stayed > 0, and the group has active members. Members are there but no
 *   progress is committed. The window must span more than the group's commit interval (autocommit 5 s by default),
 *   or a healthy consumer that simply has not committed yet looks stalled.
 * - Group membership is counted per group, not per partition: a partition of a topic the members no longer
 *   subscribe to shows as STALL, not STOP.
 *
 * A partition the group never committed on (assigned, or kept from an earlier sample) is judged from its log:
 * 0. no committed offset in the window: the log is empty → OK; the log end grew across the window → STOP without
 *    members, STALL with (records arrive, nothing is ever committed: e.g. a consumer stuck on its first record);
 *    otherwise → WARN (records waiting, never committed). Burrow ignores such partitions; a stuck new group
 *    would then look healthy with a total lag of 0.
 * Otherwise the rules, first match wins, over the samples that have a committed offset (oldest first):
 * 1. (see 0)
 * 2. latest lag is 0                              → OK
 * 3. committed offset went backwards anywhere     → REWIND
 * 4. offset unchanged across the window, 0 members → STOP (even with one sample: lag > 0 and nobody consuming)
 * 5. lag was 0 in any sample of the window        → OK (it caught up recently)
 * 6. offset unchanged over ≥ 2 samples, members   → STALL
 * 7. lag never decreased and grew overall         → WARN (committing, but falling behind)
 * 8. otherwise                                    → OK
 * A single sample can therefore only say OK (lag 0, or members present) or STOP (lag > 0, no members).
 *
 * Severity order: OK < WARN < STALL < STOP < REWIND. Burrow ranks STOP below STALL; we rank STOP above STALL
 * because a group without members never recovers on its own, while a stalled member may. REWIND is highest as in
 * Burrow: records are being processed a second time.
 */

export type LagStatus = 'OK' | 'WARN' | 'STALL' | 'STOP' | 'REWIND'

/** Numeric value of each status, for Prometheus gauges and alert rules (higher is worse). */
export const LAG_STATUS_CODES: Readonly<Record<LagStatus, number>> = Object.freeze({
  OK: 0,
  WARN: 1,
  STALL: 2,
  STOP: 3,
  REWIND: 4,
})

export interface LagSample {
  /** When the sample was taken (ms since the epoch). */
  timeMs: number
  /** Null while the partition is assigned but the group never committed on it. */
  committedOffset: bigint | null
  latestOffset: bigint
  /** Null without a committed offset. */
  lag: bigint | null
  /** Log start offset (0 when unknown): a never-committed partition has records waiting when latest > earliest. */
  earliestOffset?: bigint
}

/** One sample of a groupLag row, taken at `timeMs` (the log start offset included: see `earliestOffset`). */
export function lagSampleOf(
  row: Pick<LagSample, 'committedOffset' | 'latestOffset' | 'lag' | 'earliestOffset'>,
  timeMs: number,
): LagSample {
  return {
    timeMs,
    committedOffset: row.committedOffset,
    latestOffset: row.latestOffset,
    lag: row.lag,
    ...(row.earliestOffset === undefined ? {} : { earliestOffset: row.earliestOffset }),
  }
}

export interface LagStatusContext {
  /** Members of the group right now (describeGroup); 0 for an Empty group. */
  activeMembers: number
}

export interface PartitionStatus {
  status: LagStatus
  /** One human-readable sentence saying which rule decided. */
  reason: string
}

interface Judged {
  timeMs: number
  committedOffset: bigint
  lag: bigint
}

/** Evaluates one partition from its window of samples (any order; they are sorted by time). */
export function evaluatePartition(samples: readonly LagSample[], context: LagStatusContext): PartitionStatus {
  const window = samples
    .filter((s): s is LagSample & Judged => s.committedOffset !== null && s.lag !== null)
    .sort((a, b) => a.timeMs - b.timeMs)
  const first = window[0]
  const last = window[window.length - 1]
  if (!first || !last) return neverCommitted(samples, context)
  if (last.lag === 0n) return { status: 'OK', reason: 'caught up' }

  const steps = window.slice(1).map((s, i) => ({ from: window[i] as Judged, to: s }))
  const rewind = steps.find((s) => s.to.committedOffset < s.from.committedOffset)
  if (rewind) {
    return {
      status: 'REWIND',
      reason: `committed offset went back from ${rewind.from.committedOffset} to ${rewind.to.committedOffset}`,
    }
  }
  const unchanged = first.committedOffset === last.committedOffset
  const span = `${window.length} sample${window.length === 1 ? '' : 's'} over ${formatSpan(last.timeMs - first.timeMs)}`
  if (unchanged && context.activeMembers === 0) {
    return { status: 'STOP', reason: `no members and committed offset ${last.committedOffset} not moving (${span})` }
  }
  if (window.some((s) => s.lag === 0n)) return { status: 'OK', reason: 'lag was 0 within the window' }
  if (unchanged && window.length >= 2) {
    return {
      status: 'STALL',
      reason: `${context.activeMembers} member(s) but committed offset ${last.committedOffset} not moving (${span})`,
    }
  }
  if (window.length >= 2 && steps.every((s) => s.to.lag >= s.from.lag) && last.lag > first.lag) {
    return { status: 'WARN', reason: `committing but lag grew from ${first.lag} to ${last.lag} (${span})` }
  }
  return { status: 'OK', reason: window.length === 1 ? 'one sample: members present' : 'consuming' }
}

/** Rule 0: a partition without any committed offset in the window, judged from its log. */
function neverCommitted(samples: readonly LagSample[], context: LagStatusContext): PartitionStatus {
  const ordered = [...samples].sort((a, b) => a.timeMs - b.timeMs)
  const first = ordered[0]
  const last = ordered[ordered.length - 1]
  if (!first || !last) return { status: 'OK', reason: 'no samples' }
  const waiting = last.latestOffset - (last.earliestOffset ?? 0n)
  if (waiting <= 0n) return { status: 'OK', reason: 'no committed offset yet, and no records to consume' }
  const span = `${ordered.length} samples over ${formatSpan(last.timeMs - first.timeMs)}`
  if (last.latestOffset > first.latestOffset) {
    const grew = `log end grew from ${first.latestOffset} to ${last.latestOffset} (${span})`
    return context.activeMembers === 0
      ? { status: 'STOP', reason: `no members and never committed while the ${grew}` }
      : { status: 'STALL', reason: `${context.activeMembers} member(s) but never committed while the ${grew}` }
  }
  return { status: 'WARN', reason: `never committed; ${waiting} record(s) in the log` }
}

/** The worst status of a group's partitions (OK for none). */
export function worstStatus(statuses: Iterable<LagStatus>): LagStatus {
  let worst: LagStatus = 'OK'
  for (const status of statuses) if (LAG_STATUS_CODES[status] > LAG_STATUS_CODES[worst]) worst = status
  return worst
}

function formatSpan(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`
}
