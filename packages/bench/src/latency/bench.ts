import { loadavg } from 'node:os'
import { createKafkaClient, type KafkaConfig, type KafkaProfile } from '@isobar/core'
import { describeHardware } from '../hardware.ts'
import { runJavaTool } from '../java-tool.ts'
import { assertPlaintext } from '../produce.ts'
import { round } from '../resources.ts'
import { benchTopicName, createBenchTopics, deleteBenchTopics } from '../topics.ts'
import type { Hardware } from '../types.ts'
import { runIsobarLatency } from './isobar-latency.ts'
import { latencyStats, parseEndToEndLatency, type EndToEndLatencySummary, type LatencyStats } from './stats.ts'

export const DEFAULT_LATENCY_RATES: readonly number[] = [1000, 10_000]
export const DEFAULT_LATENCY_SECONDS = 5
export const DEFAULT_JAVA_LATENCY_RECORDS = 1000

export interface LatencyBenchOptions {
  kafkaConfig: KafkaConfig
  libDir: string
  /** Records/s, one measured run each. */
  rates?: readonly number[]
  /** Seconds of produce per rate. */
  seconds?: number
  recordSize?: number
  /** Records EndToEndLatency sends (one at a time); 0 leaves the Java tool out. */
  javaRecords?: number
  onPhase?: (label: string) => void
}

export interface IsobarLatencyRow extends LatencyStats {
  rate: number
  offeredPerSec: number
}

export interface LatencyBenchResult {
  kind: 'latency'
  profile: KafkaProfile
  settings: {
    recordSize: number
    seconds: number
    batch: KafkaConfig['batch']
    compression: KafkaConfig['compression']
    fetch: KafkaConfig['fetch']
  }
  isobar: IsobarLatencyRow[]
  /** Kafka's EndToEndLatency: one record at a time (send, wait until consumed, next), acks=all. */
  kafka: (EndToEndLatencySummary & { records: number }) | null
  hardware: Hardware
  /** os.loadavg() at the start and the end of the run: figures from a busy machine are noise. */
  loadAverage: { start: number[]; end: number[] }
  method: string
  /** The topics of the run (each deleted again after its phase). */
  topics: string[]
}

const METHOD =
  "Isobar: one fresh 1-partition topic per rate; Isobar's idempotent producer (BatchingProducer with the profile's " +
  'batch/linger/compression) paced at the rate, one consumer in the same process (no group, read_uncommitted, the ' +
  "profile's fetch settings); latency = consumer hand-out time - the time the schedule said the record was due " +
  '(no coordinated omission), after warm-up. Percentiles are nearest-rank. Kafka: EndToEndLatency on its own fresh ' +
  'topic, acks=all, one record in flight at a time, so it is the latency of an idle pipeline, not of a rate.'

/** Produce→consume latency of Isobar's client at fixed rates, beside Kafka's EndToEndLatency on the same broker. */
export async function runLatencyBench(options: LatencyBenchOptions): Promise<LatencyBenchResult> {
  assertPlaintext(options.kafkaConfig)
  const rates = options.rates ?? DEFAULT_LATENCY_RATES
  const seconds = options.seconds ?? DEFAULT_LATENCY_SECONDS
  const recordSize = options.recordSize ?? 200
  const javaRecords = options.javaRecords ?? DEFAULT_JAVA_LATENCY_RECORDS
  checkLatencyOptions(rates, seconds, recordSize, javaRecords)
  const loadStart = loadavg().map((v) => round(v, 2))
  const client = createKafkaClient(options.kafkaConfig)
  const admin = client.admin()
  const topics: string[] = []
  const settings = { partitions: 1, replicationFactor: 1, minInsyncReplicas: 1 }
  try {
    const isobar: IsobarLatencyRow[] = []
    for (const rate of rates) {
      const topic = benchTopicName(`latency-${rate}`)
      topics.push(topic)
      options.onPhase?.(`isobar at ${rate} records/s`)
      await createBenchTopics(admin, [topic], settings)
      try {
        const run = await runIsobarLatency({
          client,
          kafkaConfig: options.kafkaConfig,
          topic,
          rate,
          seconds,
          recordSize,
          timeoutMs: 60_000 + seconds * 2000,
        })
        isobar.push({ rate, offeredPerSec: round(run.offeredPerSec, 1), ...latencyStats(run.latenciesMs) })
      } finally {
        await deleteBenchTopics(admin, [topic])
      }
    }
    let kafka: LatencyBenchResult['kafka'] = null
    if (javaRecords > 0) {
      const topic = benchTopicName('latency-java')
      topics.push(topic)
      options.onPhase?.(`EndToEndLatency, ${javaRecords} records one at a time`)
      await createBenchTopics(admin, [topic], settings)
      try {
        const java = await runJavaTool('kafka-e2e-latency', endToEndArgs(options, topic, javaRecords, recordSize), {
          libDir: options.libDir,
          timeoutMs: 120_000 + javaRecords * 100,
        })
        kafka = { records: javaRecords, ...parseEndToEndLatency(java.stdout) }
      } finally {
        await deleteBenchTopics(admin, [topic])
      }
    }
    const { batch, compression, fetch, profile } = options.kafkaConfig
    return {
      kind: 'latency',
      profile,
      settings: { recordSize, seconds, batch, compression, fetch },
      isobar,
      kafka,
      hardware: describeHardware(options.libDir),
      loadAverage: { start: loadStart, end: loadavg().map((v) => round(v, 2)) },
      method: METHOD,
      topics,
    }
  } finally {
    await admin.close()
  }
}

