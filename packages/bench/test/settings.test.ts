import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseKafkaConfig } from '@isobar/core'
import { recordsPerBatch } from '../src/isobar-produce.ts'
import { javaProducerArgs } from '../src/produce.ts'
import { benchSettings, javaProducerProperties } from '../src/settings.ts'

describe('unit: benchSettings', () => {
  it('fills defaults: acks=all, idempotent, min.insync = RF - 1', () => {
    const s = benchSettings({ records: 10, recordSize: 200, replicationFactor: 3 })
    assert.equal(s.partitions, 1)
    assert.equal(s.minInsyncReplicas, 2)
    assert.equal(s.compression, 'none')
    assert.equal(s.acks, 'all')
    assert.equal(s.idempotence, true)
    assert.equal(benchSettings({ records: 10, recordSize: 200 }).minInsyncReplicas, 1)
  })

  it('rejects what the broker or the tools would refuse', () => {
    assert.throws(() => benchSettings({ records: 0, recordSize: 200 }), /records/)
    assert.throws(() => benchSettings({ records: 1, recordSize: 200, batchSize: 2_000_000 }), /batchSize/)
    assert.throws(() => benchSettings({ records: 1, recordSize: 5000, batchSize: 4096 }), /does not fit/)
    assert.throws(() => benchSettings({ records: 1, recordSize: 10, minInsyncReplicas: 2 }), /minInsyncReplicas/)
  })

  it('hands the Java producer the same settings', () => {
    const s = benchSettings({ records: 1, recordSize: 100, compression: 'zstd', batchSize: 65536, lingerMs: 10 })
    assert.deepEqual(javaProducerProperties(s), [
      'acks=all',
      'enable.idempotence=true',
      'linger.ms=10',
      'batch.size=65536',
      'compression.type=zstd',
    ])
  })
})

describe('unit: recordsPerBatch', () => {
  it('counts the v2 batch header and each record framing like Java does', () => {
    // 16384 - 61 header bytes over 200 + 11 framing bytes (length 2, attrs 1, deltas 3+3, key 1, value len 2, headers 1)
    assert.equal(recordsPerBatch(16384, 200), Math.floor((16384 - 61) / 213))
    assert.ok(recordsPerBatch(1_048_576, 200) * 213 + 61 <= 1_048_576)
  })

  it('always fits at least one record', () => {
    assert.equal(recordsPerBatch(1024, 5000), 1)
  })
})

describe('unit: javaProducerArgs', () => {
  const kafkaConfig = parseKafkaConfig({ bootstrapServers: ['127.0.0.1:9092'] })
  const settings = benchSettings({ records: 1000, recordSize: 200, batchSize: 65536, compression: 'lz4' })

  it('passes every producer property after a single --command-property (repeats would keep only the last)', () => {
    const args = javaProducerArgs({ kafkaConfig, libDir: '/lib', ...settings }, settings, 't', '/tmp/p.txt')
    assert.equal(args.filter((a) => a === '--command-property').length, 1)
    assert.deepEqual(args.slice(args.indexOf('--command-property') + 1), javaProducerProperties(settings))
    assert.deepEqual(args.slice(0, 6), [
      '--bootstrap-server',
      '127.0.0.1:9092',
      '--topic',
      't',
      '--num-records',
      '1000',
    ])
    assert.ok(args.includes('--payload-file') && !args.includes('--record-size'))
  })

  it('lets the tool generate payloads of --record-size without a payload file', () => {
    const args = javaProducerArgs({ kafkaConfig, libDir: '/lib', ...settings }, settings, 't', undefined)
    assert.equal(args[args.indexOf('--record-size') + 1], '200')
    assert.ok(!args.includes('--payload-file'))
  })
})

describe('unit: --no-idempotence', () => {
  it('is idempotent by default; idempotence false reaches the Java producer too', () => {
    assert.equal(benchSettings({ records: 1, recordSize: 10 }).idempotence, true)
    const off = benchSettings({ records: 1, recordSize: 10, idempotence: false })
    assert.equal(off.idempotence, false)
    assert.ok(javaProducerProperties(off).includes('enable.idempotence=false'))
    assert.ok(javaProducerProperties(off).includes('acks=all'))
  })
})
