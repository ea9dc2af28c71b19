import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createKafkaClient, type KafkaClient, type KafkaConfig } from '@isobar/core'
import { describeHardware } from './hardware.ts'
import { recordsPerBatch, runIsobarProducer } from './isobar-produce.ts'
import { DEFAULT_CLIENTS, peersOf, type BenchClient, type PeerClient } from './peers/clients.ts'
import { runPeerProduce, summarizePeers, type PeerSide } from './peers/run-peer.ts'
import { perfToolArgs, runJavaTool } from './java-tool.ts'
import { payloadViews, writePayloadFile } from './payload.ts'
import { parseProducerPerformance, producerWindowRecords, type ProducerPerformanceSummary } from './parse.ts'
import { round, startResourceMeter } from './resources.ts'
import { medianRound, phaseLabel, roundRows, runLanes, type LaneResults, type RoundRow } from './rounds.ts'
import {
  benchSettings,
  javaProducerProperties,
  runTimeoutMs,
  silentProgress,
  tickProgress,
  type BenchInput,
} from './settings.ts'
import { benchTopicName, createBenchTopics, deleteBenchTopics, topicRecordCount } from './topics.ts'
import type { BenchSettings, Hardware, ProgressSink, ResourceUsage, SideResult } from './types.ts'

export interface ProduceBenchOptions extends BenchInput {
  kafkaConfig: KafkaConfig
  /** Directory holding the Kafka jars (kafka-local's ensureKafkaJars()). */
  libDir: string
  progress?: ProgressSink
  /** Max heap of the Java tool, MiB (default: Kafka's 512). */
  javaHeapMb?: number
  /**
   * Let ProducerPerformance generate a random payload per record (--record-size) instead of reading the values
   * Isobar sends from a file (--payload-file, the default).
   */
  javaGeneratedPayload?: boolean
  /** Lanes to run (always isobar and java; peers kafkajs, confluent measured beside them). Default isobar, java. */
  clients?: readonly BenchClient[]
}

export type PeerProduceSide = PeerSide & { recordsInTopic: number }

export interface IsobarProduceSide extends SideResult, ResourceUsage {
  /** Produce requests sent (one batch per partition each). */
  requests: number
  /** Records the topic holds afterwards (end offsets): proof that everything arrived. */
  recordsInTopic: number
}

export interface KafkaProduceSide extends SideResult {
  avgLatencyMs: number
  p50Ms: number
  p99Ms: number
  maxLatencyMs: number
  recordsInTopic: number
  /** Wall time of the JVM, start-up included (not used for the rates). */
  jvmSeconds: number
}

export interface ProduceRound extends LaneResults<KafkaProduceSide, IsobarProduceSide, PeerProduceSide> {
  ratio: number
}

export interface ProduceBenchResult {
  kind: 'produce'
  settings: BenchSettings
  hardware: Hardware
  /** Both sides of the reported round: the one with the median ratio (the only one when rounds = 1). */
  isobar: IsobarProduceSide
  kafka: KafkaProduceSide
  /** isobar.recordsPerSec / kafka.recordsPerSec. */
  ratio: number
  /** Peer clients (--clients), each from the round with its median ratio to Java; `ratios` has every round's. */
  peers: Array<PeerProduceSide & { ratio: number; ratios: number[] }>
  /** 'shared-file': both sides cycle through the same pre-generated values; 'java-generated': see the option. */
  payload: 'shared-file' | 'java-generated'
  /** Every round, in the order run. */
  rounds: RoundRow[]
  method: string
  /** The bench topics (each deleted again at the end of its round). */
  topics: string[]
}

const METHOD =
  'Same broker, two fresh topics of identical layout per round, the two sides one after the other (order ' +
  'alternating between rounds). Both rates count acknowledged records from the first send to the last ' +
  'acknowledgement; MB = 1024 * 1024 bytes of values.'

/**
 * Kafka's ProducerPerformance and Isobar's producer on the same broker with the same settings, sequentially (a
 * 2-core box cannot run both without each skewing the other).
 */
