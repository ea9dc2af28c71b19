import type { DeliveryReport, Producer, ProducerRecord } from './types.ts'

export interface BatchingProducerOptions {
  /** Records per produce request. */
  maxRecords: number
  /** Approximate bytes (keys + values) per produce request. */
  maxBytes: number
  /** How long a partial batch waits for more records. */
  lingerMs: number
  /** Produce requests awaiting acknowledgement at once; beyond it `produce` asks callers to wait. */
  maxInFlight: number
}

/** Called once per record: `error` null when its batch was acknowledged, with that batch's per-partition reports. */
export type DeliveryCallback = (error: Error | null, batchReports: readonly DeliveryReport[]) => void

export interface BatchingStats {
  sent: number
  acknowledged: number
  failed: number
  batches: number
}

/**
 * Accumulates records into batches and pipelines them with bounded in-flight requests, like the Java producer's
 * accumulator: no await per record, one delivery callback per record, `flush()` waits for everything.
 */
export class BatchingProducer {
  readonly #producer: Producer
  readonly #options: BatchingProducerOptions
  #records: ProducerRecord[] = []
  #callbacks: Array<DeliveryCallback | undefined> = []
  #bytes = 0
  #timer: NodeJS.Timeout | undefined
  #inFlight = 0
  #waiters: Array<() => void> = []
  #idleWaiters: Array<() => void> = []
  readonly stats: BatchingStats = { sent: 0, acknowledged: 0, failed: 0, batches: 0 }

  constructor(producer: Producer, options: BatchingProducerOptions) {
    this.#producer = producer
    this.#options = options
  }

  /** Queues one record. Returns false when the caller should `await ready()` before producing more. */
  produce(record: ProducerRecord, onDelivery?: DeliveryCallback): boolean {
    this.#records.push(record)
    this.#callbacks.push(onDelivery)
    this.#bytes += (record.value?.length ?? 0) + (record.key?.length ?? 0)
    this.stats.sent++
    if (this.#records.length >= this.#options.maxRecords || this.#bytes >= this.#options.maxBytes) {
      this.#dispatch()
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => this.#dispatch(), this.#options.lingerMs)
    }
    return this.#inFlight < this.#options.maxInFlight
  }

  /** Resolves once fewer than maxInFlight requests are outstanding (back-pressure). */
  ready(): Promise<void> {
    if (this.#inFlight < this.#options.maxInFlight) return Promise.resolve()
    return new Promise((resolve) => this.#waiters.push(resolve))
  }

  /** Sends whatever is queued and resolves when every record sent so far is acknowledged or failed. */
  async flush(): Promise<void> {
    this.#dispatch()
    if (this.#inFlight === 0) return
    await new Promise<void>((resolve) => this.#idleWaiters.push(resolve))
  }

  #dispatch(): void {
    if (this.#timer) {
      clearTimeout(this.#timer)
      this.#timer = undefined
    }
    if (this.#records.length === 0) return
    const records = this.#records
    const callbacks = this.#callbacks
    this.#records = []
    this.#callbacks = []
    this.#bytes = 0
    this.#inFlight++
    this.stats.batches++
    this.#producer.send(records).then(
      (reports) => this.#settle(callbacks, null, reports),
      (error: unknown) => this.#settle(callbacks, error instanceof Error ? error : new Error(String(error)), []),
    )
  }

  #settle(callbacks: Array<DeliveryCallback | undefined>, error: Error | null, reports: DeliveryReport[]): void {
    this.#inFlight--
    if (error) this.stats.failed += callbacks.length
    else this.stats.acknowledged += callbacks.length
    for (const cb of callbacks) cb?.(error, reports)
    while (this.#inFlight < this.#options.maxInFlight && this.#waiters.length > 0) this.#waiters.shift()!()
    if (this.#inFlight === 0 && this.#records.length === 0) {
      const idle = this.#idleWaiters
      this.#idleWaiters = []
      for (const resolve of idle) resolve()
    }
  }
}
