import { windowStartsFor, type WindowSpec } from '../src/windows.ts'
import { mulberry32 } from '@isobar/simulator'

export interface TestRecord {
  key: string
  ts: number
  value: number
}

export interface Agg {
  count: number
  sum: number
}

/** Independent batch computation of the final aggregates (no stream time, no lateness): the expected answer. */
export function batchAggregate(spec: WindowSpec, records: TestRecord[]): Map<string, Agg> {
  const out = new Map<string, Agg>()
  const add = (id: string, value: number): void => {
    const a = out.get(id) ?? { count: 0, sum: 0 }
    out.set(id, { count: a.count + 1, sum: a.sum + value })
  }
  if (spec.kind === 'time') {
    for (const r of records)
      for (const start of windowStartsFor(spec, r.ts)) add(`${r.key}@${start}-${start + spec.sizeMs}`, r.value)
    return out
  }
  const byKey = new Map<string, TestRecord[]>()
  for (const r of records) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r])
  for (const [key, list] of byKey) {
    list.sort((a, b) => a.ts - b.ts)
    let group: TestRecord[] = []
    const flush = (): void => {
      if (group.length === 0) return
      const id = `${key}@${group[0]!.ts}-${group.at(-1)!.ts}`
      for (const r of group) add(id, r.value)
      group = []
    }
    for (const r of list) {
      if (group.length > 0 && r.ts - group.at(-1)!.ts > spec.gapMs) flush()
      group.push(r)
    }
    flush()
  }
  return out
}

/** A deterministic pseudo-random generator (Isobar's one PRNG) so shuffled inputs are reproducible. */
export const random = mulberry32

/** Records in event-time order, then displaced by less than `maxDisorderMs` (bounded out-of-orderness). */
export function boundedShuffle(records: TestRecord[], maxDisorderMs: number, seed: number): TestRecord[] {
  const rnd = random(seed)
  return records
    .map((r) => ({ r, at: r.ts + rnd() * maxDisorderMs }))
    .sort((a, b) => a.at - b.at)
    .map((x) => x.r)
}

export const sumAggregation = {
  init: (): Agg => ({ count: 0, sum: 0 }),
  add: (a: Agg, v: number): Agg => ({ count: a.count + 1, sum: a.sum + v }),
  merge: (a: Agg, b: Agg): Agg => ({ count: a.count + b.count, sum: a.sum + b.sum }),
}