export async function runProduceBench(options: ProduceBenchOptions): Promise<ProduceBenchResult> {
  assertPlaintext(options.kafkaConfig)
  const settings = benchSettings(options)
  const progress = options.progress ?? silentProgress
  const client = createKafkaClient(options.kafkaConfig)
  const admin = client.admin()
  const rounds: ProduceRound[] = []
  const allTopics: string[] = []
  const values = payloadViews(settings.recordSize)
  const tempDir = await mkdtemp(join(tmpdir(), 'isobar-bench-'))
  const payloadFile = options.javaGeneratedPayload ? undefined : join(tempDir, 'payloads.txt')
  if (payloadFile) await writePayloadFile(payloadFile, values)
  try {
    const peers = peersOf(options.clients ?? DEFAULT_CLIENTS)
    for (let round = 0; round < settings.rounds; round++) {
      const topics = { kafka: benchTopicName('kafka'), isobar: benchTopicName('isobar') }
      const peerTopics = new Map(peers.map((p) => [p, benchTopicName(p)]))
      const names = [topics.kafka, topics.isobar, ...peerTopics.values()]
      allTopics.push(...names)
      const label = (side: string): string => phaseLabel(`${side} produce`, round, settings.rounds)
      try {
        await createBenchTopics(admin, names, settings)
        const ran = await runLanes<KafkaProduceSide, IsobarProduceSide, PeerProduceSide>(round, {
          java: async () => {
            const java = await runKafkaProducer(options, settings, topics.kafka, payloadFile, progress, label('kafka'))
            return kafkaSide(java.summary, java.seconds, await topicRecordCount(admin, topics.kafka))
          },
          isobar: async () => {
            const side = await runOurProducer(client, settings, topics.isobar, values, progress, label('isobar'))
            return { ...side, recordsInTopic: await topicRecordCount(admin, topics.isobar) }
          },
          peers: peers.map((peer) => [
            peer,
            async () => {
              const topic = peerTopics.get(peer)!
              const side = await runPeerProducer(options, settings, peer, topic, values, progress, label(peer))
              return { ...side, recordsInTopic: await topicRecordCount(admin, topic) }
            },
          ]),
        })
        rounds.push({ ...ran, ratio: round3(ran.isobar.recordsPerSec / ran.kafka.recordsPerSec) })
      } finally {
        // Per round: a 1 GB topic left behind until the end would skew the next round's disk and cache.
        await deleteBenchTopics(admin, names)
      }
    }
    const reported = medianRound(rounds)
    return {
      kind: 'produce',
      settings,
      hardware: describeHardware(options.libDir),
      isobar: reported.isobar,
      kafka: reported.kafka,
      ratio: reported.ratio,
      peers: summarizePeers(rounds.map((r) => ({ peers: r.peers, javaRecordsPerSec: r.kafka.recordsPerSec }))),
      payload: payloadFile ? 'shared-file' : 'java-generated',
      rounds: roundRows(rounds),
      method: METHOD,
      topics: allTopics,
    }
  } finally {
    await admin.close()
    await rm(tempDir, { recursive: true, force: true })
  }
}

async function runKafkaProducer(
  options: ProduceBenchOptions,
  settings: BenchSettings,
  topic: string,
  payloadFile: string | undefined,
  progress: ProgressSink,
  label: string,
): Promise<{ summary: ProducerPerformanceSummary; seconds: number }> {
  let done = 0
  const stop = tickProgress(progress, label, () => done, settings.records)
  try {
    const java = await runJavaTool(
      'kafka-producer-perf-test',
      javaProducerArgs(options, settings, topic, payloadFile),
      {
        libDir: options.libDir,
        timeoutMs: runTimeoutMs(settings),
        ...(options.javaHeapMb === undefined ? {} : { heapMb: options.javaHeapMb }),
        onLine: (line) => (done += producerWindowRecords(line) ?? 0),
      },
    )
    return { summary: parseProducerPerformance(java.stdout), seconds: java.seconds }
  } finally {
    stop()
  }
}

