import assert from 'node:assert/strict'
import { test } from 'node:test'
import { testKafkaClient } from '@isobar/testing'
import { partitioning } from '../../src/lessons/partitioning.ts'
import { runLesson } from '../../src/runner.ts'

interface Placement {
  histogram: number[]
  splitKeys: number
  keysOutOfOrder: number
  notJavaPartition: number
  sendsSpread: number
  splitZones: number
  partitionsUsed: number
}

test('key hash keeps each sensor on the Java partition in order; sticky, round-robin and by-zone spread as claimed', async () => {
  const result = await runLesson(partitioning, { kafka: testKafkaClient() })
  const f = result.figures as unknown as Record<string, Placement>
  const total = (h: number[]): number => h.reduce((a, b) => a + b, 0)

  const keyed = f.murmur2!
  assert.equal(total(keyed.histogram), 2800)
  assert.equal(keyed.splitKeys, 0, 'every key on one partition')
  assert.equal(keyed.keysOutOfOrder, 0, 'per-key order kept')
  assert.equal(keyed.notJavaPartition, 0, 'same partition as the Java producer')

  assert.deepEqual(f.unkeyedMurmur2!.histogram, [2800, 0, 0, 0, 0, 0])

  const sticky = f.sticky!
  assert.equal(sticky.sendsSpread, 0, 'each send on one partition')
  assert.ok(sticky.histogram.filter((n) => n > 0).length > 1, 'successive sends on different partitions')
  for (const n of sticky.histogram) assert.equal(n % 100, 0, 'whole sends per partition')

  const roundRobin = f.roundRobin!
  assert.ok(Math.max(...roundRobin.histogram) - Math.min(...roundRobin.histogram) <= 1, 'even spread')
  assert.ok(roundRobin.splitKeys > 0, 'keys scattered')

  const zones = f.byZone!
  assert.equal(zones.splitZones, 0)
  assert.equal(zones.partitionsUsed, 3)
  assert.deepEqual(zones.histogram.slice(0, 3), [1680, 840, 280])
})
