/** Reads a topic incrementally (read_committed, each partition from where the last poll stopped). */
import type { ConsumedRecord, KafkaClient } from '@isobar/core'

export class TopicTail {
  readonly records: ConsumedRecord[] = []
  readonly #kafka: KafkaClient
  readonly #topic: string
  readonly #next = new Map<number, bigint>()

  constructor(kafka: KafkaClient, topic: string, partitions: number) {
    this.#kafka = kafka
    this.#topic = topic
    for (let p = 0; p < partitions; p++) this.#next.set(p, 0n)
  }

  /** Reads every partition up to its last stable offset now; resolves the records read by this poll. */
  async poll(timeoutMs = 30_000): Promise<ConsumedRecord[]> {
    const fresh: ConsumedRecord[] = []
    for (const [partition, fromOffset] of this.#next) {
      const { nextOffset } = await this.#kafka.readCommitted({
        topic: this.#topic,
        partition,
        fromOffset,
        timeoutMs,
        onRecords: (records) => fresh.push(...records),
      })
      this.#next.set(partition, nextOffset)
    }
    this.records.push(...fresh)
    return fresh
  }
}
