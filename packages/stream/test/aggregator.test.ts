import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { WindowedAggregator, type WindowResult } from '../src/aggregator.ts'
import { hopping, session, tumbling, type WindowSpec } from '../src/windows.ts'
import { batchAggregate, boundedShuffle, random, sumAggregation, type Agg, type TestRecord } from './batch.ts'

function run(
  spec: WindowSpec,
  records: TestRecord[],
  emit: 'final' | 'updates' = 'final',
): { results: WindowResult<Agg>[]; agg: WindowedAggregator<number, Agg> } {
  const agg = new WindowedAggregator<number, Agg>({ windows: spec, aggregation: sumAggregation, emit })
  const results: WindowResult<Agg>[] = []
  for (const r of records) results.push(...agg.process(r.key, r.ts, r.value, 0).results)
  return { results, agg }
}

const ids = (results: WindowResult<Agg>[]): string[] =>
  results.map((r) => `${r.key}@${r.start}-${r.end}=${r.value?.sum}`)

describe('WindowedAggregator: table-driven window semantics', () => {
  const cases: Array<{
    name: string
    spec: WindowSpec
    input: Array<[string, number, number]>
    finals: string[]
    late: number
  }> = [
    {
      name: 'tumbling, in order, closes at end (no grace)',
      spec: tumbling({ sizeMs: 10 }),
      input: [
        ['a', 1, 1],
        ['a', 9, 2],
        ['a', 10, 4],
        ['a', 25, 8],
      ],
      finals: ['a@0-10=3', 'a@10-20=4'],
      late: 0,
    },
    {
      name: 'tumbling, grace keeps the window open for a late-ish record',
      spec: tumbling({ sizeMs: 10, graceMs: 5 }),
      input: [
        ['a', 1, 1],
        ['a', 12, 2],
        ['a', 3, 4],
        ['a', 15, 8],
        ['a', 4, 16],
        ['a', 30, 0],
      ],
      finals: ['a@0-10=5', 'a@10-20=10'],
      late: 1,
    },
    {
      name: 'hopping, each record in size/advance windows',
      spec: hopping({ sizeMs: 10, advanceMs: 5 }),
      input: [
        ['a', 7, 1],
        ['a', 100, 0],
      ],
      finals: ['a@0-10=1', 'a@5-15=1'],
      late: 0,
    },
    {
      name: 'session, records within the gap join; a gap splits',
      spec: session({ gapMs: 5 }),
      input: [
        ['a', 1, 1],
        ['a', 5, 2],
        ['a', 20, 4],
        ['a', 40, 0],
      ],
      finals: ['a@1-5=3', 'a@20-20=4'],
      late: 0,
    },
    {
      name: 'session, an out-of-order record bridges two sessions (merge)',
      spec: session({ gapMs: 5, graceMs: 10 }),
      input: [
        ['a', 1, 1],
        ['a', 10, 2],
        ['a', 5, 4],
        ['a', 50, 0],
      ],
      finals: ['a@1-10=7'],
      late: 0,
    },
    {
      name: 'keys are independent, stream time is shared by the partition',
      spec: tumbling({ sizeMs: 10 }),
      input: [
        ['a', 1, 1],
        ['b', 2, 2],
        ['b', 11, 4],
        ['a', 3, 8],
        ['a', 30, 0],
      ],
      finals: ['a@0-10=1', 'b@0-10=2', 'b@10-20=4'],
      late: 1,
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const { results, agg } = run(
        c.spec,
        c.input.map(([key, ts, value]) => ({ key, ts, value })),
      )
      assert.deepEqual(ids(results), c.finals)
      assert.ok(results.every((r) => r.final))
      assert.equal(agg.stats.late, c.late)
    })
  }
})

describe('WindowedAggregator: emit updates', () => {
  it('emits every change and nothing at close', () => {
    const { results } = run(
      tumbling({ sizeMs: 10 }),
      [
        { key: 'a', ts: 1, value: 1 },
        { key: 'a', ts: 2, value: 2 },
        { key: 'a', ts: 40, value: 0 },
      ],
      'updates',
    )
    assert.deepEqual(ids(results), ['a@0-10=1', 'a@0-10=3', 'a@40-50=0'])
    assert.ok(results.every((r) => !r.final))
  })

  it('retracts a session swallowed by a merge', () => {
    const { results } = run(
      session({ gapMs: 5, graceMs: 20 }),
      [
        { key: 'a', ts: 1, value: 1 },
        { key: 'a', ts: 10, value: 2 },
        { key: 'a', ts: 5, value: 4 },
      ],
      'updates',
    )
    assert.deepEqual(ids(results), ['a@1-1=1', 'a@10-10=2', 'a@10-10=undefined', 'a@1-10=7'])
  })
})

