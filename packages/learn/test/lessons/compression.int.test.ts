import assert from 'node:assert/strict'
import { test } from 'node:test'
import { testKafkaClient } from '@isobar/testing'
import { compression } from '../../src/lessons/compression.ts'
import { runLesson } from '../../src/runner.ts'

type Run = { recordsPerSecond: number; bytesOnDisk: number }

test('every codec stores the telemetry in fewer bytes than none; bigger batches compress better', async () => {
  const result = await runLesson(compression, { kafka: testKafkaClient() })
  const f = result.figures as unknown as {
    codecs: Record<string, Run>
    zstdByBatch: Record<string, Run>
    rawBytes: number
  }
  const none = f.codecs.none!.bytesOnDisk
  assert.ok(none >= f.rawBytes, 'uncompressed: at least the raw bytes (plus record and batch headers)')
  for (const codec of ['gzip', 'snappy', 'lz4', 'zstd']) {
    assert.ok(f.codecs[codec]!.bytesOnDisk < none / 2, `${codec}: ${f.codecs[codec]!.bytesOnDisk} vs none ${none}`)
    assert.ok(f.codecs[codec]!.recordsPerSecond > 0)
  }
  assert.ok(f.codecs.zstd!.bytesOnDisk < f.codecs.lz4!.bytesOnDisk, 'zstd beats lz4 on size')
  assert.ok(f.zstdByBatch['1000']!.bytesOnDisk < f.zstdByBatch['10']!.bytesOnDisk, 'bigger batches, fewer bytes')
  assert.equal(result.cleanedUp.topics.length, 8)
})
