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
