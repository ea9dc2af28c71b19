import assert from 'node:assert/strict'
import { test } from 'node:test'
import { javaPartitionForKey, type ConsumedRecord } from '@isobar/core'
import { FAULTS_HEADER } from '@isobar/sensor-analytics'
import { createTestTopic, runIsobar, testKafkaClient } from '@isobar/testing'

const COUNT = 6000
const PARTITIONS = 6

test('isobar simulate sensors: N readings keyed by sensor id, all acknowledged, readable, one partition per sensor', async (t) => {
  const topic = await createTestTopic(t, { partitions: PARTITIONS, prefix: 'sim-readings' })
  const run = await runIsobar(
    [
      'simulate',
      'sensors',
      '--sensors',
      '60',
      '--count',
      String(COUNT),
      '--rate',
      'max',
      '--seed',
      '7',
      '--topic',
      topic,
    ].concat(['--fault', 'spike=0.02', '--fault', 'duplicate=0.02', '--json']),
    { timeoutMs: 60_000 },
  )
  assert.equal(run.exitCode, 0, run.stderr)
  const summary = JSON.parse(run.stdout)
  assert.deepEqual([summary.sent, summary.acked, summary.failed, summary.errors], [COUNT, COUNT, 0, []])
  assert.ok(summary.faults.spike > 0 && summary.faults.duplicate > 0, JSON.stringify(summary.faults))

  const admin = testKafkaClient().admin()
  const records: ConsumedRecord[] = []
  try {
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const read = await admin.readRecords({ topic, partition, from: 'earliest', limit: COUNT, timeoutMs: 20_000 })
      records.push(...read.records)
    }
  } finally {
    await admin.close()
  }
  assert.equal(records.length, COUNT)
  const partitionsOfSensor = new Map<string, Set<number>>()
  let tagged = 0
  for (const record of records) {
    const key = record.key!.toString()
    const value = JSON.parse(record.value!.toString())
    assert.equal(value.sensorId, key)
    assert.equal(record.partition, javaPartitionForKey(record.key!, PARTITIONS), 'the Java default partitioner')
    partitionsOfSensor.set(key, (partitionsOfSensor.get(key) ?? new Set()).add(record.partition))
    if (record.headers[FAULTS_HEADER]) tagged++
  }
  assert.equal(partitionsOfSensor.size, 60)
  assert.ok([...partitionsOfSensor.values()].every((p) => p.size === 1))
  assert.ok(new Set(records.map((r) => r.partition)).size > 1, 'sensors spread over partitions')
  const faultTotal = Object.values(summary.faults as Record<string, number>).reduce((a, b) => a + b, 0)
  assert.ok(tagged > 0 && tagged <= faultTotal, `${tagged} tagged records, ${faultTotal} faults`)
})

test('isobar simulate sensors refuses bad options with a usage error', async () => {
  const bad = await runIsobar(['simulate', 'sensors', '--fault', 'gremlins=0.1'])
  assert.equal(bad.exitCode, 2)
  assert.match(bad.stderr, /unknown fault "gremlins"/)
  const rate = await runIsobar(['simulate', 'sensors', '--rate', 'fast'])
  assert.equal(rate.exitCode, 2)
  assert.match(rate.stderr, /--rate must be a positive number or "max"/)
})
