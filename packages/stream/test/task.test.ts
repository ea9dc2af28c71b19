import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ConsumedRecord, ProducerRecord } from '@isobar/core'
import type { WindowResult } from '../src/aggregator.ts'
import { WindowStore, jsonSerde, restoreFromChangelog, type AggregateSerde } from '../src/store.ts'
import { StreamTask } from '../src/task.ts'
import { changelogTopicOf, type OutputRecord, type WindowedTopology } from '../src/topology.ts'
import { hopping, session, tumbling } from '../src/windows.ts'
import { sumAggregation, type Agg } from './batch.ts'

const serde = jsonSerde as AggregateSerde<Agg>

function topologyOf(o: Partial<WindowedTopology<number, Agg>>): WindowedTopology<number, Agg> {
  return {
    applicationId: 'restore',
    inputTopics: ['in'],
    outputTopic: 'out',
    lateTopic: 'late',
    parse: () => null,
    windows: tumbling({ sizeMs: 10, graceMs: 5 }),
    aggregation: sumAggregation,
    emit: 'final',
    ...o,
  }
}

const toOutput = (r: WindowResult<Agg>): OutputRecord => ({
  key: Buffer.from(r.key),
  value: Buffer.from(`${r.key}@${r.start}-${r.end}=${r.value?.count}`),
})

/**
 * One partition's task across restores: every batch it takes goes to `log` (the changelog partition, in offset
 * order) and `out`; `restart()` builds a new task from the changelog alone, as the runner does on a new owner.
 */
class Harness {
  readonly topology: WindowedTopology<number, Agg>
  readonly log: ProducerRecord[] = []
  readonly out: string[] = []
  readonly late: ProducerRecord[] = []
  batches: ProducerRecord[][] = []
  task: StreamTask<number, Agg>
  #offset = 0

  constructor(topology: WindowedTopology<number, Agg>) {
    this.topology = topology
    this.task = new StreamTask(0, topology, serde, toOutput, new WindowStore<Agg>())
  }

