import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { WindowedAggregator } from '../src/aggregator.ts'
import { ChangelogCorruptError } from '../src/errors.ts'
import { WindowStore, encodeDrained, jsonSerde, restoreFromChangelog, type AggregateSerde } from '../src/store.ts'
import { tumbling } from '../src/windows.ts'
import { sumAggregation, type Agg } from './batch.ts'

const serde = jsonSerde as AggregateSerde<Agg>

function changelogOf(store: WindowStore<Agg>): Array<{ key: Buffer; value: Buffer | null }> {
  return encodeDrained(store.drain(), serde)
}

describe('WindowStore changelog', () => {
  it('writes one record per changed window since the last drain, tombstones for purged windows', () => {
    const agg = new WindowedAggregator<number, Agg>({
      windows: tumbling({ sizeMs: 10 }),
      aggregation: sumAggregation,
      emit: 'final',
    })
    agg.process('a', 1, 1, 0)
    agg.process('a', 2, 2, 0)
    agg.process('b', 3, 4, 0)
    const first = changelogOf(agg.store)
    assert.deepEqual(
      first.map((r) => r.key.toString()),
      ['a\u00000', 'b\u00000', '\u0000meta'],
    )
    assert.deepEqual(JSON.parse(first[0]!.value!.toString()), { k: 'a', s: 0, e: 10, v: { count: 2, sum: 3 } })
    agg.process('a', 12, 8, 0) // closes [0,10) of a and b
    const second = changelogOf(agg.store)
    const byKey = new Map(second.map((r) => [r.key.toString(), r.value]))
    assert.equal(byKey.get('a\u00000'), null)
    assert.equal(byKey.get('b\u00000'), null)
    assert.ok(byKey.get('a\u000010'))
    assert.deepEqual(changelogOf(agg.store), [])
  })

  it('restores the state and stream time, so processing continues as if never stopped', () => {
    const live = new WindowedAggregator<number, Agg>({
      windows: tumbling({ sizeMs: 10, graceMs: 5 }),
      aggregation: sumAggregation,
      emit: 'final',
    })
    const log: Array<{ key: Buffer; value: Buffer | null }> = []
    for (const [key, ts, v] of [
      ['a', 1, 1],
      ['b', 11, 2],
      ['a', 4, 4],
      ['a', 16, 8],
    ] as const) {
      live.process(key, ts, v, 0)
      log.push(...changelogOf(live.store))
    }
    const store = new WindowStore<Agg>()
    assert.equal(restoreFromChangelog(store, log, serde), log.length)
    assert.equal(store.streamTime, 16)
    assert.deepEqual(
      [...store.all()].sort((x, y) => x.key.localeCompare(y.key)),
      [...live.store.all()].sort((x, y) => x.key.localeCompare(y.key)),
    )
    const restored = new WindowedAggregator<number, Agg>({
      windows: tumbling({ sizeMs: 10, graceMs: 5 }),
      aggregation: sumAggregation,
      emit: 'final',
      store,
    })
    restored.resync(0)
    assert.deepEqual(restored.process('c', 30, 0, 0).results, live.process('c', 30, 0, 0).results)
  })

  it('rejects an unreadable changelog record', () => {
    assert.throws(
      () =>
        restoreFromChangelog(
          new WindowStore<Agg>(),
          [{ key: Buffer.from('a\u00000'), value: Buffer.from('{') }],
          serde,
        ),
      ChangelogCorruptError,
    )
  })
})
