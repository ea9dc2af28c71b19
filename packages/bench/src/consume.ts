import { randomBytes } from 'node:crypto'
import { createKafkaClient, type KafkaClient, type KafkaConfig } from '@isobar/core'
import { describeHardware } from './hardware.ts'
import { runIsobarProducer } from './isobar-produce.ts'
import { perfToolArgs, runJavaTool } from './java-tool.ts'
import { parseConsumerPerformance } from './parse.ts'
import { runIsobarConsumer } from './isobar-consume.ts'
import { round, startResourceMeter } from './resources.ts'
import { DEFAULT_CLIENTS, peersOf, type BenchClient } from './peers/clients.ts'
import { runPeerConsume, summarizePeers, type PeerConsumeSide } from './peers/run-peer.ts'
import { assertPlaintext, sideResult } from './produce.ts'
import { medianRound, phaseLabel, roundRows, runLanes, type LaneResults, type RoundRow } from './rounds.ts'
import { benchSettings, runTimeoutMs, silentProgress, tickProgress, type BenchInput } from './settings.ts'
import { benchTopicName, createBenchTopics, deleteBenchTopics, topicRecordCount } from './topics.ts'
import type { BenchSettings, Hardware, ProgressSink, ResourceUsage, SideResult } from './types.ts'

export interface ConsumeBenchOptions extends BenchInput {
  kafkaConfig: KafkaConfig
  libDir: string
  progress?: ProgressSink
  javaHeapMb?: number
  /** Lanes to run (always isobar and java; peers kafkajs, confluent measured beside them). Default isobar, java. */
  clients?: readonly BenchClient[]
}

export interface ConsumeSide extends SideResult {
  /** Whole run (group join included): records/s and MiB/s like ConsumerPerformance's nMsg.sec and MB.sec. */
  totalRecordsPerSec: number
  totalMbPerSec: number
  totalSeconds: number
}

export interface KafkaConsumeSide extends ConsumeSide {
  rebalanceMs: number
  jvmSeconds: number
}

export type IsobarConsumeSide = ConsumeSide & ResourceUsage

export interface ConsumeRound extends LaneResults<KafkaConsumeSide, IsobarConsumeSide, PeerConsumeSide> {
  ratio: number
  totalRatio: number
}

export interface ConsumeBenchResult {
  kind: 'consume'
  settings: BenchSettings
  hardware: Hardware
  topic: { records: number }
  /** Both sides of the reported round: the one with the median ratio (the only one when rounds = 1). */
  isobar: IsobarConsumeSide
  kafka: KafkaConsumeSide
  /** isobar.recordsPerSec / kafka.recordsPerSec (fetch phase, see `comparedOn`). */
  ratio: number
  /** isobar.totalRecordsPerSec / kafka.totalRecordsPerSec. */
  totalRatio: number
  /** Peer clients (--clients), each from the round with its median ratio to Java (fetch phase). */
  peers: Array<PeerConsumeSide & { ratio: number; ratios: number[] }>
  rounds: RoundRow[]
  comparedOn: string
  method: string
  /** The bench topic (deleted again at the end). */
  topics: string[]
}

const COMPARED_ON =
  'fetch.nMsg.sec: records/s from the first partition assignment to the last record, as ConsumerPerformance ' +
  'computes it. The group join before it is broker-side coordination, not client throughput, so `ratio` leaves it ' +
  "out and `totalRatio` includes it. Isobar's assignment time comes from the client's view of its assignment " +
  '(checked when the subscription opens, then every 200 ms).'
const METHOD =
  'One topic filled by Isobar, then read in full by ConsumerPerformance and by Isobar, one after the other, each ' +
  'in a fresh group (KIP-848 protocol for both) from the earliest offset. MB = 1024 * 1024 bytes of keys + values.'

