import type { ConsumedRecord, ProducerRecord } from '@isobar/core'
import { WindowedAggregator, type WindowResult } from './aggregator.ts'
import { encodeDrained, type AggregateSerde, type WindowStore } from './store.ts'
import { KeyValueTable } from './table.ts'
import {
  changelogTopicOf,
  type OutputRecord,
  type ParsedRecord,
  type Watermark,
  type WindowedTopology,
} from './topology.ts'

export const LATE_HEADER = 'isobar-late'

export type RecordPosition = Pick<ConsumedRecord, 'topic' | 'partition' | 'offset'>

/** A poison record's dead letter, written in the same commit as the offsets that move past the poison record. */
export interface DeadLetter {
  source: RecordPosition
  record: ProducerRecord
}

/** What one task hands to a commit: produced records (outputs, late copies, changelog) and consumed positions. */
export interface TaskBatch {
  records: ProducerRecord[]
  /** Sent one per request: a dead letter may be close to its topic's size limit. */
  deadLetters: DeadLetter[]
  offsets: RecordPosition[]
}

/** One partition's processing: its aggregator, its store, and what is pending until the next commit. */
export class StreamTask<V, A> {
  readonly partition: number
  readonly aggregator: WindowedAggregator<V, A>
  /** Per-key state before windowing (topology.state), restored with the windows. */
  readonly table: KeyValueTable
  readonly #topology: WindowedTopology<V, A>
  readonly #serde: AggregateSerde<A>
  readonly #toOutput: (result: WindowResult<A>) => OutputRecord | OutputRecord[]
  #pending: ProducerRecord[] = []
  #deadLetters: DeadLetter[] = []
  readonly #offsets = new Map<string, Pick<ConsumedRecord, 'topic' | 'partition' | 'offset'>>()

  constructor(
    partition: number,
    topology: WindowedTopology<V, A>,
    serde: AggregateSerde<A>,
    toOutput: (result: WindowResult<A>) => OutputRecord | OutputRecord[],
    store: WindowStore<A>,
    table = new KeyValueTable(),
  ) {
    this.partition = partition
    this.table = table
    this.#topology = topology
    this.#serde = serde
    this.#toOutput = toOutput
    this.aggregator = new WindowedAggregator<V, A>({
      windows: topology.windows,
      aggregation: topology.aggregation,
      emit: topology.emit,
      ...(topology.idle ? { idle: topology.idle } : {}),
      ...(topology.maxWindowsPerPartition ? { maxWindows: topology.maxWindowsPerPartition } : {}),
      ...(topology.eventTime ? { eventTime: topology.eventTime } : {}),
      store,
    })
  }

  get pendingCount(): number {
    return this.#pending.length + this.#deadLetters.length + this.#offsets.size
  }

  /** A poison record: its dead letter (if any) goes out with the commit that moves past it. */
  deadLetter(record: ConsumedRecord, deadLetter: ProducerRecord | undefined): void {
    if (deadLetter) {
      this.#deadLetters.push({
        source: { topic: record.topic, partition: record.partition, offset: record.offset },
        record: deadLetter,
      })
    }
    this.markConsumed(record)
  }

  /** Folds the parsed parts of one record in; returns whether any was late (the record is copied once). */
  process(record: ConsumedRecord, parts: ReadonlyArray<ParsedRecord<V>>, now: number): boolean {
    let late = false
    const state = this.#topology.state
    for (const part of parts) {
      const timestamp = part.timestamp ?? record.timestamp
      const value = state ? state.apply(part, timestamp, this.table) : part.value
      const result = this.aggregator.process(part.key, timestamp, value, now)
      this.#emit(result.results)
      late ||= result.late
    }
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
    this.#publishProgress(now)
  }

  #lastProgress: { time: number; idle: boolean; at: number } | undefined

  #publishProgress(now: number): void {
    const publish = this.#topology.progress
    if (!publish) return
    const { time, idle } = this.aggregator.progress(now)
    const last = this.#lastProgress
    const heartbeat = this.#topology.progressIntervalMs ?? 5000
    if (last && last.time === time && last.idle === idle && now - last.at < heartbeat) return
    this.#lastProgress = { time, idle, at: now }
    for (const record of publish({ partition: this.partition, time, idle })) this.#push(record)
  }

  // Watermark mode: the latest progress of each upstream partition seen on this input partition.
  readonly #upstream = new Map<number, { time: number; idle: boolean }>()

  /** An upstream watermark: stream time moves to the slowest active upstream once every upstream reported. */
  observeWatermark(record: ConsumedRecord, mark: Watermark['watermark']): void {
    this.#upstream.set(mark.source, { time: mark.time, idle: mark.idle })
    this.markConsumed(record)
    if (this.#upstream.size < mark.sources) return
    let time = Number.POSITIVE_INFINITY
    for (const upstream of this.#upstream.values()) if (!upstream.idle && upstream.time < time) time = upstream.time
    // Every upstream idle: close what is open (stream time stays, so what comes later is judged by it).
    this.#emit(time === Number.POSITIVE_INFINITY ? this.aggregator.flush() : this.aggregator.advanceTo(time))
  }

  #emit(results: WindowResult<A>[]): void {
    for (const result of results) {
      const out = this.#toOutput(result)
      for (const record of Array.isArray(out) ? out : [out]) this.#push(record)
    }
  }

  #push(record: OutputRecord): void {
    this.#pending.push({
      topic: record.topic ?? this.#topology.outputTopic,
      key: record.key,
      value: record.value,
      ...(record.partition === undefined ? {} : { partition: record.partition }),
      ...(record.headers ? { headers: record.headers } : {}),
    })
  }

  /**
   * Takes everything pending, plus one changelog record per window changed since the last batch (and per key
   * whose closed-until entry changed, and the stream time when it moved).
   */
  takeBatch(): TaskBatch {
    const changelog = changelogTopicOf(this.#topology)
    const records = this.#pending
    for (const change of encodeDrained(this.aggregator.store.drain(), this.#serde))
      records.push({ topic: changelog, partition: this.partition, ...change })
    const state = this.#topology.state
    if (state) {
      for (const change of this.table.drain(state.serialize))
        records.push({ topic: changelog, partition: this.partition, ...change })
    }
    const offsets = [...this.#offsets.values()]
    const deadLetters = this.#deadLetters
    this.#pending = []
    this.#deadLetters = []
    this.#offsets.clear()
    return { records, deadLetters, offsets }
  }
}
