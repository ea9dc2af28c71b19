import type { ProducerRecord } from '@isobar/core'

/**
 * Brokers refuse a batch above message.max.bytes (1 MiB by default): a commit's records go in chunks below it,
 * sent together outside transactions (one connection per broker keeps them in order, which idempotence checks).
 */
export const MAX_SEND_BYTES = 768 * 1024

export function* sendChunks(records: ProducerRecord[], maxBytes = MAX_SEND_BYTES): Generator<ProducerRecord[]> {
  let start = 0
  let bytes = 0
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!
    const size = (r.key?.length ?? 0) + (r.value?.length ?? 0) + 70
    if (bytes + size > maxBytes && i > start) {
      yield records.slice(start, i)
      start = i
      bytes = 0
    }
    bytes += size
  }
  if (start < records.length) yield records.slice(start)
}
