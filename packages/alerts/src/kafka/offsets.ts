import type { ConsumedRecord } from '@isobar/core'

type Position = Pick<ConsumedRecord, 'topic' | 'partition' | 'offset'>

interface Entry {
  offset: bigint
  /** Alert events of this record not yet acknowledged by Kafka. */
  unacknowledged: number
}

/**
 * Which input offsets may be committed: a record counts once every alert event it caused is acknowledged, and a
 * partition's offset advances only over a run of such records (offset order), so a record whose event is still in
 * flight, or was never delivered, holds back every later one of its partition.
 */
export class OffsetTracker {
  readonly #partitions = new Map<
    string,
    { topic: string; partition: number; entries: Entry[]; ready?: bigint; done?: bigint }
  >()
  #size = 0

  /** Records tracked and not yet counted by `committable`. */
  get size(): number {
    return this.#size
  }

  /** Tracks a record that caused `events` alert events; returns the handle to acknowledge each of them. */
  add(record: Position, events: number): () => void {
    const id = `${record.topic}:${record.partition}`
    let partition = this.#partitions.get(id)
    if (!partition) {
      partition = { topic: record.topic, partition: record.partition, entries: [] }
      this.#partitions.set(id, partition)
    }
    const entry: Entry = { offset: record.offset, unacknowledged: events }
    partition.entries.push(entry)
    this.#size++
    return () => {
      entry.unacknowledged--
    }
  }

  /** The latest fully handled record per partition not yet marked `committed` (to pass to `commit`). */
  committable(): Position[] {
    const result: Position[] = []
    for (const p of this.#partitions.values()) {
      let last: bigint | undefined
      let n = 0
      while (n < p.entries.length && p.entries[n]!.unacknowledged <= 0) last = p.entries[n++]!.offset
      if (n > 0) {
        p.entries.splice(0, n)
        this.#size -= n
      }
      if (last !== undefined) p.ready = last
      if (p.ready !== undefined && (p.done === undefined || p.ready > p.done)) {
        result.push({ topic: p.topic, partition: p.partition, offset: p.ready })
      }
    }
    return result
  }

  /** Marks positions from `committable` as committed. */
  committed(positions: readonly Position[]): void {
    for (const p of positions) {
      const partition = this.#partitions.get(`${p.topic}:${p.partition}`)
      if (partition && (partition.done === undefined || p.offset > partition.done)) partition.done = p.offset
    }
  }
}
