import { laneOrder, type BenchClient } from './peers/clients.ts'

/** Which side runs first in a round: alternating cancels whatever the first run leaves the second (page cache, JIT). */
export type RoundOrder = 'kafka-first' | 'isobar-first'

export function roundOrder(round: number): RoundOrder {
  return round % 2 === 0 ? 'kafka-first' : 'isobar-first'
}

/** The round with the median ratio (the lower one of the middle two for an even count): a real, coherent run. */
export function medianRound<T extends { ratio: number }>(rounds: readonly T[]): T {
  if (rounds.length === 0) throw new Error('no rounds')
  const sorted = [...rounds].sort((a, b) => a.ratio - b.ratio)
  return sorted[Math.floor((sorted.length - 1) / 2)]!
}

/** Label of a progress phase, with the round when there is more than one. */
export function phaseLabel(label: string, round: number, rounds: number): string {
  return rounds > 1 ? `${label} ${round + 1}/${rounds}` : label
}

/** Runs the two sides in the given order and returns both results. */
export async function inOrder<K, I>(
  order: RoundOrder,
  kafka: () => Promise<K>,
  isobar: () => Promise<I>,
): Promise<{ kafka: K; isobar: I }> {
  if (order === 'kafka-first') {
    const k = await kafka()
    return { kafka: k, isobar: await isobar() }
  }
  const i = await isobar()
  return { kafka: await kafka(), isobar: i }
}

/** A round of the produce or consume bench: Kafka's Java tool, Isobar's client and the peer clients, each a lane. */
export interface RoundLanes<K, I, P> {
  java: () => Promise<K>
  isobar: () => Promise<I>
  peers: ReadonlyArray<readonly [BenchClient, () => Promise<P>]>
}

export interface LaneResults<K, I, P> {
  /** Whether Java's lane ran before Isobar's. */
  order: RoundOrder
  /** Every lane of the round in the order it ran. */
  lanes: BenchClient[]
  kafka: K
  isobar: I
  /** The peers' sides, in the order they ran. */
  peers: P[]
}

/** Position of a lane in a round's running order. */
export function laneRank(lanes: ReadonlyArray<readonly [BenchClient, unknown]>, name: BenchClient): number {
  return lanes.findIndex(([lane]) => lane === name)
}

/** Runs round `round`'s lanes one after the other, rotated by laneOrder so no lane always goes first. */
export async function runLanes<K, I, P>(round: number, lanes: RoundLanes<K, I, P>): Promise<LaneResults<K, I, P>> {
  let kafka: { side: K } | undefined
  let isobar: { side: I } | undefined
  const peers: P[] = []
  const all: Array<readonly [BenchClient, () => Promise<void>]> = [
    ['java', async () => void (kafka = { side: await lanes.java() })],
    ['isobar', async () => void (isobar = { side: await lanes.isobar() })],
    ...lanes.peers.map(([peer, run]) => [peer, async () => void peers.push(await run())] as const),
  ]
  const ordered = laneOrder(all, round)
  for (const [, run] of ordered) await run()
  if (!kafka || !isobar) throw new Error('a lane did not report')
  return {
    order: laneRank(ordered, 'java') < laneRank(ordered, 'isobar') ? 'kafka-first' : 'isobar-first',
    lanes: ordered.map(([name]) => name),
    kafka: kafka.side,
    isobar: isobar.side,
    peers,
  }
}

/** A round as results list it: order, lanes and both sides' rates. */
export interface RoundRow {
  order: RoundOrder
  lanes: BenchClient[]
  isobarRecordsPerSec: number
  kafkaRecordsPerSec: number
  ratio: number
}

/** The rounds as results list them. */
export function roundRows(
  rounds: ReadonlyArray<{
    order: RoundOrder
    lanes: BenchClient[]
    isobar: { recordsPerSec: number }
    kafka: { recordsPerSec: number }
    ratio: number
  }>,
): RoundRow[] {
  return rounds.map((r) => ({
    order: r.order,
    lanes: r.lanes,
    isobarRecordsPerSec: r.isobar.recordsPerSec,
    kafkaRecordsPerSec: r.kafka.recordsPerSec,
    ratio: r.ratio,
  }))
}
