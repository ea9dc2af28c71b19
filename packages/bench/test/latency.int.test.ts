import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createKafkaClient, parseKafkaConfig } from '@isobar/core'
import { testBootstrapServers, testKafkaLibDir } from '@isobar/testing'
import { runLatencyBench } from '../src/index.ts'

const bootstrap = testBootstrapServers()
const libDir = testKafkaLibDir()

// Every paced record is consumed and measured; Kafka's tool reports its percentiles. Never asserts a latency value.
describe('bench latency against a real broker', { timeout: 240_000 }, () => {
  it('measures every record at the rate and runs EndToEndLatency beside it', async () => {
    const kafkaConfig = parseKafkaConfig({ bootstrapServers: [bootstrap], profile: 'latency' })
    const phases: string[] = []
    const result = await runLatencyBench({
      kafkaConfig,
      libDir,
      rates: [200, 500],
      seconds: 1,
      recordSize: 100,
      javaRecords: 20,
      onPhase: (label) => phases.push(label),
    })
    assert.equal(result.profile, 'latency')
    assert.deepEqual(
      result.isobar.map((r) => [r.rate, r.count]),
      [
        [200, 200],
        [500, 500],
      ],
    )
    for (const row of result.isobar) {
      assert.ok(row.p50Ms > 0 && row.p50Ms <= row.p99Ms && row.p99Ms <= row.p999Ms && row.p999Ms <= row.maxMs)
      assert.ok(row.offeredPerSec > 0)
    }
    assert.equal(result.kafka?.records, 20)
    assert.ok(Number.isFinite(result.kafka.p999Ms) && result.kafka.p50Ms <= result.kafka.p999Ms)
    assert.equal(phases.length, 3)
    assert.equal(result.loadAverage.start.length, 3)
    assert.equal(result.topics.length, 3)
    const admin = createKafkaClient(kafkaConfig).admin()
    try {
      const all = await admin.listTopics()
      assert.deepEqual(
        result.topics.filter((t) => all.includes(t)),
        [],
      )
    } finally {
      await admin.close()
    }
  })
})