describe('WindowedAggregator: idle close on wall clock', () => {
  it('closes a silent key after afterMs though stream time stands still; later records for it are late', () => {
    const agg = new WindowedAggregator<number, Agg>({
      windows: tumbling({ sizeMs: 60_000, graceMs: 10_000 }),
      aggregation: sumAggregation,
      emit: 'final',
      idle: { afterMs: 30_000, scope: 'key' },
    })
    agg.process('a', 1_000, 1, 1_000_000)
    agg.process('b', 2_000, 2, 1_020_000)
    assert.deepEqual(agg.tick(1_029_999), [])
    assert.deepEqual(ids(agg.tick(1_030_000)), ['a@0-60000=1'])
    assert.deepEqual(ids(agg.tick(1_050_000)), ['b@0-60000=2'])
    const late = agg.process('a', 5_000, 4, 1_060_000)
    assert.equal(late.late, true)
    assert.equal(agg.stats.idleCloses, 2)
    assert.equal(agg.store.size, 0)
  })

  it('partition scope closes every window once the partition goes silent', () => {
    const agg = new WindowedAggregator<number, Agg>({
      windows: session({ gapMs: 1_000 }),
      aggregation: sumAggregation,
      emit: 'final',
      idle: { afterMs: 5_000, scope: 'partition' },
    })
    agg.process('a', 1, 1, 0)
    agg.process('b', 2, 2, 4_000)
    assert.deepEqual(agg.tick(8_999), [])
    assert.deepEqual(ids(agg.tick(9_000)).sort(), ['a@1-1=1', 'b@2-2=2'])
  })
})

describe('WindowedAggregator: bounded store', () => {
  it('closes the window that would close first when maxWindows is reached', () => {
    const agg = new WindowedAggregator<number, Agg>({
      windows: tumbling({ sizeMs: 10, graceMs: 100 }),
      aggregation: sumAggregation,
      emit: 'final',
      maxWindows: 2,
    })
    agg.process('a', 1, 1, 0)
    agg.process('b', 15, 1, 0)
    const r = agg.process('c', 25, 1, 0)
    assert.deepEqual(ids(r.results), ['a@0-10=1'])
    assert.equal(agg.stats.forcedCloses, 1)
    assert.equal(agg.store.size, 2)
  })
})

describe('WindowedAggregator: streaming equals batch over shuffled input', () => {
  const specs: Array<[string, WindowSpec]> = [
    ['tumbling', tumbling({ sizeMs: 1_000, graceMs: 500 })],
    ['hopping', hopping({ sizeMs: 1_000, advanceMs: 250, graceMs: 500 })],
    ['session', session({ gapMs: 300, graceMs: 500 })],
  ]
  for (const [name, spec] of specs) {
    for (const seed of [1, 2, 3]) {
      it(`${name}, seed ${seed}: final results equal the batch computation, nothing late`, () => {
        const rnd = random(seed * 7919)
        const ordered: TestRecord[] = []
        let ts = 0
        for (let i = 0; i < 3_000; i++) {
          ts += Math.floor(rnd() * (rnd() < 0.02 ? 2_000 : 20))
          ordered.push({ key: `k${Math.floor(rnd() * 12)}`, ts, value: Math.floor(rnd() * 100) })
        }
        const input = boundedShuffle(ordered, 499, seed)
        assert.notDeepEqual(input, ordered)
        const agg = new WindowedAggregator<number, Agg>({ windows: spec, aggregation: sumAggregation, emit: 'final' })
        const results: WindowResult<Agg>[] = []
        for (const r of input) results.push(...agg.process(r.key, r.ts, r.value, 0).results)
        // Flush: one record far in the future closes everything else.
        results.push(...agg.process('flush', ts + 1_000_000, 0, 0).results)
        const streamed = new Map(
          results.filter((r) => r.key !== 'flush').map((r) => [`${r.key}@${r.start}-${r.end}`, r.value]),
        )
        assert.equal(streamed.size, results.filter((r) => r.key !== 'flush').length, 'each window emitted once')
        assert.equal(agg.stats.late, 0)
        assert.deepEqual(streamed, batchAggregate(spec, ordered))
      })
    }
  }
})
