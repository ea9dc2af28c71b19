/** The clients `isobar bench produce|consume --clients` can run, in the order they are listed by default. */
export type BenchClient = 'isobar' | 'java' | 'kafkajs' | 'confluent'
/** Node clients run in this process beside Isobar's (the Java tool is the reference every ratio is taken to). */
export type PeerClient = Exclude<BenchClient, 'isobar' | 'java'>

export const BENCH_CLIENTS: readonly BenchClient[] = ['isobar', 'java', 'kafkajs', 'confluent']
export const DEFAULT_CLIENTS: readonly BenchClient[] = ['isobar', 'java']

/**
 * Parses `isobar,java,kafkajs`: known names, no repeats, and always isobar and java (the bench compares Isobar
 * with Kafka's tool; the peers are measured beside them in the same rounds). Throws RangeError naming the problem.
 */
export function parseClients(text: string): BenchClient[] {
  const names = text.split(',').map((s) => s.trim())
  const clients: BenchClient[] = []
  for (const name of names) {
    if (!(BENCH_CLIENTS as readonly string[]).includes(name)) {
      throw new RangeError(`unknown client "${name}" (expected ${BENCH_CLIENTS.join(', ')})`)
    }
    if ((clients as string[]).includes(name)) throw new RangeError(`client "${name}" is listed twice`)
    clients.push(name as BenchClient)
  }
  for (const required of DEFAULT_CLIENTS) {
    if (!clients.includes(required)) {
      throw new RangeError(`clients must include ${required} (ratios are to java, and isobar is what is compared)`)
    }
  }
  return clients
}

export function peersOf(clients: readonly BenchClient[]): PeerClient[] {
  return clients.filter((c): c is PeerClient => c !== 'isobar' && c !== 'java')
}

/** The lanes of round `round` in running order: the list rotated by one per round, so no lane always goes first. */
export function laneOrder<T>(lanes: readonly T[], round: number): T[] {
  const shift = round % lanes.length
  return [...lanes.slice(shift), ...lanes.slice(0, shift)]
}
