import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { test } from 'node:test'
import {
  DLQ_HEADERS,
  DeadLetterRouter,
  InvalidJsonError,
  createMetricsRegistry,
  fitDeadLetter,
  recordBytes,
  type ConsumedRecord,
  type Producer,
} from '@isobar/core'

const record = (value: Buffer, headers: Record<string, Buffer> = {}): ConsumedRecord => ({
  topic: 'sensors.readings',
  partition: 2,
  offset: 41n,
  timestamp: 1_700_000_000_000,
  key: Buffer.from('sensor-1'),
  value,
  headers,
})

const router = (maxRecordBytes: number) =>
  new DeadLetterRouter({
    producer: {} as Producer, // never used: deadLetter() only builds
    metrics: createMetricsRegistry('dlq-fit-test', { runtimeMetrics: false }),
    deadLetterTopic: () => 'sensors.dlq',
    maxRecordBytes,
  })

test('a dead letter that fits carries the whole record, its size and SHA-256', () => {
  const value = Buffer.from('{not json')
  const dl = router(65_536).deadLetter(record(value, { trace: Buffer.from('t1') }), new InvalidJsonError(0, 'x'))
  assert.equal(dl.topic, 'sensors.dlq')
  assert.deepEqual(dl.value, value)
  assert.equal(dl.headers![DLQ_HEADERS.truncated], undefined)
  assert.equal(dl.headers!.trace!.toString(), 't1')
  assert.equal(dl.headers![DLQ_HEADERS.originalSize]!.toString(), String(value.length))
  assert.equal(dl.headers![DLQ_HEADERS.originalSha256]!.toString(), createHash('sha256').update(value).digest('hex'))
  assert.equal(dl.headers![DLQ_HEADERS.originalOffset]!.toString(), '41')
})

test('a value near the limit is cut to fit, with the original size and hash; attempt ≥ 1 keeps only a reference', () => {
  const limit = 65_536
  const value = Buffer.alloc(limit - 100, 0x61)
  const big = record(value, { trace: Buffer.alloc(2000, 0x62) })
  const dl = router(limit).deadLetter(big, new InvalidJsonError(0, 'x'))
  assert.equal(dl.headers![DLQ_HEADERS.truncated]!.toString(), 'value')
  assert.ok(dl.value!.length > 0 && dl.value!.length < value.length)
  assert.deepEqual(dl.value, value.subarray(0, dl.value!.length))
  assert.ok(recordBytes(dl.key ?? null, dl.value ?? null, dl.headers!) <= limit - 512, 'fits with room for the batch')
  assert.equal(dl.headers![DLQ_HEADERS.originalSize]!.toString(), String(value.length))
  assert.equal(dl.headers![DLQ_HEADERS.originalSha256]!.toString(), createHash('sha256').update(value).digest('hex'))
  assert.equal(dl.headers!.trace, undefined, 'the original headers are dropped from a cut copy')
  const reference = router(limit).deadLetter(big, new InvalidJsonError(0, 'x'), 1)
  assert.equal(reference.value, null)
  assert.equal(reference.headers![DLQ_HEADERS.truncated]!.toString(), 'reference')
  assert.equal(reference.headers![DLQ_HEADERS.originalTopic]!.toString(), 'sensors.readings')
})

test('fitDeadLetter: huge keys are cut too, so even a reference fits', () => {
  const fitted = fitDeadLetter({
    key: Buffer.alloc(100_000, 1),
    value: Buffer.alloc(10),
    originalHeaders: {},
    dlqHeaders: { a: Buffer.from('b') },
    maxBytes: 4096,
    reference: false,
    truncationHeader: 'cut',
  })
  assert.equal(fitted.truncation, 'value')
  assert.equal(fitted.key!.length, 1024)
})
