/**
 * Readings flowing the whole time: a seeded workload sent in small chunks at a steady pace, each send awaited
 * (acks=all, idempotent). A send that fails is retried as is until it succeeds, so the log keeps the workload's
 * order (nothing becomes late); a retried chunk may land twice, which the expected result reads from the log.
 * Every record carries a `chaos-id` header: a reading is acknowledged once its send resolved.
 */
import type { KafkaClient, Producer } from '@isobar/core'
import type { TestReading } from '../../test/analytics/helpers.ts'

export const ID_HEADER = 'chaos-id'

export interface LoadOptions {
  kafka: KafkaClient
  topic: string
  readings: readonly TestReading[]
  chunk: number
  paceMs: number
}

export class ReadingLoad {
  /** Ids (indexes into the workload) of the acknowledged readings. */
  readonly acked = new Set<number>()
  failedSends = 0
  /** Event time of the newest acknowledged reading. */
  newestAckedEventMs = 0
  readonly #o: LoadOptions
  #next = 0
  #stopped = false
  #loop: Promise<void> | undefined
  #producer: Producer

  constructor(options: LoadOptions) {
    this.#o = options
    this.#producer = options.kafka.producer({ idempotent: true })
  }

  get sent(): number {
    return this.#next
  }

  start(): void {
    this.#loop = this.#run()
  }

  /** Resolves once the load acknowledged a reading with event time at or past `eventMs` (false at timeout). */
  async reach(eventMs: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    while (this.newestAckedEventMs < eventMs) {
      if (Date.now() > deadline || this.#stopped) return false
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    return true
  }

  async stop(): Promise<void> {
    this.#stopped = true
    await this.#loop
    await this.#producer.close().catch(() => undefined)
  }

  async #run(): Promise<void> {
    const { readings, chunk, paceMs, topic } = this.#o
    while (!this.#stopped && this.#next < readings.length) {
      const from = this.#next
      const to = Math.min(readings.length, from + chunk)
      const records = readings.slice(from, to).map((r, i) => ({
        topic,
        key: Buffer.from(r.sensorId),
        value: Buffer.from(JSON.stringify(r)),
        headers: { [ID_HEADER]: Buffer.from(String(from + i)) },
      }))
      const started = Date.now()
      try {
        await this.#producer.send(records)
      } catch {
        // A fresh producer: the failed one may hold a sequence state the cluster no longer agrees with.
        this.failedSends++
        await this.#producer.close().catch(() => undefined)
        this.#producer = this.#o.kafka.producer({ idempotent: true })
        await new Promise((resolve) => setTimeout(resolve, 500))
        continue
      }
      for (let i = from; i < to; i++) {
        this.acked.add(i)
        this.newestAckedEventMs = Math.max(this.newestAckedEventMs, readings[i]!.eventTimeMs)
      }
      this.#next = to
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, paceMs - (Date.now() - started))))
    }
  }
}
