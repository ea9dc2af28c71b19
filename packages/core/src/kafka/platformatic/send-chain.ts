/**
 * Workaround (@platformatic/kafka 2.12.1): concurrent `send()`s of an idempotent producer can land out of order.
 * Each send retries on its own timer, so after a broker restart a later batch may reach the broker first; the
 * broker answers OUT_OF_ORDER_SEQUENCE_NUMBER, the client "recovers" with a new producer id and writes that later
 * batch, then the earlier one: a key's records reordered (seen here: one station's sequence out of order after a
 * broker crash and restart, every send acknowledged). Related upstream, same root (concurrent idempotent sends):
 * https://github.com/platformatic/kafka/issues/326.
 * Repro and the check that tells when this can go: packages/weather-streamer/test/publisher-restart.test.ts with
 * PlatformaticProducer skipping the chain. The reorder is a race: without the chain it broke one station's order in
 * one of two runs here; with it, only one send is ever outstanding, so order no longer depends on timing. The
 * client already sends one request at a time per connection when idempotent (maxInflights 1): chaining costs little.
 */
export class SendChain {
  #tail: Promise<unknown> = Promise.resolve()
  #failed: unknown
  #generation = 0

  /** Runs `send` after every earlier one settled; rejects without sending when an earlier one failed meanwhile. */
  run<T>(send: () => Promise<T>): Promise<T> {
    const generation = this.#generation
    const result = this.#tail.then(() => {
      // Writing this batch after an earlier one failed for good would put it ahead of the failed records.
      if (this.#generation !== generation) throw new SendAbandonedError(this.#failed)
      return send().catch((error: unknown) => {
        this.#failed = error
        this.#generation++
        throw error
      })
    })
    this.#tail = result.catch(() => undefined)
    return result
  }
}

/** A batch not sent because an earlier batch of the same producer failed for good (keeps per-key order). */
export class SendAbandonedError extends Error {
  readonly canRetry = false
  constructor(cause: unknown) {
    super('not sent: an earlier batch of this producer failed for good', { cause })
    this.name = 'SendAbandonedError'
  }
}