/** Kafka's ConsumerPerformance and Isobar's consumer reading the same topic, sequentially. */
export async function runConsumeBench(options: ConsumeBenchOptions): Promise<ConsumeBenchResult> {
  assertPlaintext(options.kafkaConfig)
  const settings = benchSettings(options)
  const progress = options.progress ?? silentProgress
  const client = createKafkaClient(options.kafkaConfig)
  const admin = client.admin()
  const topic = benchTopicName('consume')
  const run = randomBytes(4).toString('hex')
  try {
    await createBenchTopics(admin, [topic], settings)
    const fill = await runIsobarProducer({
      client,
      topic,
      ...settings,
      onProgress: (acked) => progress.update('fill topic', acked, settings.records),
    }).finally(() => progress.end())
    if (fill.failed > 0) throw new Error(`Filling ${topic}: ${fill.failed} records failed: ${fill.firstError ?? ''}`)
    const inTopic = await topicRecordCount(admin, topic)
    if (inTopic !== settings.records) throw new Error(`${topic} holds ${inTopic} records, expected ${settings.records}`)

    const rounds: ConsumeRound[] = []
    const peers = peersOf(options.clients ?? DEFAULT_CLIENTS)
    for (let round = 0; round < settings.rounds; round++) {
      const label = (side: string): string => phaseLabel(`${side} consume`, round, settings.rounds)
      const ran = await runLanes<KafkaConsumeSide, IsobarConsumeSide, PeerConsumeSide>(round, {
        java: () => runKafkaConsumer(options, settings, topic, `kafka-bench-${run}-${round}`, progress, label('kafka')),
        isobar: () =>
          runOurConsumer(client, settings, topic, `isobar-bench-${run}-${round}`, progress, label('isobar')),
        peers: peers.map((peer) => [
          peer,
          () =>
            runPeerConsume(peer, {
              bootstrapServers: options.kafkaConfig.bootstrapServers,
              topic,
              groupId: `${peer}-bench-${run}-${round}`,
              records: settings.records,
              timeoutMs: runTimeoutMs(settings),
              onProgress: (n) => progress.update(label(peer), n, settings.records),
            }).finally(() => progress.end()),
        ]),
      })
      rounds.push({
        ...ran,
        ratio: round3(ran.isobar.recordsPerSec / ran.kafka.recordsPerSec),
        totalRatio: round3(ran.isobar.totalRecordsPerSec / ran.kafka.totalRecordsPerSec),
      })
    }
    const reported = medianRound(rounds)
    return {
      kind: 'consume',
      settings,
      hardware: describeHardware(options.libDir),
      topic: { records: inTopic },
      isobar: reported.isobar,
      kafka: reported.kafka,
      ratio: reported.ratio,
      totalRatio: reported.totalRatio,
      peers: summarizePeers(rounds.map((r) => ({ peers: r.peers, javaRecordsPerSec: r.kafka.recordsPerSec }))),
      rounds: roundRows(rounds),
      comparedOn: COMPARED_ON,
      method: METHOD,
      topics: [topic],
    }
  } finally {
    await deleteBenchTopics(admin, [topic])
    await admin.close()
  }
}

async function runKafkaConsumer(
  options: ConsumeBenchOptions,
  settings: BenchSettings,
  topic: string,
  group: string,
  progress: ProgressSink,
  label: string,
): Promise<KafkaConsumeSide> {
  // ConsumerPerformance prints nothing until it ends, so the bar shows only the elapsed time.
  const stop = tickProgress(progress, label, () => 0, 0)
  const java = await runJavaTool('kafka-consumer-perf-test', javaConsumerArgs(options, settings, topic, group), {
    libDir: options.libDir,
    timeoutMs: runTimeoutMs(settings),
    ...(options.javaHeapMb === undefined ? {} : { heapMb: options.javaHeapMb }),
  }).finally(stop)
  const summary = parseConsumerPerformance(java.stdout)
  if (summary.records < settings.records) {
    throw new Error(`ConsumerPerformance read only ${summary.records} of ${settings.records} records (timeout)`)
  }
  return {
    records: summary.records,
    recordsPerSec: summary.fetchRecordsPerSec,
    mbPerSec: summary.fetchMbPerSec,
    seconds: round(summary.fetchMs / 1000, 3),
    totalRecordsPerSec: summary.recordsPerSec,
    totalMbPerSec: summary.mbPerSec,
    totalSeconds: round((summary.fetchMs + summary.rebalanceMs) / 1000, 3),
    rebalanceMs: summary.rebalanceMs,
    jvmSeconds: round(java.seconds, 3),
  }
}

async function runOurConsumer(
  client: KafkaClient,
  settings: BenchSettings,
  topic: string,
  group: string,
  progress: ProgressSink,
  label: string,
): Promise<IsobarConsumeSide> {
  const meter = startResourceMeter()
  const ours = await runIsobarConsumer(client, topic, group, settings.records, progress, label).finally(() =>
    progress.end(),
  )
  return {
    ...sideResult(ours.records, 1, ours.fetchSeconds),
    mbPerSec: round(ours.bytes / ours.fetchSeconds / 1048576, 2),
    totalRecordsPerSec: round(ours.records / ours.totalSeconds, 1),
    totalMbPerSec: round(ours.bytes / ours.totalSeconds / 1048576, 2),
    totalSeconds: round(ours.totalSeconds, 3),
    ...meter.stop(),
  }
}

function javaConsumerArgs(
  options: ConsumeBenchOptions,
  settings: BenchSettings,
  topic: string,
  group: string,
): string[] {
  return [
    ...perfToolArgs(options.kafkaConfig.bootstrapServers, topic, settings.records),
    '--group',
    group,
    '--timeout',
    '30000',
    // Isobar's consumer speaks KIP-848; the Java default would be the classic protocol.
    '--command-property',
    'group.protocol=consumer',
  ]
}

function round3(value: number): number {
  return round(value, 3)
}
