/** Reads a topic incrementally (read_committed, each partition from where the last poll stopped). */
import type { ConsumedRecord, KafkaClient } from '@isobar/core'

export class TopicTail {
  readonly records: ConsumedRecord[] = []
  readonly #kafka: KafkaClient
  readonly #topic: string
  readonly #next = new Map<number, bigint>()
  /** Read, but not yet returned by a poll (an earlier poll failed on a later partition). */
  #unreturned: ConsumedRecord[] = []

  constructor(kafka: KafkaClient, topic: string, partitions: number) {
    this.#kafka = kafka
    this.#topic = topic
    for (let p = 0; p < partitions; p++) this.#next.set(p, 0n)
  }

  /**
   * Reads every partition up to its last stable offset now; resolves the records no poll returned before. A
   * partition whose read fails keeps its position (read again next time); those read before it keep their records,
   * returned by the next poll that succeeds.
   */
  async poll(timeoutMs = 30_000): Promise<ConsumedRecord[]> {
    for (const [partition, fromOffset] of this.#next) {
      const read: ConsumedRecord[] = []
      const { nextOffset } = await this.#kafka.readCommitted({
        topic: this.#topic,
        partition,
        fromOffset,
        timeoutMs,
        onRecords: (records) => read.push(...records),
      })
      this.#next.set(partition, nextOffset)
      this.records.push(...read)
      this.#unreturned.push(...read)
    }
    const fresh = this.#unreturned
    this.#unreturned = []
    return fresh
  }
}
