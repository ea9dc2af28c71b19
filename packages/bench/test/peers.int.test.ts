import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createKafkaClient, parseKafkaConfig } from '@isobar/core'
import { testBootstrapServers, testKafkaLibDir } from '@isobar/testing'
import { runConsumeBench, runProduceBench } from '../src/index.ts'

// The confluent lane needs `npm run bench:peers` (CI runs it in .ci/run); without it this test fails, by design.
const bootstrap = testBootstrapServers()
const libDir = testKafkaLibDir()
const RECORDS = 5000
const CLIENTS = ['isobar', 'java', 'kafkajs', 'confluent'] as const

async function remainingTopics(names: string[]): Promise<string[]> {
  const admin = createKafkaClient(parseKafkaConfig({ bootstrapServers: [bootstrap] })).admin()
  try {
    const all = await admin.listTopics()
    return names.filter((n) => all.includes(n))
  } finally {
    await admin.close()
  }
}

// Records produced and consumed by every lane, never speed.
describe('bench peer lanes against a real broker', { timeout: 280_000 }, () => {
  const kafkaConfig = parseKafkaConfig({ bootstrapServers: [bootstrap] })

  it('produce: kafkajs and confluent deliver every record to their own topic, beside isobar and java', async () => {
    const result = await runProduceBench({
      kafkaConfig,
      libDir,
      records: RECORDS,
      recordSize: 200,
      partitions: 2,
      batchSize: 16_384,
      clients: CLIENTS,
    })
    assert.deepEqual(
      result.peers.map((p) => [p.client, p.records, p.recordsInTopic]),
      [
        ['kafkajs', RECORDS, RECORDS],
        ['confluent', RECORDS, RECORDS],
      ],
    )
    assert.equal(result.isobar.recordsInTopic, RECORDS)
    assert.equal(result.kafka.recordsInTopic, RECORDS)
    for (const peer of result.peers) {
      assert.ok(peer.recordsPerSec > 0 && Number.isFinite(peer.ratio), peer.client)
      assert.equal(peer.ratios.length, 1)
    }
    assert.deepEqual(result.rounds[0]!.lanes, ['java', 'isobar', 'kafkajs', 'confluent'])
    assert.equal(result.topics.length, 4)
    assert.deepEqual(await remainingTopics(result.topics), [])
  })

  it('consume: kafkajs and confluent read the whole topic in their own groups', async () => {
    const result = await runConsumeBench({
      kafkaConfig,
      libDir,
      records: RECORDS,
      recordSize: 100,
      rounds: 2,
      clients: CLIENTS,
    })
    assert.equal(result.topic.records, RECORDS)
    assert.deepEqual(
      result.peers.map((p) => [p.client, p.records, p.ratios.length]),
      [
        ['kafkajs', RECORDS, 2],
        ['confluent', RECORDS, 2],
      ],
    )
    for (const peer of result.peers) assert.ok(peer.mbPerSec > 0, peer.client)
    // Lanes rotate: the second round starts with the lane that ran second in the first.
    assert.deepEqual(
      result.rounds.map((r) => r.lanes),
      [
        ['java', 'isobar', 'kafkajs', 'confluent'],
        ['isobar', 'kafkajs', 'confluent', 'java'],
      ],
    )
    assert.deepEqual(await remainingTopics(result.topics), [])
  })
})
