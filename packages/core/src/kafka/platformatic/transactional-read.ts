import { randomUUID } from 'node:crypto'
import { Consumer as PltConsumer, FetchIsolationLevels, type fetchV17 } from '@platformatic/kafka'
import type { KafkaConfig } from '../../config/kafka-config.ts'
import { KafkaRequestError, TimeoutError } from '../../errors.ts'
import type { Admin, ConsumedRecord, Headers, ReadCommittedOptions } from '../types.ts'
import { baseOptions } from './options.ts'

const TRANSACTIONAL = 0x10
const CONTROL = 0x20
const LOG_APPEND_TIME = 0x08
const MAX_BYTES = 1024 * 1024

type Batch = NonNullable<fetchV17.FetchResponsePartition['records']>[number]

/**
 * Reads one partition read_committed up to its last stable offset with plain Fetch requests (no group), dropping the
 * batches of aborted transactions from the response's aborted-transaction list, as KIP-98 asks of clients.
 */
export async function readCommitted(
  config: KafkaConfig,
  admin: Pick<Admin, 'describeTopics' | 'listOffsets'>,
  options: ReadCommittedOptions,
): Promise<{ nextOffset: bigint }> {
  const { topic, partition } = options
  const [description] = await admin.describeTopics([topic])
  const leader = description?.partitions.find((p) => p.partition === partition)?.leader
  if (!description || leader === undefined)
    throw new KafkaRequestError(`Reading ${topic}/${partition}`, 'no such partition')
  const start = (await admin.listOffsets(topic)).find((o) => o.partition === partition)?.earliest ?? 0n
  let offset = options.fromOffset !== undefined && options.fromOffset > start ? options.fromOffset : start
  const consumer = new PltConsumer({
    ...baseOptions(config, 'restore'),
    groupId: `isobar-restore-${randomUUID()}`,
    isolationLevel: FetchIsolationLevels.READ_COMMITTED,
  })
  const timeoutMs = options.timeoutMs ?? 30_000
  const deadline = Date.now() + timeoutMs
  try {
    for (;;) {
      if (Date.now() > deadline) throw new TimeoutError(`Reading ${topic}/${partition} read_committed`, timeoutMs)
      let response
      try {
        response = await consumer.fetch({
          node: leader,
          maxWaitTime: 0,
          minBytes: 0,
          maxBytes: MAX_BYTES,
          isolationLevel: FetchIsolationLevels.READ_COMMITTED,
          topics: [
            {
              topicId: description.id,
              partitions: [
                {
                  partition,
                  fetchOffset: offset,
                  currentLeaderEpoch: -1,
                  lastFetchedEpoch: -1,
                  partitionMaxBytes: MAX_BYTES,
                },
              ],
            },
          ],
        })
      } catch (error) {
        throw new KafkaRequestError(`Reading ${topic}/${partition}`, error, true)
      }
      const part = response.responses[0]?.partitions.find((p) => p.partitionIndex === partition)
      if (!part) return { nextOffset: offset }
      const { records, nextOffset } = committedRecords(topic, part, offset)
      if (records.length > 0) options.onRecords(records)
      if (nextOffset >= part.lastStableOffset || nextOffset <= offset) {
        return { nextOffset: nextOffset > offset ? nextOffset : offset }
      }
      offset = nextOffset
    }
  } finally {
    await consumer.close(true).catch(() => undefined)
  }
}

function committedRecords(
  topic: string,
  part: fetchV17.FetchResponsePartition,
  from: bigint,
): { records: ConsumedRecord[]; nextOffset: bigint } {
  // Producers whose transaction, starting at firstOffset, was aborted; removed again at their abort marker.
  const pending = [...(part.abortedTransactions ?? [])].sort((a, b) => Number(a.firstOffset - b.firstOffset))
  const aborting = new Set<bigint>()
  const records: ConsumedRecord[] = []
  let nextOffset = from
  for (const batch of part.records ?? []) {
    const batchEnd = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n
    if (batchEnd > part.lastStableOffset) break
    nextOffset = batchEnd > nextOffset ? batchEnd : nextOffset
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
