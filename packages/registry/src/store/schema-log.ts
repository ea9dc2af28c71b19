/**
 * The port to the `_schemas` log: an ordered, durable sequence of key/value records (null value = tombstone).
 * The Kafka implementation lives in kafka-log.ts; `MemorySchemaLog` serves unit tests (several registries may
 * share one to act as instances of one cluster).
 */

export interface LogRecord {
  key: Buffer
  value: Buffer | null
  offset: bigint
  /** Milliseconds since the epoch. */
  timestamp: number
}

export interface SchemaLog {
  /** Appends one record; resolves with its offset once durable. */
  append(key: Buffer, value: Buffer | null): Promise<{ offset: bigint }>
  /**
   * Delivers every record from the beginning, in offset order, then keeps tailing. Resolves once the records
   * that existed when it was called have been delivered (the caller is then caught up).
   */
  subscribe(onRecord: (record: LogRecord) => void): Promise<void>
  /** The offset the next appended record will get (so everything before it must be read to be caught up). */
  endOffset(): Promise<bigint>
  close(): Promise<void>
}

export class MemorySchemaLog implements SchemaLog {
  records: LogRecord[] = []
  #next = 0n
  readonly #subscribers = new Set<(record: LogRecord) => void>()
  #closed = false
  readonly #deliveryDelayMs: number

  /**
   * `latencyMs` delays both the landing of an appended record and its delivery to readers (like network hops),
   * so writers on different instances really race.
   */
  constructor(options: { latencyMs?: number } = {}) {
    this.#deliveryDelayMs = options.latencyMs ?? 0
  }

  async append(key: Buffer, value: Buffer | null): Promise<{ offset: bigint }> {
    if (this.#closed) throw new Error('log closed')
    if (this.#deliveryDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.#deliveryDelayMs))
    const record: LogRecord = {
      key: Buffer.from(key),
      value: value && Buffer.from(value),
      offset: this.#next++,
      timestamp: Date.now(),
    }
    this.records.push(record)
    const subscribers = [...this.#subscribers]
    const deliver = (): void => {
      for (const onRecord of subscribers) onRecord(record)
    }
    if (this.#deliveryDelayMs > 0) setTimeout(deliver, this.#deliveryDelayMs)
    else {
      await Promise.resolve()
      deliver()
    }
    return { offset: record.offset }
  }

  async subscribe(onRecord: (record: LogRecord) => void): Promise<void> {
    for (const record of this.records) onRecord(record)
    this.#subscribers.add(onRecord)
    await Promise.resolve()
  }

  endOffset(): Promise<bigint> {
    return Promise.resolve(this.#next)
  }

  close(): Promise<void> {
    this.#subscribers.clear()
    return Promise.resolve()
  }

  /** Closes this log for every user (simulates a lost broker). */
  shutDown(): void {
    this.#closed = true
  }

  /** Log compaction as Kafka does it: keep the last record per key (tombstones too, unless `dropTombstones`). */
  compact(dropTombstones = false): void {
    const last = new Map<string, bigint>()
    for (const r of this.records) last.set(r.key.toString('hex'), r.offset)
    this.records = this.records.filter(
      (r) => last.get(r.key.toString('hex')) === r.offset && (!dropTombstones || r.value !== null),
    )
  }
}
