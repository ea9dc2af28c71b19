import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { fetchV17 } from '@platformatic/kafka'
import type { ConsumedRecord } from '../../../src/kafka/types.ts'
import { readCommittedFrom, type CommittedSource } from '../../../src/kafka/platformatic/transactional-read.ts'

type Batch = NonNullable<fetchV17.FetchResponsePartition['records']>[number]

/** A log of single-record batches at offsets 0..n-1, values "v<offset>". */
function log(n: number): Batch[] {
  return Array.from({ length: n }, (_, offset) => ({
    firstOffset: BigInt(offset),
    length: 0,
    partitionLeaderEpoch: 0,
    magic: 2,
    crc: 0,
    attributes: 0,
    lastOffsetDelta: 0,
    firstTimestamp: 1000n,
    maxTimestamp: 1000n,
    producerId: -1n,
    producerEpoch: 0,
    firstSequence: 0,
    records: [
      { attributes: 0, timestampDelta: 0n, offsetDelta: 0, key: null, value: Buffer.from(`v${offset}`), headers: [] },
    ] as unknown as Batch['records'],
  }))
}

/** A Fetch answer from `offset` of a leader whose last stable offset is `lso` (it serves nothing beyond it). */
function answer(batches: Batch[], offset: bigint, lso: number): fetchV17.FetchResponsePartition {
  return {
    partitionIndex: 0,
    errorCode: 0,
    highWatermark: BigInt(lso),
    lastStableOffset: BigInt(lso),
    logStartOffset: 0n,
    abortedTransactions: [],
    preferredReadReplica: -1,
    records: batches.filter((b) => b.firstOffset >= offset && b.firstOffset < BigInt(lso)),
  }
}

test('a read goes on to the end offset the leader answered, past a Fetch whose last stable offset lags it', async () => {
  const batches = log(10)
  // A leader elected after a restart: its high watermark (hence a Fetch's last stable offset) starts at 6 while
  // its predecessor had committed up to 10; ListOffsets first refuses (KIP-207), then answers 10.
  const lsoOfFetch = [6, 6, 10]
  const calls: string[] = []
  const source: CommittedSource = {
    endOffset: () => {
      calls.push('end')
      if (calls.filter((c) => c === 'end').length === 1) return Promise.reject(new Error('OFFSET_NOT_AVAILABLE'))
      return Promise.resolve(10n)
    },
    fetch: (offset) => {
      calls.push(`fetch ${offset}`)
      if (calls.filter((c) => c.startsWith('fetch')).length === 2) return Promise.resolve(undefined) // leader moving
      return Promise.resolve(answer(batches, offset, lsoOfFetch.shift() ?? 10))
    },
  }
  const read: ConsumedRecord[] = []
  const { nextOffset } = await readCommittedFrom(source, {
    topic: 't',
    partition: 0,
    fromOffset: 2n,
    timeoutMs: 10_000,
    onRecords: (records) => read.push(...records),
  })
  assert.deepEqual(
    read.map((r) => r.value!.toString()),
    ['v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'v9'],
  )
  assert.equal(nextOffset, 10n)
  assert.deepEqual(calls, ['end', 'end', 'fetch 2', 'fetch 6', 'fetch 6', 'fetch 6'])
})

test('a read that cannot reach the end offset before its deadline fails instead of reporting a partial read', async () => {
  const batches = log(10)
  const source: CommittedSource = {
    endOffset: () => Promise.resolve(10n),
    fetch: (offset) => Promise.resolve(answer(batches, offset, 4)),
  }
  const read: string[] = []
  await assert.rejects(
    readCommittedFrom(source, {
      topic: 't',
      partition: 0,
      fromOffset: 0n,
      timeoutMs: 300,
      onRecords: (records) => read.push(...records.map((r) => r.value!.toString())),
    }),
    /read_committed/,
  )
  assert.deepEqual(read, ['v0', 'v1', 'v2', 'v3'], 'what was committed below the lagging offset was still passed on')
})

test('nothing to read: the start is at or past the end offset', async () => {
  let fetched = 0
  const source: CommittedSource = {
    endOffset: () => Promise.resolve(5n),
    fetch: () => {
      fetched++
      return Promise.resolve(undefined)
    },
  }
  const { nextOffset } = await readCommittedFrom(source, {
    topic: 't',
    partition: 0,
    fromOffset: 5n,
    onRecords: () => assert.fail('no records expected'),
  })
  assert.equal(nextOffset, 5n)
  assert.equal(fetched, 0)
})
