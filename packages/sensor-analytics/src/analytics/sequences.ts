/**
 * The per-sensor sequence numbers a pane has counted, as sorted disjoint ranges flattened to
 * `[lo0, hi0, lo1, hi1, …]` (inclusive). A device's readings are mostly consecutive, so a pane of any size is
 * one or a few ranges. At-least-once edges (the MQTT bridge after a crash, an HTTP client retrying, a device
 * resending) deliver some readings twice with the same sequence and event time, hence the same pane: the pane
 * counts each sequence once, so the aggregates stay exact.
 */

/** Adds `sequence`; false (and no change) when it is already there. */
export function addSequence(ranges: number[], sequence: number): boolean {
  // Find the first range whose hi ≥ sequence - 1 (binary search over range indexes).
  let lo = 0
  let hi = ranges.length / 2
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (ranges[2 * mid + 1]! < sequence - 1) lo = mid + 1
    else hi = mid
  }
  const i = 2 * lo
  if (i < ranges.length) {
    const start = ranges[i]!
    const end = ranges[i + 1]!
    if (sequence >= start && sequence <= end) return false
    if (sequence === end + 1) {
      ranges[i + 1] = sequence
      // Joins the next range?
      if (i + 2 < ranges.length && ranges[i + 2] === sequence + 1) {
        ranges[i + 1] = ranges[i + 3]!
        ranges.splice(i + 2, 2)
      }
      return true
    }
    if (sequence === start - 1) {
      ranges[i] = sequence
      return true
    }
  }
  ranges.splice(i, 0, sequence, sequence)
  return true
}
