/**
 * The fan-out: feeds publish events once, the hub numbers them, keeps them in a bounded ring (for Last-Event-ID
 * resume) and in the history view (for new clients), and offers them to every connected client. Nothing here
 * knows Kafka, so the unit tests drive it with fake sinks.
 */
import { randomBytes } from 'node:crypto'
import { formatEvent, LiveClient } from './client.ts'
import { HistoryView, type HistoryOptions } from './history.ts'
import type { EventSink, LiveEvent, LiveFilter } from './types.ts'

export interface LiveHubOptions {
  /** Events kept for resuming clients. Default 10,000. */
  resumeEvents?: number
  history?: HistoryOptions
  maxPendingKeysPerClient?: number
  /** Stable id for tests; random by default, so ids of an earlier server process never resume here. */
  bootId?: string
}

export type NewLiveEvent = Omit<LiveEvent, 'seq'>

export interface HubStats {
  clients: number
  published: number
  ringEvents: number
  historyKeys: number
  historyPoints: number
}

export class LiveHub {
  readonly bootId: string
  readonly history: HistoryView
  readonly #ring: LiveEvent[] = []
  readonly #ringCapacity: number
  readonly #clients = new Set<LiveClient>()
  readonly #maxPendingKeys: number
  #seq = 0

  constructor(options: LiveHubOptions = {}) {
    this.bootId = options.bootId ?? randomBytes(4).toString('hex')
    this.#ringCapacity = options.resumeEvents ?? 10_000
    this.#maxPendingKeys = options.maxPendingKeysPerClient ?? 20_000
    this.history = new HistoryView(options.history)
  }

  get clients(): ReadonlySet<LiveClient> {
    return this.#clients
  }

  stats(): HubStats {
    return {
      clients: this.#clients.size,
      published: this.#seq,
      ringEvents: this.#ring.length,
      historyKeys: this.history.keys,
      historyPoints: this.history.points,
    }
  }

  publish(input: NewLiveEvent, position?: number): LiveEvent {
    const event: LiveEvent = { ...input, seq: ++this.#seq }
    this.#ring.push(event)
    if (this.#ring.length > this.#ringCapacity) this.#ring.splice(0, this.#ring.length - this.#ringCapacity)
    this.history.add(event, position)
    for (const client of this.#clients) client.offer(event)
    return event
  }

  /** Adds an older event (the start-up backfill) to the history view only: no id of its own, not fanned out. */
  remember(input: NewLiveEvent, position?: number): void {
    this.history.add({ ...input, seq: 0 }, position)
  }

  /**
   * Connects a client. With a Last-Event-ID of this hub still inside the ring, it gets exactly the events it
   * missed (conflated if it is slow); otherwise the history view. Then a `ready` event carrying the current id.
   */
  connect(sink: EventSink, filter: LiveFilter, lastEventId?: string): { client: LiveClient; resumed: boolean } {
    const client = new LiveClient({
      sink,
      filter,
      bootId: this.bootId,
      maxPendingKeys: this.#maxPendingKeys,
      onClose: (c) => this.#clients.delete(c),
    })
    client.writeRaw('retry: 2000\n\n')
    const missed = this.#missedSince(lastEventId)
    if (missed) {
      for (const event of missed) client.offer(event)
    } else {
      for (const event of this.history.snapshot(filter)) client.writeRaw(formatEvent(this.bootId, event))
    }
    const ready = { resumed: missed !== undefined, seq: this.#seq, bootId: this.bootId }
    client.writeRaw(formatEvent(this.bootId, { seq: this.#seq, type: 'ready', data: JSON.stringify(ready) }))
    if (!client.closed) this.#clients.add(client)
    return { client, resumed: missed !== undefined }
  }

  /** Heartbeat comment to every client that is keeping up (keeps proxies and the browser from timing out). */
  heartbeat(): void {
    for (const client of this.#clients) client.writeRaw(': ping\n\n', { skipWhenBlocked: true })
  }

  closeAll(): void {
    for (const client of [...this.#clients]) client.close()
  }

  #missedSince(lastEventId: string | undefined): LiveEvent[] | undefined {
    if (!lastEventId) return undefined
    const match = /^([0-9a-f]+)\.(\d+)$/.exec(lastEventId)
    if (!match || match[1] !== this.bootId) return undefined
    const seq = Number(match[2])
    if (seq > this.#seq) return undefined
    const first = this.#ring[0]
    // Resumable only when nothing after `seq` has left the ring yet.
    if (first && first.seq > seq + 1) return undefined
    if (!first && seq !== this.#seq) return undefined
    return this.#ring.filter((e) => e.seq > seq)
  }
}
