import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { LatencyBenchResult } from '../src/latency/bench.ts'
import { formatLatencyBench } from '../src/latency/format.ts'
import { checkLatencyOptions, parseRates } from '../src/latency/options.ts'
import { latencyStats, parseEndToEndLatency, percentile } from '../src/latency/stats.ts'

describe('unit: latency statistics', () => {
  it('nearest-rank percentiles are measured samples, not interpolations', () => {
    // 1..1000 ms, shuffled: p50 is the 500th smallest, p99 the 990th, p99.9 the 999th.
    const samples = Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) + 1)
    const stats = latencyStats(samples)
    assert.deepEqual(stats, { count: 1000, meanMs: 500.5, p50Ms: 500, p99Ms: 990, p999Ms: 999, maxMs: 1000 })
  })

  it('a small run: p99 and p99.9 are its largest sample', () => {
    assert.deepEqual(latencyStats([3, 1, 2]), { count: 3, meanMs: 2, p50Ms: 2, p99Ms: 3, p999Ms: 3, maxMs: 3 })
    assert.equal(percentile([5], 0.5), 5)
  })

  it('one slow record in a thousand shows at p99.9, not at p99', () => {
    const samples = new Float64Array(1000).fill(2)
    samples[10] = 250
    const stats = latencyStats(samples)
    assert.equal(stats.p99Ms, 2)
    assert.equal(stats.p999Ms, 2)
    assert.equal(stats.maxMs, 250)
    samples[11] = 240
    assert.equal(latencyStats(samples).p999Ms, 240)
  })

  it('refuses empty samples and percentiles outside (0, 1]', () => {
    assert.throws(() => latencyStats([]), /no latency samples/)
    assert.throws(() => percentile([1], 0), /not in \(0, 1\]/)
    assert.throws(() => percentile([1], 1.5), /not in \(0, 1\]/)
  })
})

describe('unit: EndToEndLatency output', () => {
  it('finds the summary among deprecation notices and per-record lines', () => {
    const stdout = [
      'WARNING: Positional argument usage is deprecated and will be removed in Apache Kafka 5.0.',
      '0\t274.075842',
      'Avg latency: 6.0287 ms',
      'Percentiles: 50th = 3, 99th = 56, 99.9th = 274',
      '',
    ].join('\n')
    assert.deepEqual(parseEndToEndLatency(stdout), { avgMs: 6.0287, p50Ms: 3, p99Ms: 56, p999Ms: 274 })
  })

  it('no summary is an error showing the tail of the output', () => {
    assert.throws(() => parseEndToEndLatency('Exception in thread "main"\n'), /printed no summary:\nException/)
  })
})

describe('unit: latency options', () => {
  it('parses rates with a k suffix', () => {
    assert.deepEqual(parseRates('1000,10k, 50K'), [1000, 10_000, 50_000])
    assert.throws(() => parseRates('1000,fast'), /"fast" is not a number of records\/s/)
    assert.throws(() => parseRates('1.5k'), /not a number/)
  })

  it('refuses rates, durations and sizes out of range, naming them', () => {
    assert.doesNotThrow(() => checkLatencyOptions([1000, 10_000], 5, 200, 1000))
    assert.throws(() => checkLatencyOptions([], 5, 200, 0), /at least one rate/)
    assert.throws(() => checkLatencyOptions([0], 5, 200, 0), /rates: 0 is not an integer from 1/)
    assert.throws(() => checkLatencyOptions([2_000_000], 5, 200, 0), /rates: 2000000/)
    assert.throws(() => checkLatencyOptions([10], 0, 200, 0), /seconds must be/)
    assert.throws(() => checkLatencyOptions([10], 5, 2, 0), /recordSize must be/)
    assert.throws(() => checkLatencyOptions([10], 5, 200, -1), /javaRecords must be/)
  })
})

describe('unit: formatLatencyBench', () => {
  const result: LatencyBenchResult = {
    kind: 'latency',
    profile: 'latency',
    settings: {
      recordSize: 200,
      seconds: 5,
      batch: { maxRecords: 200, maxBytes: 262_144, lingerMs: 0 },
      compression: 'none',
      fetch: { minBytes: 1, maxWaitMs: 100, maxBytes: 1_048_576, maxPartitionBytes: 1_048_576 },
    },
    isobar: [
      { rate: 1000, offeredPerSec: 999.6, count: 5000, meanMs: 5, p50Ms: 4.25, p99Ms: 20.5, p999Ms: 40, maxMs: 41.2 },
    ],
    kafka: { records: 1000, avgMs: 6.03, p50Ms: 3, p99Ms: 56, p999Ms: 274 },
    hardware: { cpus: 2, cpuModel: 'Xeon', memGiB: 23.5, node: 'v24.21.0', kafkaVersion: '4.2.2' },
    loadAverage: { start: [1.5, 1, 0.5], end: [2, 1.2, 0.6] },
    method: 'm',
    topics: [],
  }

  it('shows the profile settings, one row per rate, Kafka tool row, the load and the hardware', () => {
    const lines = formatLatencyBench(result).split('\n')
    assert.match(
      lines[0]!,
      /^bench latency: profile latency \(linger 0 ms, batches of 200, compression none, fetch\.min\.bytes 1, fetch\.max\.wait 100 ms\), 200 B records, 5 s per rate/,
    )
    assert.match(
      lines.find((l) => l.startsWith('Isobar'))!,
      /^Isobar +1000 +1000 +4\.3 +20\.5 +40\.0 +41\.2$/,
    )
    assert.match(
      lines.find((l) => l.startsWith('Kafka (Java)'))!,
      /1 in flight +3 +56 +274 +avg 6\.03$/,
    )
    assert.ok(lines.includes('Load average 1.5 1 0.5 at the start, 2 1.2 0.6 at the end'))
    assert.equal(lines.at(-1), 'Hardware: 2 x Xeon, 23.5 GiB RAM, Node v24.21.0, Kafka tools 4.2.2')
  })

  it('leaves the Kafka row out when the Java tool did not run', () => {
    assert.doesNotMatch(formatLatencyBench({ ...result, kafka: null }), /Kafka \(Java\)/)
  })
})
