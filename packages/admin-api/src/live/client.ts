/**
 * One connected browser. Events are written straight through while the socket keeps up; once a write reports a
 * full buffer the client stops writing and keeps only the newest event per conflation key until 'drain'. So a
 * slow client costs at most one pending event per key it subscribes to, never a growing queue, and it still ends
 * up with the latest value of everything it shows.
 */
import { matches } from './filter.ts'
import type { EventSink, LiveEvent, LiveFilter } from './types.ts'

export interface LiveClientOptions {
  sink: EventSink
  filter: LiveFilter
  bootId: string
  /** A client that would hold more distinct pending keys than this is disconnected (it reconnects and resumes). */
  maxPendingKeys?: number
  onClose?: (client: LiveClient) => void
}

export function formatEvent(bootId: string, event: { seq: number; type: string; data: string }): string {
  return `id: ${bootId}.${event.seq}\nevent: ${event.type}\ndata: ${event.data}\n\n`
}

export class LiveClient {
  readonly filter: LiveFilter
  readonly #sink: EventSink
  readonly #bootId: string
  readonly #maxPendingKeys: number
  readonly #onClose: ((client: LiveClient) => void) | undefined
  readonly #pending = new Map<string, LiveEvent>()
  #blocked = false
  #closed = false
  /** Events superseded while the client was blocked (for metrics and tests). */
  conflated = 0
  sent = 0

  constructor(options: LiveClientOptions) {
    this.filter = options.filter
    this.#sink = options.sink
    this.#bootId = options.bootId
    this.#maxPendingKeys = options.maxPendingKeys ?? 20_000
    this.#onClose = options.onClose
    options.sink.once('close', () => this.close())
  }

  get pendingKeys(): number {
    return this.#pending.size
  }

  get blocked(): boolean {
    return this.#blocked
  }

  get closed(): boolean {
    return this.#closed
  }

  /** Offers an event; ignored when the filter does not want it. */
  offer(event: LiveEvent): void {
    if (this.#closed || !matches(this.filter, event)) return
    if (this.#blocked) {
      if (this.#pending.delete(event.key)) this.conflated++
      this.#pending.set(event.key, event)
      if (this.#pending.size > this.#maxPendingKeys) this.close()
      return
    }
    this.#write(formatEvent(this.#bootId, event))
  }

  /**
   * Writes text as is: the history replay and the ready marker (bounded by the history view, so always written;
   * the socket buffers it) and heartbeats (skipped while blocked: data is on its way anyway).
   */
  writeRaw(text: string, options: { skipWhenBlocked?: boolean } = {}): void {
    if (this.#closed || (this.#blocked && options.skipWhenBlocked)) return
    if (this.#blocked) {
      this.#sink.write(text)
      return
    }
    this.#write(text, false)
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#pending.clear()
    try {
      this.#sink.end()
    } catch {
      // the socket is gone already
    }
    this.#onClose?.(this)
  }

  #write(text: string, counts = true): void {
    if (counts) this.sent++
    if (!this.#sink.write(text)) {
      this.#blocked = true
      this.#sink.once('drain', () => this.#flush())
    }
  }

  #flush(): void {
    if (this.#closed) return
    this.#blocked = false
    for (const [key, event] of this.#pending) {
      this.#pending.delete(key)
      this.#write(formatEvent(this.#bootId, event))
      if (this.#blocked) return
    }
  }
}