  send(key: string, ts: number, now: number): boolean {
    const record: ConsumedRecord = {
      topic: 'in',
      partition: 0,
      offset: BigInt(this.#offset++),
      timestamp: ts,
      key: Buffer.from(key),
      value: Buffer.from('1'),
      headers: {},
    }
    return this.task.process(record, [{ key, value: 1 }], now)
  }

  commit(): ProducerRecord[] {
    const changelog = changelogTopicOf(this.topology)
    const { records } = this.task.takeBatch()
    for (const r of records) {
      if (r.topic === changelog) this.log.push(r)
      else if (r.topic === this.topology.outputTopic) this.out.push(r.value!.toString())
      else if (r.topic === this.topology.lateTopic) this.late.push(r)
    }
    const batch = records.filter((r) => r.topic === changelog)
    this.batches.push(batch)
    return batch
  }

  /** Commits, then restores a new task from the changelog (as `edit` leaves it: compacted, or an older one). */
  restart(now: number, edit: (log: ProducerRecord[]) => ProducerRecord[] = (log) => log): WindowStore<Agg> {
    this.commit()
    const store = new WindowStore<Agg>()
    restoreFromChangelog(
      store,
      edit(this.log).map((r) => ({ key: r.key ?? null, value: r.value })),
      serde,
    )
    this.task = new StreamTask(0, this.topology, serde, toOutput, store)
    this.task.aggregator.resync(now)
    return store
  }

  /** Output values emitted more than once (same window). */
  duplicates(): string[] {
    const ids = this.out.map((v) => v.slice(0, v.indexOf('=')))
    return this.out.filter((_, i) => ids.indexOf(ids[i]!) !== i)
  }
}

const keysOf = (batch: ProducerRecord[]): string[] => batch.map((r) => r.key!.toString().replaceAll('\u0000', '|'))

describe('StreamTask restore: windows closed early stay closed (issue #10)', () => {
  it('an idle-closed window is not re-created after a restore by a record that was late before it', () => {
    const h = new Harness(topologyOf({ idle: { afterMs: 100, scope: 'key' } }))
    h.send('a', 1, 0)
    h.send('a', 2, 0)
    h.send('b', 3, 50)
    h.task.tick(100) // a is silent for 100 ms: [0,10) of a closes though stream time is 3
    h.commit()
    assert.deepEqual(h.out, ['a@0-10=2'])

    h.restart(200)
    assert.equal(h.send('a', 4, 200), true, 'late after the restore, as before it')
    h.send('c', 40, 200) // stream time passes every window: b closes by stream time
    h.commit()
    assert.deepEqual(h.out, ['a@0-10=2', 'b@0-10=1'])
    assert.deepEqual(h.duplicates(), [])
    assert.equal(h.late.length, 1, 'the late record is copied to the late topic')
  })

  it('a force-closed window (maxWindows) is not re-created after a restore', () => {
    const h = new Harness(topologyOf({ windows: tumbling({ sizeMs: 10, graceMs: 100 }), maxWindowsPerPartition: 2 }))
    h.send('a', 1, 0)
    h.send('b', 15, 0)
    h.send('c', 25, 0) // full: [0,10) of a closes early
    assert.deepEqual(h.task.aggregator.stats.forcedCloses, 1)
    h.restart(0)
    assert.equal(h.send('a', 5, 0), true)
    h.send('d', 1_000, 0)
    h.commit()
    assert.deepEqual(h.out.sort(), ['a@0-10=1', 'b@10-20=1', 'c@20-30=1'])
  })

  it('a session closed by stream time keeps rejecting its gap after a restore, as before it', () => {
    const h = new Harness(topologyOf({ windows: session({ gapMs: 5, graceMs: 10 }) }))
    h.send('a', 1, 0)
    h.send('b', 16, 0) // a's session [1,1] closes at 1 + 5 + 10; a record for a up to 6 is late
    h.commit()
    assert.deepEqual(h.out, ['a@1-1=1'])
    h.restart(0)
    assert.equal(h.send('a', 5, 0), true)
    h.send('z', 1_000, 0)
    h.commit()
    assert.deepEqual(h.out.sort(), ['a@1-1=1', 'b@16-16=1'])
  })

  it('writes one closed-until record per key (not per window), in the batch of the tombstones', () => {
    const h = new Harness(
      topologyOf({ windows: hopping({ sizeMs: 30, advanceMs: 10, graceMs: 5 }), idle: { afterMs: 100, scope: 'key' } }),
    )
    h.send('a', 21, 0) // in [0,30), [10,40), [20,50)
    h.commit()
    h.task.tick(100)
    const batch = h.commit()
    assert.equal(h.out.length, 3)
    assert.deepEqual(keysOf(batch).sort(), ['a|0', 'a|10', 'a|20', '|closed|a'])
    assert.deepEqual(JSON.parse(batch.find((r) => r.key!.toString().startsWith('\u0000closed'))!.value!.toString()), {
      closedUntil: 50,
    })
  })

  it('windows closed by stream time write no closed-until record', () => {
    const h = new Harness(topologyOf({ idle: { afterMs: 100, scope: 'key' } }))
    h.send('a', 1, 0)
    h.commit()
    h.send('a', 30, 0) // closes [0,10) by stream time
    assert.deepEqual(keysOf(h.commit()).sort(), ['a|0', 'a|30', '|meta'])
  })

  it('an entry stream time has passed is tombstoned, and a restore from the compacted changelog holds none', () => {
    const h = new Harness(topologyOf({ idle: { afterMs: 100, scope: 'key' } }))
    h.send('a', 1, 0)
    h.task.tick(100)
    h.commit()
    assert.equal(h.task.aggregator.store.closedUntilSize, 1)
    h.send('b', 20, 200) // stream time 20 passes 10 + 5: a's entry is pruned
    const batch = h.commit()
    assert.equal(h.task.aggregator.store.closedUntilSize, 0)
    const tombstone = batch.find((r) => r.key!.toString() === '\u0000closed\u0000a')
    assert.ok(tombstone, 'the pruned entry is tombstoned')
    assert.equal(tombstone.value, null)
    // Compaction keeps the last record per key.
    const compact = (log: ProducerRecord[]) => [...new Map(log.map((r) => [r.key!.toString(), r])).values()]
    assert.equal(h.restart(300, compact).closedUntilSize, 0)
    assert.equal(h.send('a', 3, 300), true, 'stream time alone judges it late')
  })

  it('an entry set and pruned between two commits writes nothing', () => {
    const h = new Harness(topologyOf({ idle: { afterMs: 100, scope: 'key' } }))
    h.send('a', 1, 0)
    h.commit()
    h.task.tick(100)
    h.send('b', 31, 200)
    assert.ok(!keysOf(h.commit()).some((k) => k.startsWith('|closed')))
  })

  it('a changelog without closed-until records (an older one) restores its windows as before', () => {
    const h = new Harness(topologyOf({ idle: { afterMs: 100, scope: 'key' } }))
    h.send('a', 1, 0)
    h.send('b', 2, 0)
    h.task.tick(100)
    h.send('c', 3, 150)
    const store = h.restart(200, (log) => log.filter((r) => !r.key!.toString().startsWith('\u0000closed')))
    assert.deepEqual(
      [...store.all()].map((w) => `${w.key}@${w.start}`),
      ['c@0'],
    )
    assert.equal(store.streamTime, 3)
    assert.equal(store.closedUntilSize, 0)
  })

  it('rejects a closed-until record that is not one', () => {
    assert.throws(
      () =>
        restoreFromChangelog(
          new WindowStore<Agg>(),
          [{ key: Buffer.from('\u0000closed\u0000a'), value: Buffer.from('{"closedUntil":"x"}') }],
          serde,
        ),
      /Unreadable changelog record/,
    )
  })
})