async function runOurProducer(
  client: KafkaClient,
  settings: BenchSettings,
  topic: string,
  values: readonly Buffer[],
  progress: ProgressSink,
  label: string,
): Promise<Omit<IsobarProduceSide, 'recordsInTopic'>> {
  const meter = startResourceMeter()
  let ours
  try {
    ours = await runIsobarProducer({
      client,
      topic,
      records: settings.records,
      recordSize: settings.recordSize,
      partitions: settings.partitions,
      compression: settings.compression,
      batchSize: settings.batchSize,
      lingerMs: settings.lingerMs,
      maxInFlight: settings.maxInFlight,
      idempotent: settings.idempotence,
      values,
      onProgress: (acked) => progress.update(label, acked, settings.records),
    })
  } finally {
    progress.end()
  }
  const usage = meter.stop()
  if (ours.failed > 0) throw new Error(`Isobar producer: ${ours.failed} records failed: ${ours.firstError ?? ''}`)
  return { ...sideResult(ours.acknowledged, settings.recordSize, ours.seconds), ...usage, requests: ours.batches }
}

async function runPeerProducer(
  options: ProduceBenchOptions,
  settings: BenchSettings,
  peer: PeerClient,
  topic: string,
  values: readonly Buffer[],
  progress: ProgressSink,
  label: string,
): Promise<PeerSide> {
  try {
    return await runPeerProduce(
      peer,
      {
        bootstrapServers: options.kafkaConfig.bootstrapServers,
        topic,
        records: settings.records,
        partitions: settings.partitions,
        compression: settings.compression,
        batchSize: settings.batchSize,
        lingerMs: settings.lingerMs,
        idempotent: settings.idempotence,
        timeoutMs: runTimeoutMs(settings),
        perBatch: recordsPerBatch(settings.batchSize, settings.recordSize),
        values,
        onProgress: (acked) => progress.update(label, acked, settings.records),
      },
      settings.recordSize,
    )
  } finally {
    progress.end()
  }
}

export function javaProducerArgs(
  options: ProduceBenchOptions,
  settings: BenchSettings,
  topic: string,
  payloadFile: string | undefined,
): string[] {
  return [
    ...perfToolArgs(options.kafkaConfig.bootstrapServers, topic, settings.records),
    ...(payloadFile === undefined ? ['--record-size', String(settings.recordSize)] : ['--payload-file', payloadFile]),
    '--throughput',
    '-1',
    // One flag, many values: argparse4j keeps only the last of repeated --command-property flags, which silently
    // ran the Java side with default batch.size while Isobar used the requested one.
    '--command-property',
    ...javaProducerProperties(settings),
  ]
}

export function sideResult(records: number, recordSize: number, seconds: number): SideResult {
  return {
    records,
    recordsPerSec: round(records / seconds, 1),
    mbPerSec: round((records * recordSize) / seconds / 1048576, 2),
    seconds: round(seconds, 3),
  }
}

function kafkaSide(summary: ProducerPerformanceSummary, jvmSeconds: number, recordsInTopic: number): KafkaProduceSide {
  return {
    records: summary.records,
    recordsPerSec: summary.recordsPerSec,
    mbPerSec: summary.mbPerSec,
    // The tool prints no duration; its rate is records / elapsed, so invert it.
    seconds: round(summary.records / summary.recordsPerSec, 3),
    avgLatencyMs: summary.avgLatencyMs,
    p50Ms: summary.p50Ms,
    p99Ms: summary.p99Ms,
    maxLatencyMs: summary.maxLatencyMs,
    recordsInTopic,
    jvmSeconds: round(jvmSeconds, 3),
  }
}

/** The Java tools get only --bootstrap-server, so a TLS or SASL cluster would measure something else. */
export function assertPlaintext(config: KafkaConfig): void {
  if (config.tls || config.sasl) throw new Error('isobar bench supports plaintext clusters only (no TLS/SASL)')
}

function round3(value: number): number {
  return round(value, 3)
}
