import assert from 'node:assert/strict'
import { test } from 'node:test'
import { compatibilityPartitioner } from '@platformatic/kafka'
import { javaPartitionForKey, murmur2, partitionChooser } from '../../src/kafka/partitioner.ts'

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

test('partitionChooser murmur2: keyed records by the Java hash, unkeyed ones to partition 0', () => {
  const chooser = partitionChooser('murmur2')
  for (const [key, , partition] of JAVA_VECTORS) {
    assert.equal(chooser.partitionFor({ topic: 't', key: Buffer.from(key), value: null }) % 12, partition, key)
  }
  assert.equal(chooser.partitionFor({ topic: 't', key: null, value: null }), 0)
})

test('partitionChooser sticky: unkeyed records stay on one partition per batch and move on with the next', () => {
  const chooser = partitionChooser('sticky')
  const unkeyed = { topic: 't', key: null, value: Buffer.from('v') }
  const first = [1, 2, 3].map(() => chooser.partitionFor(unkeyed) % 4)
  assert.deepEqual(new Set(first).size, 1)
  chooser.nextBatch()
  const second = chooser.partitionFor(unkeyed) % 4
  assert.notEqual(second, first[0])
  const [key, , partition] = JAVA_VECTORS[1]!
  assert.equal(chooser.partitionFor({ topic: 't', key: Buffer.from(key), value: null }) % 12, partition)
})

test('partitionChooser round-robin: every record to the next partition, keys ignored', () => {
  const chooser = partitionChooser('round-robin')
  const key = Buffer.from('same-key')
  const picked = Array.from({ length: 8 }, () => chooser.partitionFor({ topic: 't', key, value: null }) % 4)
  assert.deepEqual(picked, [0, 1, 2, 3, 0, 1, 2, 3])
})

test('partitionChooser custom: the function decides; a negative or fractional answer is refused', () => {
  const byZone = partitionChooser((r) => (r.value?.toString() === 'north' ? 0 : 1))
  assert.equal(byZone.partitionFor({ topic: 't', value: Buffer.from('north') }), 0)
  assert.equal(byZone.partitionFor({ topic: 't', value: Buffer.from('south') }), 1)
  assert.throws(() => partitionChooser(() => -1).partitionFor({ topic: 't', value: null }), /returned -1/)
  assert.throws(() => partitionChooser(() => 1.5).partitionFor({ topic: 't', value: null }), /returned 1.5/)
  assert.throws(() => partitionChooser('bogus' as 'sticky'), /unknown partitioner "bogus"/)
})
