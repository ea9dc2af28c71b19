import { InvalidArgumentError } from '../errors.ts'

/**
 * Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2) is the client's own (@platformatic/kafka exports
 * it; its compatibilityPartitioner, which our producer uses, is built on it): re-exported here so callers need no
 * client import. test/kafka/partitioner.test.ts checks it against vectors from the Java client.
 */
import { murmur2 as clientMurmur2 } from '@platformatic/kafka'

/** Kafka's murmur2 of the bytes, as a signed 32-bit integer (bit for bit the Java client's). */
export function murmur2(data: Uint8Array): number {
  return clientMurmur2(Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength))
}

/** The partition the Java default partitioner chooses for a non-null key: toPositive(murmur2(key)) % partitions. */
export function javaPartitionForKey(key: Uint8Array, partitions: number): number {
  return (murmur2(key) & 0x7fffffff) % partitions
}

/**
 * How a producer picks the partition of a record that names none (`ProducerOptions.partitioner`):
 * - 'murmur2' (default): keyed records by Java's murmur2 key hash; unkeyed records all to partition 0.
 * - 'sticky': keyed records by murmur2; unkeyed records stick to one partition per `send()` call (one batch) and
 *   move to the next partition on the next call — the Java producer's built-in behaviour since KIP-480.
 * - 'round-robin': every record to the next partition in turn, key or not (Java's RoundRobinPartitioner);
 *   per-key order is lost.
 * - a function: your own choice (e.g. by zone); it returns any integer >= 0, taken modulo the partition count.
 */
export type PartitionerName = 'murmur2' | 'sticky' | 'round-robin'
export const PARTITIONER_NAMES: readonly PartitionerName[] = ['murmur2', 'sticky', 'round-robin']
export type CustomPartitioner = (record: { topic: string; key?: Buffer | null; value: Buffer | null }) => number
export type PartitionerChoice = PartitionerName | CustomPartitioner

/** Picks raw partition numbers (the client takes them modulo the topic's partition count). */
export interface PartitionChooser {
  partitionFor(record: { topic: string; key?: Buffer | null; value: Buffer | null }): number
  /** Called once per `send()`: the sticky partitioner moves on to the next partition. */
  nextBatch(): void
}

const POSITIVE = 0x7fffffff

export function partitionChooser(choice: PartitionerChoice = 'murmur2'): PartitionChooser {
  if (typeof choice === 'function') {
    return {
      partitionFor(record) {
        const partition = choice(record)
        if (!Number.isInteger(partition) || partition < 0) {
          throw new InvalidArgumentError(`custom partitioner returned ${String(partition)} for topic ${record.topic}`)
        }
        return partition
      },
      nextBatch() {},
    }
  }
  const keyHash = (key: Buffer): number => murmur2(key) & POSITIVE
  if (choice === 'murmur2') {
    return { partitionFor: (r) => (r.key ? keyHash(r.key) : 0), nextBatch() {} }
  }
  let counter = 0
  if (choice === 'round-robin') {
    return {
      partitionFor: () => {
        const partition = counter
        counter = (counter + 1) & POSITIVE
        return partition
      },
      nextBatch() {},
    }
  }
  if (choice === 'sticky') {
    return {
      partitionFor: (r) => (r.key ? keyHash(r.key) : counter),
      nextBatch() {
        counter = (counter + 1) & POSITIVE
      },
    }
  }
  throw new InvalidArgumentError(
    `unknown partitioner "${String(choice)}" (expected ${PARTITIONER_NAMES.join(', ')} or a function)`,
  )
}
