import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatBenchResult, type ProduceBenchResult } from '../src/index.ts'
import { benchSettings } from '../src/settings.ts'

const produce: ProduceBenchResult = {
  kind: 'produce',
  settings: benchSettings({ records: 1_000_000, recordSize: 200 }),
  hardware: { cpus: 2, cpuModel: 'AMD EPYC', memGiB: 23.5, node: 'v24.21.0', kafkaVersion: '4.2.2' },
  isobar: {
    records: 1_000_000,
    recordsPerSec: 150_000.4,
    mbPerSec: 28.61,
    seconds: 6.667,
    cpuSeconds: 5.2,
    cpuCores: 0.78,
    peakRssMiB: 301.4,
    requests: 850,
    recordsInTopic: 1_000_000,
  },
  kafka: {
    records: 1_000_000,
    recordsPerSec: 300_000,
    mbPerSec: 57.22,
    seconds: 3.333,
    avgLatencyMs: 40.1,
    p50Ms: 35,
    p99Ms: 120,
    maxLatencyMs: 200,
    recordsInTopic: 1_000_000,
    jvmSeconds: 4.1,
  },
  ratio: 0.5,
  peers: [],
  payload: 'shared-file',
  rounds: [
    {
      order: 'kafka-first',
      lanes: ['java', 'isobar'],
      isobarRecordsPerSec: 150_000.4,
      kafkaRecordsPerSec: 300_000,
      ratio: 0.5,
    },
  ],
  method: 'm',
  topics: ['a', 'b'],
}

describe('unit: formatBenchResult', () => {
  it('prints settings, both rows aligned, the ratio and the hardware', () => {
    const lines = formatBenchResult(produce).split('\n')
    assert.match(lines[0]!, /^bench produce: 1,000,000 records x 200 B, 1 partition, RF 1 .*acks=all, idempotent/)
    const isobar = lines.find((l) => l.startsWith('Isobar '))!
    const kafka = lines.find((l) => l.startsWith('Kafka (Java)'))!
    assert.match(isobar, /150,000 +28\.61 +6\.67 +CPU 5\.20 s \(0\.78 cores\), peak RSS 301 MiB/)
    assert.match(kafka, /300,000 +57\.22 +3\.33 +latency avg 40\.1 ms/)
    // Numbers are right-aligned in the same columns.
    assert.equal(isobar.indexOf('28.61') + 5, kafka.indexOf('57.22') + 5)
    assert.ok(lines.includes('Isobar/Kafka: 0.50x'))
    assert.equal(lines.at(-1), 'Hardware: 2 x AMD EPYC, 23.5 GiB RAM, Node v24.21.0, Kafka tools 4.2.2')
  })
})

describe('unit: formatBenchResult with rounds', () => {
  it('lists every ratio when there was more than one round', () => {
    const rounds = [
      { order: 'kafka-first' as const, lanes: [], isobarRecordsPerSec: 1, kafkaRecordsPerSec: 2, ratio: 0.5 },
      { order: 'isobar-first' as const, lanes: [], isobarRecordsPerSec: 1, kafkaRecordsPerSec: 1.6, ratio: 0.625 },
    ]
    const text = formatBenchResult({ ...produce, rounds })
    assert.match(
      text,
      /^Rounds: 2, order alternating; ratios 0\.50, 0\.63; the table shows the round with the median ratio$/m,
    )
    assert.doesNotMatch(formatBenchResult(produce), /Rounds:/)
  })
})

describe('unit: formatBenchResult with peer lanes', () => {
  it('adds one row per peer with its ratio to Java, and every round ratio', () => {
    const peer = {
      client: 'kafkajs' as const,
      records: 1_000_000,
      recordsPerSec: 60_000,
      mbPerSec: 11.44,
      seconds: 16.667,
      cpuSeconds: 14,
      cpuCores: 0.84,
      peakRssMiB: 180,
      recordsInTopic: 1_000_000,
      ratio: 0.2,
      ratios: [0.2, 0.18, 0.25],
    }
    const lines = formatBenchResult({ ...produce, peers: [peer] }).split('\n')
    const row = lines.find((l) => l.startsWith('kafkajs '))!
    assert.match(row, /60,000 +11\.44 +16\.67 +0\.20x Java; CPU 14\.00 s, peak RSS 180 MiB/)
    assert.ok(lines.includes('kafkajs/Kafka: 0.20x (rounds 0.20, 0.18, 0.25)'))
  })
})
