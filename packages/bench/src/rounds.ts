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
