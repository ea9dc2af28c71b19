/**
 * The one decoder of the record batches a plain Fetch returns (admin-fetch.ts reads uncommitted, for browsing and
 * lag probes; transactional-read.ts reads committed, for state restores). Fetch answers whole batches: records
 * before the fetch offset are dropped, control batches (transaction markers) are never records, and a committed
 * read stops at the last stable offset and drops the batches of aborted transactions, as KIP-98 asks of clients.
 */
import type { fetchV17 } from '@platformatic/kafka'
import type { ConsumedRecord, Headers } from '../types.ts'

const LOG_APPEND_TIME = 0x08
const TRANSACTIONAL = 0x10
const CONTROL = 0x20

type Batch = NonNullable<fetchV17.FetchResponsePartition['records']>[number]

export interface DecodedPartition {
  records: ConsumedRecord[]
  /** Offset after the last batch decoded (control batches included); the fetch offset when none was. */
  nextOffset: bigint
}

/** Decodes one partition of a Fetch response from offset `from`; `committed` for an isolation of read_committed. */
export function decodePartition(
  topic: string,
  part: fetchV17.FetchResponsePartition,
  from: bigint,
  committed: boolean,
): DecodedPartition {
  // Producers whose transaction, starting at firstOffset, was aborted; removed again at their abort marker.
  const pending = committed
    ? [...(part.abortedTransactions ?? [])].sort((a, b) => Number(a.firstOffset - b.firstOffset))
    : []
  const aborting = new Set<bigint>()
  const records: ConsumedRecord[] = []
  let nextOffset = from
  for (const batch of part.records ?? []) {
    const batchEnd = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n
    if (committed && batchEnd > part.lastStableOffset) break
    if (batchEnd > nextOffset) nextOffset = batchEnd
    while (pending.length > 0 && pending[0]!.firstOffset <= batch.firstOffset) aborting.add(pending.shift()!.producerId)
    if ((batch.attributes & CONTROL) !== 0) {
      if (isAbortMarker(batch)) aborting.delete(batch.producerId)
      continue
    }
    if ((batch.attributes & TRANSACTIONAL) !== 0 && aborting.has(batch.producerId)) continue
    pushRecords(topic, part.partitionIndex, batch, from, records)
  }
  return { records, nextOffset }
}

/** A control batch's record key is version (int16) + type (int16): 0 = abort, 1 = commit. */
function isAbortMarker(batch: Batch): boolean {
  const key = batch.records[0]?.key
  return key !== undefined && key !== null && key.length >= 4 && key.readInt16BE(2) === 0
}

function pushRecords(topic: string, partition: number, batch: Batch, from: bigint, out: ConsumedRecord[]): void {
  const logAppendTime = (batch.attributes & LOG_APPEND_TIME) !== 0
  for (const record of batch.records) {
    const offset = batch.firstOffset + BigInt(record.offsetDelta)
    if (offset < from) continue
    const headers: Headers = {}
    for (const [k, v] of record.headers) if (k) headers[k.toString()] = v ?? Buffer.alloc(0)
    out.push({
      topic,
      partition,
      offset,
      timestamp: Number(logAppendTime ? batch.maxTimestamp : batch.firstTimestamp + record.timestampDelta),
      key: record.key,
      value: record.value,
      headers,
    })
  }
}
