import type { ConsumedRecord, ProducerRecord } from '@isobar/core'
import { WindowedAggregator, type WindowResult } from './aggregator.ts'
import { encodeChange, encodeStreamTime, type AggregateSerde, type WindowStore } from './store.ts'
import { changelogTopicOf, type OutputRecord, type WindowedTopology } from './topology.ts'

export const LATE_HEADER = 'isobar-late'

/** What one task hands to a commit: produced records (outputs, late copies, changelog) and consumed positions. */
export interface TaskBatch {
  records: ProducerRecord[]
  offsets: Array<Pick<ConsumedRecord, 'topic' | 'partition' | 'offset'>>
}

/** One partition's processing: its aggregator, its store, and what is pending until the next commit. */
export class StreamTask<V, A> {
  readonly partition: number
  readonly aggregator: WindowedAggregator<V, A>
  readonly #topology: WindowedTopology<V, A>
  readonly #serde: AggregateSerde<A>
  readonly #toOutput: (result: WindowResult<A>) => OutputRecord
  #pending: ProducerRecord[] = []
  readonly #offsets = new Map<string, Pick<ConsumedRecord, 'topic' | 'partition' | 'offset'>>()

  constructor(
    partition: number,
    topology: WindowedTopology<V, A>,
    serde: AggregateSerde<A>,
    toOutput: (result: WindowResult<A>) => OutputRecord,
    store: WindowStore<A>,
  ) {
    this.partition = partition
    this.#topology = topology
    this.#serde = serde
    this.#toOutput = toOutput
    this.aggregator = new WindowedAggregator<V, A>({
      windows: topology.windows,
      aggregation: topology.aggregation,
      emit: topology.emit,
      ...(topology.idle ? { idle: topology.idle } : {}),
      ...(topology.maxWindowsPerPartition ? { maxWindows: topology.maxWindowsPerPartition } : {}),
      store,
    })
  }

  get pendingCount(): number {
    return this.#pending.length + this.#offsets.size
  }

  /** Folds a parsed record in; returns whether it was late. */
  process(record: ConsumedRecord, key: string, value: V, timestamp: number, now: number): boolean {
    const { results, late } = this.aggregator.process(key, timestamp, value, now)
    this.#emit(results)
    if (late && this.#topology.lateTopic) {
      this.#pending.push({
        topic: this.#topology.lateTopic,
        key: record.key,
        value: record.value,
        headers: {
          ...record.headers,
          [LATE_HEADER]: Buffer.from(`${record.topic}/${record.partition}/${record.offset}`),
        },
        timestamp: record.timestamp,
      })
    }
    this.markConsumed(record)
    return late
  }

  /** A record that produced nothing (skipped or poison) still moves the committed position. */
  markConsumed(record: Pick<ConsumedRecord, 'topic' | 'partition' | 'offset'>): void {
    this.#offsets.set(record.topic, { topic: record.topic, partition: record.partition, offset: record.offset })
  }

  tick(now: number): void {
    this.#emit(this.aggregator.tick(now))
  }

  #emit(results: WindowResult<A>[]): void {
    for (const result of results) {
      const out = this.#toOutput(result)
      this.#pending.push({
        topic: this.#topology.outputTopic,
        key: out.key,
        value: out.value,
        ...(out.headers ? { headers: out.headers } : {}),
      })
    }
  }

  /** Takes everything pending, plus one changelog record per window changed since the last batch. */
  takeBatch(): TaskBatch {
    const changelog = changelogTopicOf(this.#topology)
    const { changes, streamTime } = this.aggregator.store.drain()
    const records = this.#pending
    for (const change of changes)
      records.push({ topic: changelog, partition: this.partition, ...encodeChange(change, this.#serde) })
    if (streamTime !== null)
      records.push({ topic: changelog, partition: this.partition, ...encodeStreamTime(streamTime) })
    const offsets = [...this.#offsets.values()]
    this.#pending = []
    this.#offsets.clear()
    return { records, offsets }
  }
}
