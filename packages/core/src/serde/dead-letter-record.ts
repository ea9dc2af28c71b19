/**
 * Building a dead letter that fits its topic. A poison value close to the source topic's size limit, plus the
 * dead-letter headers, may not fit the dead-letter topic: then the record goes with a truncated copy of the
 * value, and at worst (`reference`) with no value at all. Either way its headers keep the original size, a
 * SHA-256 of the original value and where it came from, so the original can be found (and checked) in the
 * source topic while it is retained.
 */
import { createHash } from 'node:crypto'
import type { Headers } from '../kafka/types.ts'

/** Bytes a record adds to a batch beyond its key, value and header bytes (varints, attributes), generously. */
const RECORD_OVERHEAD = 32
/** Per header: its varint lengths. */
const HEADER_OVERHEAD = 10
/** Record batch header (61 bytes) and slack for what we cannot see (compression framing). */
const BATCH_OVERHEAD = 512
/** A key longer than this is cut in a truncated dead letter (keys only route it). */
const MAX_KEPT_KEY = 1024

export type Truncation = 'none' | 'value' | 'reference'

export interface FittedDeadLetter {
  key: Buffer | null
  value: Buffer | null
  headers: Headers
  truncation: Truncation
}

export function headerBytes(headers: Headers): number {
  let bytes = 0
  for (const [name, value] of Object.entries(headers)) bytes += Buffer.byteLength(name) + value.length + HEADER_OVERHEAD
  return bytes
}

export function recordBytes(key: Buffer | null, value: Buffer | null, headers: Headers): number {
  return (key?.length ?? 0) + (value?.length ?? 0) + headerBytes(headers) + RECORD_OVERHEAD
}

export function sha256Hex(value: Buffer | null): string {
  return createHash('sha256')
    .update(value ?? Buffer.alloc(0))
    .digest('hex')
}

/**
 * The dead letter of `value` within `maxBytes` (the dead-letter topic's max.message.bytes): as is when it fits,
 * else the original headers dropped and the value cut to what fits, else (or when `reference`) no value.
 * `dlqHeaders` are always kept; `truncationHeader` names the header saying what was cut.
 */
export function fitDeadLetter(options: {
  key: Buffer | null
  value: Buffer | null
  originalHeaders: Headers
  dlqHeaders: Headers
  maxBytes: number
  reference: boolean
  truncationHeader: string
}): FittedDeadLetter {
  const { key, value, originalHeaders, dlqHeaders, maxBytes, truncationHeader } = options
  const budget = maxBytes - BATCH_OVERHEAD
  const whole = { ...originalHeaders, ...dlqHeaders }
  if (!options.reference && recordBytes(key, value, whole) <= budget) {
    return { key, value, headers: whole, truncation: 'none' }
  }
  const keptKey = key && key.length > MAX_KEPT_KEY ? key.subarray(0, MAX_KEPT_KEY) : key
  const cut = (truncation: Truncation): Headers => ({ ...dlqHeaders, [truncationHeader]: Buffer.from(truncation) })
  if (!options.reference && value) {
    const room = budget - recordBytes(keptKey, null, cut('value'))
    if (room > 0) return { key: keptKey, value: value.subarray(0, room), headers: cut('value'), truncation: 'value' }
  }
  return { key: keptKey, value: null, headers: cut('reference'), truncation: 'reference' }
}
