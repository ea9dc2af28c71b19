import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ConsumedRecord } from '@isobar/core'
import { WindowedAggregator } from '../src/aggregator.ts'
import { WindowStore } from '../src/store.ts'
import { StreamTask } from '../src/task.ts'
import type { WindowedTopology } from '../src/topology.ts'
import { tumbling } from '../src/windows.ts'
import { sumAggregation, type Agg } from './batch.ts'

describe('WindowedAggregator progress (the watermark an upstream stage publishes)', () => {
  it('is the earliest open window, else the earliest window a record that is not late could open', () => {
    const agg = new WindowedAggregator<number, Agg>({
      windows: tumbling({ sizeMs: 10, graceMs: 5 }),
      aggregation: sumAggregation,
      emit: 'final',
      idle: { afterMs: 100, scope: 'key' },
    })
    assert.deepEqual(agg.progress(0), { time: Number.NEGATIVE_INFINITY, idle: true }, 'nothing seen, silent: idle')
    agg.process('a', 12, 1, 0)
    agg.process('b', 33, 1, 0)
    // Stream time 33 closed [10,20) (at 25); [30,40) is open, and a record down to 33 - 10 - 5 + 1 is not late.
    assert.deepEqual(agg.progress(0), { time: 19, idle: false })
    agg.process('b', 47, 1, 0) // closes [30,40) at 45; [40,50) opens
    // Conservative (not aligned to window starts): no window starting before 33 can still be emitted.
    assert.equal(agg.progress(0).time, 33)
    assert.deepEqual(agg.tick(1000).length, 1, 'idle key closes')
    assert.deepEqual(agg.progress(1000), { time: 33, idle: true })
  })

  it('in watermark mode only advanceTo moves stream time; flush closes everything', () => {
    const agg = new WindowedAggregator<number, Agg>({
      windows: tumbling({ sizeMs: 10 }),
      aggregation: sumAggregation,
      emit: 'final',
      eventTime: 'watermarks',
    })
    assert.deepEqual(agg.process('a', 5, 1, 0).results, [])
    assert.deepEqual(agg.process('a', 25, 1, 0).results, [], 'a later record does not close [0,10)')
    assert.deepEqual(
      agg.advanceTo(10).map((r) => r.start),
      [0],
    )
    assert.equal(agg.process('a', 7, 1, 0).late, true, 'behind the watermark is late')
    assert.deepEqual(
      agg.flush().map((r) => r.start),
      [20],
    )
    assert.equal(agg.streamTime, 10, 'flush leaves stream time')
  })
})

describe('StreamTask.observeWatermark', () => {
  const topology: WindowedTopology<number, Agg> = {
    applicationId: 'wm',
    inputTopics: ['in'],
    outputTopic: 'out',
    parse: () => null,
    windows: tumbling({ sizeMs: 10 }),
    aggregation: sumAggregation,
    emit: 'final',
    eventTime: 'watermarks',
  }
  const record = (offset: number): ConsumedRecord => ({
    topic: 'in',
    partition: 0,
    offset: BigInt(offset),
    key: null,
    value: null,
    headers: {},
    timestamp: 0,
  })
  const newTask = () =>
    new StreamTask<number, Agg>(0, topology, { encode: (v) => v, decode: (j) => j as Agg }, () => [], new WindowStore())

  it('waits for every upstream partition, then follows the slowest non-idle one', () => {
    const task = newTask()
    task.process(record(0), [{ key: 'k', value: 1, timestamp: 5 }], 0)
    task.process(record(1), [{ key: 'k', value: 1, timestamp: 15 }], 0)
    task.observeWatermark(record(2), { source: 0, sources: 2, time: 30, idle: false })
    assert.equal(task.aggregator.streamTime, Number.NEGATIVE_INFINITY, 'source 1 not heard from yet')
    task.observeWatermark(record(3), { source: 1, sources: 2, time: 12, idle: false })
    assert.equal(task.aggregator.streamTime, 12, 'the slowest source')
    assert.equal(task.aggregator.store.size, 1, '[0,10) closed, [10,20) open')
    task.observeWatermark(record(4), { source: 1, sources: 2, time: 0, idle: true })
    assert.equal(task.aggregator.streamTime, 30, 'an idle source no longer holds the others back')
    assert.equal(task.aggregator.store.size, 0)
  })

  it('closes everything without moving stream time when every upstream is idle', () => {
    const task = newTask()
    task.process(record(0), [{ key: 'k', value: 1, timestamp: 5 }], 0)
    task.observeWatermark(record(1), { source: 0, sources: 1, time: Number.NEGATIVE_INFINITY, idle: true })
    assert.equal(task.aggregator.store.size, 0)
    assert.equal(task.aggregator.streamTime, Number.NEGATIVE_INFINITY)
    assert.equal(task.takeBatch().offsets.at(-1)?.offset, 1n, 'the watermark record counts as consumed')
  })
})
