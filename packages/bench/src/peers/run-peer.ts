import { round, startResourceMeter } from '../resources.ts'
import type { ResourceUsage, SideResult } from '../types.ts'
import type { PeerClient } from './clients.ts'
import type { PeerConsumeInput, PeerConsumeRun, PeerProduceInput, PeerProduceRun } from './lane.ts'

export type PeerSide = SideResult & ResourceUsage & { client: PeerClient }

// Loaded on first use: kafkajs and the native librdkafka binding cost start-up time nobody else should pay.
const PRODUCERS: Record<PeerClient, () => Promise<(input: PeerProduceInput) => Promise<PeerProduceRun>>> = {
  kafkajs: async () => (await import('./kafkajs-lane.ts')).kafkajsProduce,
  confluent: async () => (await import('./confluent-lane.ts')).confluentProduce,
}
const CONSUMERS: Record<PeerClient, () => Promise<(input: PeerConsumeInput) => Promise<PeerConsumeRun>>> = {
  kafkajs: async () => (await import('./kafkajs-lane.ts')).kafkajsConsume,
  confluent: async () => (await import('./confluent-lane.ts')).confluentConsume,
}

/** One peer producer lane, with this process's CPU and peak RSS over it (the peers run in-process, like Isobar). */
export async function runPeerProduce(
  client: PeerClient,
  input: PeerProduceInput,
  recordSize: number,
): Promise<PeerSide> {
  const produce = await PRODUCERS[client]()
  const meter = startResourceMeter()
  const run = await withTimeout(produce(input), input.timeoutMs, `${client} lane`)
  const usage = meter.stop()
  if (run.acknowledged < input.records) {
    throw new Error(`${client} lane: ${run.acknowledged} of ${input.records} records acknowledged`)
  }
  return {
    client,
    records: run.acknowledged,
    recordsPerSec: round(run.acknowledged / run.seconds, 1),
    mbPerSec: round((run.acknowledged * recordSize) / run.seconds / 1048576, 2),
    seconds: round(run.seconds, 3),
    ...usage,
  }
}

export type PeerConsumeSide = PeerSide & { totalRecordsPerSec: number; totalSeconds: number }

export async function runPeerConsume(client: PeerClient, input: PeerConsumeInput): Promise<PeerConsumeSide> {
  const consume = await CONSUMERS[client]()
  const meter = startResourceMeter()
  const run = await consume(input)
  const usage = meter.stop()
  if (run.records < input.records)
    throw new Error(`${client} lane read only ${run.records} of ${input.records} records`)
  return {
    client,
    records: run.records,
    recordsPerSec: round(run.records / run.fetchSeconds, 1),
    mbPerSec: round(run.bytes / run.fetchSeconds / 1048576, 2),
    seconds: round(run.fetchSeconds, 3),
    totalRecordsPerSec: round(run.records / run.totalSeconds, 1),
    totalSeconds: round(run.totalSeconds, 3),
    ...usage,
  }
}

/** Per peer: the side from the round with its median ratio to Java, and every round's ratio. */
export function summarizePeers<S extends PeerSide>(
  rounds: ReadonlyArray<{ peers: readonly S[]; javaRecordsPerSec: number }>,
): Array<S & { ratio: number; ratios: number[] }> {
  const clients = [...new Set(rounds.flatMap((r) => r.peers.map((p) => p.client)))]
  return clients.map((client) => {
    const perRound = rounds.flatMap((r) => {
      const side = r.peers.find((p) => p.client === client)
      return side ? [{ side, ratio: round(side.recordsPerSec / r.javaRecordsPerSec, 3) }] : []
    })
    const sorted = [...perRound].sort((a, b) => a.ratio - b.ratio)
    const median = sorted[Math.floor((sorted.length - 1) / 2)]!
    return { ...median.side, ratio: median.ratio, ratios: perRound.map((r) => r.ratio) }
  })
}

/** `promise`, or a rejection naming `label` after `ms` (the lane's own resources are left to process exit). */
function withTimeout<T>(promise: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} did not finish within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
