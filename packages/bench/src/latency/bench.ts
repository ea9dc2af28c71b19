import { loadavg } from 'node:os'
import { createKafkaClient, type KafkaConfig, type KafkaProfile } from '@isobar/core'
import { describeHardware } from '../hardware.ts'
import { perfToolArgs, runJavaTool } from '../java-tool.ts'
import { assertPlaintext } from '../produce.ts'
import { round } from '../resources.ts'
import { benchTopicName, createBenchTopics, deleteBenchTopics } from '../topics.ts'
import type { Hardware } from '../types.ts'
import { runIsobarLatency } from './isobar-latency.ts'
import {
  checkLatencyOptions,
  DEFAULT_JAVA_LATENCY_RECORDS,
  DEFAULT_LATENCY_RATES,
  DEFAULT_LATENCY_SECONDS,
} from './options.ts'
import { latencyStats, parseEndToEndLatency, type EndToEndLatencySummary, type LatencyStats } from './stats.ts'

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
    ...perfToolArgs(options.kafkaConfig.bootstrapServers, topic, records),
    '--producer-acks',
    'all',
    '--record-size',
    String(size),
  ]
}
