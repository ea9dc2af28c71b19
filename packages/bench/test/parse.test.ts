import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { parseConsumerPerformance, parseProducerPerformance, producerWindowRecords } from '../src/parse.ts'

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')

describe('unit: parseProducerPerformance', () => {
  it('reads the final summary, not the 5-second window line before it', () => {
    assert.deepEqual(parseProducerPerformance(fixture('producer-performance-200b.txt')), {
      records: 200000,
      recordsPerSec: 28356.727634,
      mbPerSec: 5.41,
      avgLatencyMs: 2225.24,
      maxLatencyMs: 2685,
      p50Ms: 2355,
      p95Ms: 2647,
      p99Ms: 2682,
      p999Ms: 2684,
    })
  })

  it('skips the deprecation notice Kafka 4.2 prints on stdout', () => {
    const summary = parseProducerPerformance(fixture('producer-performance-deprecated-props.txt'))
    assert.equal(summary.records, 5000)
    assert.equal(summary.recordsPerSec, 8319.467554)
    assert.equal(summary.mbPerSec, 8.12)
  })

  it('parses 1 KiB lz4 output', () => {
    const summary = parseProducerPerformance(fixture('producer-performance-1k-lz4.txt'))
    assert.equal(summary.records, 300000)
    assert.equal(summary.p999Ms, 779)
  })

  it('fails with the tail of the output when there is no summary', () => {
    assert.throws(
      () => parseProducerPerformance('Exception in thread "main" boom\n'),
      /No ProducerPerformance summary.*\n.*boom/,
    )
  })

  it('counts records of window lines only', () => {
    const [window, total] = fixture('producer-performance-200b.txt').trim().split('\n')
    assert.equal(producerWindowRecords(window!), 33114)
    assert.equal(producerWindowRecords(total!), undefined)
    assert.equal(producerWindowRecords('Option --producer-props has been deprecated'), undefined)
  })
})

describe('unit: parseConsumerPerformance', () => {
  it('reads every column of the summary row', () => {
    assert.deepEqual(parseConsumerPerformance(fixture('consumer-performance.txt')), {
      startTime: '2026-11-25 20:35:19:975',
      endTime: '2026-11-25 20:35:20:820',
      mb: 38.147,
      mbPerSec: 45.1443,
      records: 200000,
      recordsPerSec: 236686.3905,
      rebalanceMs: 400,
      fetchMs: 445,
      fetchMbPerSec: 85.7235,
      fetchRecordsPerSec: 449438.2022,
    })
  })

  it('skips the --messages deprecation warning printed on stdout', () => {
    const summary = parseConsumerPerformance(fixture('consumer-performance-deprecated-messages.txt'))
    // The tool counts its last poll whole, so it may report more records than asked for.
    assert.equal(summary.records, 50383)
    assert.equal(summary.fetchRecordsPerSec, 248192.1182)
  })

  it('still reads the row after the timeout warning, with the short count', () => {
    const [header] = fixture('consumer-performance.txt').split('\n')
    const stdout = [
      header,
      'WARNING: Exiting before consuming the expected number of messages: timeout (10000 ms) exceeded. You can use the --timeout option to increase the timeout.',
      '2026-11-25 20:35:19:975, 2026-11-25 20:35:31:820, 1.9073, 0.1610, 10000, 844.2380, 400, 11445, 0.1666, 873.7440',
    ].join('\n')
    assert.equal(parseConsumerPerformance(stdout).records, 10000)
  })

  it('fails when there is no summary row', () => {
    assert.throws(
      () => parseConsumerPerformance('org.apache.kafka.common.errors.TimeoutException\n'),
      /No ConsumerPerformance/,
    )
  })
})
