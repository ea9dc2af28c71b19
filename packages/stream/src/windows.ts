import { InvalidTopologyError } from './errors.ts'

/** Epoch-aligned fixed windows [start, end): tumbling when advanceMs = sizeMs, hopping when smaller. */
export interface TimeWindows {
  kind: 'time'
  sizeMs: number
  advanceMs: number
  /** How long after a window's end records may still arrive (in stream time) before the window closes. */
  graceMs: number
}

/** Per-key activity sessions: records at most gapMs apart share a session [first, last]. */
export interface SessionWindows {
  kind: 'session'
  gapMs: number
  graceMs: number
}

export type WindowSpec = TimeWindows | SessionWindows

function positive(name: string, value: number, allowZero = false): void {
  if (!Number.isSafeInteger(value) || value < 0 || (!allowZero && value === 0)) {
    throw new InvalidTopologyError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer (ms)`, {
      [name]: value,
    })
  }
}

export function tumbling(options: { sizeMs: number; graceMs?: number }): TimeWindows {
  return hopping({ sizeMs: options.sizeMs, advanceMs: options.sizeMs, graceMs: options.graceMs ?? 0 })
}

export function hopping(options: { sizeMs: number; advanceMs: number; graceMs?: number }): TimeWindows {
  const graceMs = options.graceMs ?? 0
  positive('sizeMs', options.sizeMs)
  positive('advanceMs', options.advanceMs)
  positive('graceMs', graceMs, true)
  if (options.advanceMs > options.sizeMs) {
    throw new InvalidTopologyError('advanceMs must not exceed sizeMs (records would fall between windows)')
  }
  return { kind: 'time', sizeMs: options.sizeMs, advanceMs: options.advanceMs, graceMs }
}

export function session(options: { gapMs: number; graceMs?: number }): SessionWindows {
  const graceMs = options.graceMs ?? 0
  positive('gapMs', options.gapMs)
  positive('graceMs', graceMs, true)
  return { kind: 'session', gapMs: options.gapMs, graceMs }
}

/** The oldest and newest start of the time windows containing `timestamp` (the starts step by advanceMs). */
export function windowStartRange(spec: TimeWindows, timestamp: number): { first: number; last: number } {
  const last = timestamp - mod(timestamp, spec.advanceMs)
  // Starts last - k * advanceMs contain the timestamp while k * advanceMs < sizeMs - (timestamp - last).
  const steps = Math.ceil((spec.sizeMs - (timestamp - last)) / spec.advanceMs) - 1
  const first = last - steps * spec.advanceMs
  return { first, last }
}

/** Start times of every time window containing `timestamp`, oldest first. */
export function windowStartsFor(spec: TimeWindows, timestamp: number): number[] {
  const { first, last } = windowStartRange(spec, timestamp)
  const starts: number[] = []
  for (let start = first; start <= last; start += spec.advanceMs) starts.push(start)
  return starts
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b
}
