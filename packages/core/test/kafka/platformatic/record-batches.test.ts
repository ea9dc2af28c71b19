import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { fetchV17 } from '@platformatic/kafka'
import { decodePartition, dropAbortedBatches } from '../../../src/kafka/platformatic/record-batches.ts'

type Batch = NonNullable<fetchV17.FetchResponsePartition['records']>[number]

/** A batch of `count` records from `firstOffset`, values "v<offset>". */
function batch(firstOffset: number, count: number, options: { producerId?: number; attributes?: number } = {}): Batch {
  return {
    firstOffset: BigInt(firstOffset),
    length: 0,
    partitionLeaderEpoch: 0,
    magic: 2,
    crc: 0,
    attributes: options.attributes ?? 0,
    lastOffsetDelta: count - 1,
    firstTimestamp: 1000n,
    maxTimestamp: 2000n,
    producerId: BigInt(options.producerId ?? -1),
    producerEpoch: 0,
    firstSequence: 0,
    records: Array.from({ length: count }, (_, i) => ({
      attributes: 0,
      timestampDelta: BigInt(i),
      offsetDelta: i,
      key: null,
      value: Buffer.from(`v${firstOffset + i}`),
      headers: [[Buffer.from('h'), Buffer.from('x')]],
    })) as unknown as Batch['records'],
  }
}

/** A transaction marker: control batch whose key is version 0 + type (0 abort, 1 commit). */
function marker(offset: number, producerId: number, type: 0 | 1): Batch {
  const b = batch(offset, 1, { producerId, attributes: 0x30 })
  const key = Buffer.alloc(4)
  key.writeInt16BE(type, 2)
  b.records[0]!.key = key
  return b
}

function partition(records: Batch[], lastStableOffset: number, aborted: Array<[number, number]> = []) {
  return {
    partitionIndex: 3,
    errorCode: 0,
    highWatermark: 100n,
    lastStableOffset: BigInt(lastStableOffset),
    logStartOffset: 0n,
    abortedTransactions: aborted.map(([producerId, firstOffset]) => ({
      producerId: BigInt(producerId),
      firstOffset: BigInt(firstOffset),
    })),
    preferredReadReplica: -1,
    records,
  } satisfies fetchV17.FetchResponsePartition
}

const values = (decoded: ReturnType<typeof decodePartition>) => decoded.records.map((r) => r.value!.toString())

// Offsets: 0-2 plain, 3-4 txn of producer 7 (aborted, marker at 5), 6-7 txn of producer 8 (committed, marker at 8),
// 9-10 plain beyond the last stable offset 9.
const log = [
  batch(0, 3),
  batch(3, 2, { producerId: 7, attributes: 0x10 }),
  marker(5, 7, 0),
  batch(6, 2, { producerId: 8, attributes: 0x10 }),
  marker(8, 8, 1),
  batch(9, 2),
]

test('uncommitted: every data record from the fetch offset on, never a control batch; nextOffset after the last batch', () => {
  const decoded = decodePartition('t', partition(log, 9, [[7, 3]]), 1n, false)
  assert.deepEqual(values(decoded), ['v1', 'v2', 'v3', 'v4', 'v6', 'v7', 'v9', 'v10'])
  assert.equal(decoded.nextOffset, 11n)
  const first = decoded.records[0]!
  assert.deepEqual([first.topic, first.partition, first.offset, first.timestamp], ['t', 3, 1n, 1001])
  assert.deepEqual(Object.keys(first.headers), ['h'])
})

test('committed: aborted transactions dropped, stops at the last stable offset', () => {
  const decoded = decodePartition('t', partition(log, 9, [[7, 3]]), 0n, true)
  assert.deepEqual(values(decoded), ['v0', 'v1', 'v2', 'v6', 'v7'])
  assert.equal(decoded.nextOffset, 9n)
})

test('log-append-time batches stamp every record with the batch max timestamp', () => {
  const decoded = decodePartition('t', partition([batch(0, 2, { attributes: 0x08 })], 2), 0n, false)
  assert.deepEqual(
    decoded.records.map((r) => r.timestamp),
    [2000, 2000],
  )
})

test('dropAbortedBatches: empties every aborted transaction of one producer, also one whose marker is past the answer', () => {
  // Producer 7: 0-1 aborted (marker 2), 3-4 committed (marker 5), 6-7 aborted (marker 8), 9-10 aborted, marker
  // not in this answer. Producer 8's committed batch at 11 and plain records at 12 stay, as do the markers.
  const txn = { producerId: 7, attributes: 0x10 }
  const answer = partition(
    [
      batch(0, 2, txn),
      marker(2, 7, 0),
      batch(3, 2, txn),
      marker(5, 7, 1),
      batch(6, 2, txn),
      marker(8, 7, 0),
      batch(9, 2, txn),
      batch(11, 1, { producerId: 8, attributes: 0x10 }),
      batch(12, 1),
    ],
    13,
    [
      [7, 0],
      [7, 6],
      [7, 9],
    ],
  )
  dropAbortedBatches(answer)
  // Every batch stays (the client's stream takes its position from the last one), aborted ones without records.
  assert.deepEqual(
    answer.records.map((b) => [Number(b.firstOffset), b.records.length]),
    [
      [0, 0],
      [2, 1],
      [3, 2],
      [5, 1],
      [6, 0],
      [8, 1],
      [9, 0],
      [11, 1],
      [12, 1],
    ],
  )
})
