import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createKafkaClient, parseKafkaConfig } from '@isobar/core'
import { testBootstrapServers, testKafkaLibDir } from '@isobar/testing'
import { runConsumeBench, runProduceBench } from '../src/index.ts'

// Set by the test runner's global setup (packages/testing); these throw when it did not run.
const bootstrap = testBootstrapServers()
const libDir = testKafkaLibDir()

const RECORDS = 20_000

async function remainingTopics(names: string[]): Promise<string[]> {
  const admin = createKafkaClient(parseKafkaConfig({ bootstrapServers: [bootstrap] })).admin()
  try {
    const all = await admin.listTopics()
    return names.filter((n) => all.includes(n))
  } finally {
    await admin.close()
  }
}

// Asserts what was produced and the result's shape, never speed: a shared CI box makes any threshold flaky.
describe('bench against a real broker', { timeout: 240_000 }, () => {
  const kafkaConfig = parseKafkaConfig({ bootstrapServers: [bootstrap] })

  it('produce: both sides deliver every record, JSON has rates and a ratio', async () => {
    const result = await runProduceBench({
      kafkaConfig,
      libDir: libDir,
      records: RECORDS,
      recordSize: 200,
      partitions: 2,
    })
    assert.equal(result.isobar.recordsInTopic, RECORDS)
    assert.equal(result.kafka.recordsInTopic, RECORDS)
    assert.equal(result.isobar.records, RECORDS)
    assert.equal(result.kafka.records, RECORDS)
    const json = JSON.parse(JSON.stringify(result)) as Record<string, Record<string, unknown>>
    for (const side of ['isobar', 'kafka']) {
      assert.equal(typeof json[side]!.recordsPerSec, 'number')
      assert.ok((json[side]!.recordsPerSec as number) > 0)
      assert.equal(typeof json[side]!.mbPerSec, 'number')
    }
    assert.equal(typeof json.ratio, 'number')
    assert.equal(result.settings.partitions, 2)
    assert.match(result.hardware.kafkaVersion, /^\d+\.\d+/)
    assert.deepEqual(await remainingTopics(result.topics), [])
  })

  it('consume: both sides read the whole topic', async () => {
    const result = await runConsumeBench({
      kafkaConfig,
      libDir: libDir,
      records: RECORDS,
      recordSize: 100,
      compression: 'lz4',
    })
    assert.equal(result.topic.records, RECORDS)
    assert.equal(result.isobar.records, RECORDS)
    assert.ok(result.kafka.records >= RECORDS)
    assert.ok(result.isobar.recordsPerSec > 0 && result.kafka.recordsPerSec > 0)
    assert.equal(typeof result.ratio, 'number')
    assert.match(result.comparedOn, /fetch\.nMsg\.sec/)
    assert.deepEqual(await remainingTopics(result.topics), [])
  })
})
