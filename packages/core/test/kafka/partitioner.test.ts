import assert from 'node:assert/strict'
import { test } from 'node:test'
import { compatibilityPartitioner } from '@platformatic/kafka'
import { javaPartitionForKey, murmur2 } from '../../src/kafka/partitioner.ts'

// Produced by org.apache.kafka.common.utils.Utils.murmur2 from kafka-clients 4.2.2 (a throwaway Java program
// on the project's jars): key, murmur2, toPositive(murmur2) % 12.
const JAVA_VECTORS: Array<[string, number, number]> = [
  ['21', -973932308, 0],
  ['foobar', -790332482, 6],
  ['a-little-bit-long-string', -985981536, 8],
  ['a-little-bit-longer-string', -1486304829, 11],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971, 5],
  ['abc', 479470107, 3],
  ['', 275646681, 9],
  ['station-KSEA', 1671211362, 6],
  ['sensor-000042', -1422254071, 1],
  ['ü-unicode-κλειδί', 538853846, 2],
]

test('murmur2 matches the Java client bit for bit', () => {
  for (const [key, hash] of JAVA_VECTORS) assert.equal(murmur2(Buffer.from(key, 'utf8')), hash, key)
})

test('javaPartitionForKey picks the partition the Java producer picks', () => {
  for (const [key, , partition] of JAVA_VECTORS)
    assert.equal(javaPartitionForKey(Buffer.from(key, 'utf8'), 12), partition, key)
})

test("the client's compatibilityPartitioner, which our producer uses, agrees with Java", () => {
  for (const [key, , partition] of JAVA_VECTORS) {
    const hash = compatibilityPartitioner({ topic: 't' }, Buffer.from(key, 'utf8'))
    assert.equal(hash % 12, partition, key)
  }
})