export function endToEndArgs(options: LatencyBenchOptions, topic: string, records: number, size: number): string[] {
  return [
    '--bootstrap-server',
    options.kafkaConfig.bootstrapServers.join(','),
    '--topic',
    topic,
    '--num-records',
    String(records),
    '--producer-acks',
    'all',
    '--record-size',
    String(size),
  ]
}

/** Throws RangeError naming the first bad option. */
export function checkLatencyOptions(
  rates: readonly number[],
  seconds: number,
  recordSize: number,
  javaRecords: number,
): void {
  if (rates.length === 0) throw new RangeError('rates: give at least one rate')
  for (const rate of rates) {
    if (!Number.isSafeInteger(rate) || rate < 1 || rate > 1_000_000) {
      throw new RangeError(`rates: ${rate} is not an integer from 1 to 1000000 records/s`)
    }
  }
  if (!Number.isSafeInteger(seconds) || seconds < 1 || seconds > 600) {
    throw new RangeError(`seconds must be an integer from 1 to 600, got ${seconds}`)
  }
  if (!Number.isSafeInteger(recordSize) || recordSize < 4 || recordSize > 1_000_000) {
    throw new RangeError(`recordSize must be an integer from 4 to 1000000 bytes, got ${recordSize}`)
  }
  if (!Number.isSafeInteger(javaRecords) || javaRecords < 0 || javaRecords > 1_000_000) {
    throw new RangeError(`javaRecords must be an integer from 0 to 1000000, got ${javaRecords}`)
  }
}

/** `1000,10000` or `1k,10k,50k`. */
export function parseRates(text: string): number[] {
  return text.split(',').map((part) => {
    const m = /^\s*([0-9]+)(k?)\s*$/i.exec(part)
    if (!m) throw new RangeError(`rates: "${part}" is not a number of records/s (e.g. 1000 or 10k)`)
    return Number(m[1]) * (m[2] ? 1000 : 1)
  })
}

export function formatLatencyBench(result: LatencyBenchResult): string {
  const s = result.settings
  const lines = [
    `bench latency: profile ${result.profile} (linger ${s.batch.lingerMs} ms, batches of ${s.batch.maxRecords}, ` +
      `compression ${s.compression}, fetch.min.bytes ${s.fetch.minBytes}, fetch.max.wait ${s.fetch.maxWaitMs} ms), ` +
      `${s.recordSize} B records, ${s.seconds} s per rate, 1 partition`,
    '',
    pad(['', 'rate/s', 'offered/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'max ms']),
  ]
  for (const row of result.isobar) {
    lines.push(
      pad([
        'Isobar',
        String(row.rate),
        String(Math.round(row.offeredPerSec)),
        row.p50Ms.toFixed(1),
        row.p99Ms.toFixed(1),
        row.p999Ms.toFixed(1),
        row.maxMs.toFixed(1),
      ]),
    )
  }
  if (result.kafka) {
    const k = result.kafka
    lines.push(
      pad(['Kafka (Java)', '1 in flight', '', String(k.p50Ms), String(k.p99Ms), String(k.p999Ms), `avg ${k.avgMs}`]),
    )
  }
  const h = result.hardware
  lines.push(
    '',
    `Load average ${result.loadAverage.start.join(' ')} at the start, ${result.loadAverage.end.join(' ')} at the end`,
    `Hardware: ${h.cpus} x ${h.cpuModel}, ${h.memGiB} GiB RAM, Node ${h.node}, Kafka tools ${h.kafkaVersion}`,
  )
  return lines.join('\n')
}

function pad(cells: string[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(12) : c.padStart(i === 1 ? 12 : 10))).join(' ')
}
