import { InvalidRequestError } from '../errors.ts'

export interface OutgoingRecord {
  key: Buffer | null
  value: Buffer | null
  headers: Record<string, Buffer>
  timestamp?: number
}

/** Bytes a one-record batch adds around key, value and headers (61 batch header + at most ~21 record varints). */
const BATCH_OVERHEAD = 82

/** Size of the record as a one-record, uncompressed batch: what the broker compares with max.message.bytes. */
export function batchSize(record: OutgoingRecord): number {
  let size = BATCH_OVERHEAD + (record.key?.length ?? 0) + (record.value?.length ?? 0)
  for (const [name, value] of Object.entries(record.headers)) size += Buffer.byteLength(name) + value.length + 10
  return size
}

/**
 * What the broker would refuse for this topic, said as a 400 before the produce: a record without a key on a
 * compacted topic, a record larger than `max.message.bytes`, and (with CreateTime) a timestamp further from now
 * than `message.timestamp.before/after.max.ms`.
 */
export function checkRecord(configs: Record<string, string>, record: OutgoingRecord, now = Date.now()): void {
  if ((configs['cleanup.policy'] ?? '').split(',').includes('compact') && record.key === null) {
    throw new InvalidRequestError('body/key is required: the topic is compacted (cleanup.policy=compact)', 'key')
  }
  const maxBytes = Number(configs['max.message.bytes'])
  const size = batchSize(record)
  if (Number.isFinite(maxBytes) && size > maxBytes) {
    throw new InvalidRequestError(
      `body: the record (${size} bytes) is larger than the topic's max.message.bytes (${maxBytes})`,
      'value',
    )
  }
  const { timestamp } = record
  if (timestamp === undefined || configs['message.timestamp.type'] === 'LogAppendTime') return
  for (const [name, ok] of [
    ['message.timestamp.after.max.ms', (limit: number) => timestamp - now <= limit],
    ['message.timestamp.before.max.ms', (limit: number) => now - timestamp <= limit],
  ] as const) {
    const limit = Number(configs[name])
    if (Number.isFinite(limit) && !ok(limit)) {
      throw new InvalidRequestError(
        `body/timestamp is further from now than the topic's ${name} (${configs[name]} ms) allows`,
        'timestamp',
      )
    }
  }
}
