/**
 * The Kafka side of the live view: ONE consumer per live topic per server (no committed offsets: it starts at
 * the end), each record decoded once through the message decoder (the registry) and published to the hub; a
 * bounded backfill of the last hour fills the history view at start; and a lag poller publishes the
 * Burrow-style status of every consumer group. A failing consumer is logged once and retried with backoff.
 */
import {
  LagMonitor,
  describeCause,
  silentLogger,
  type Admin,
  type ConsumedRecord,
  type Consumer,
  type KafkaClient,
  type Logger,
  type MessageDecoder,
} from '@isobar/core'
import { LIVE_TOPICS, mapRecord, ZoneDirectory, type LiveTopicRole } from './events.ts'
import type { LiveHub } from './hub.ts'
import type { DecoderWarmup } from './schema-warmup.ts'

export interface LiveFeedOptions {
  kafka: KafkaClient
  admin: Admin
  decoder: MessageDecoder
  hub: LiveHub
  logger?: Logger
  /** Topic per role; defaults to LIVE_TOPICS. */
  topics?: Partial<Record<LiveTopicRole, string>>
  /** How far back the history view is filled at start. Default 1 hour; 0 = no backfill. */
  backfillMs?: number
  /** Records read per topic by the backfill at most. Default 50,000. */
  backfillMaxRecords?: number
  /** Lag poll interval. Default 5000 ms; 0 = no lag feed. */
  lagIntervalMs?: number
  /**
   * Readies the decoder for a topic's values at start (see schema-warmup.ts), so the first record does not wait for
   * a schema fetch and compile. Retried every second for the first minute (the subject usually appears when its
   * service starts, seconds after the console), then with backoff up to 30 s, until it succeeds or the feeds stop.
   */
  warmup?: DecoderWarmup
}

export interface FeedStats {
  records: number
  published: number
  skipped: number
  backfilled: number
  errors: number
  /** Topics whose decoder was readied at start. */
  warmed: number
}

const ANONYMOUS_GROUP = /^isobar-anonymous-/
const MAX_LAG_GROUPS = 50

export class LiveFeeds {
  readonly stats: FeedStats = { records: 0, published: 0, skipped: 0, backfilled: 0, errors: 0, warmed: 0 }
  readonly #options: LiveFeedOptions
  readonly #logger: Logger
  readonly #zones = new ZoneDirectory()
  readonly #consumers = new Set<Consumer>()
  readonly #loops: Array<Promise<void>> = []
  #lagMonitor: LagMonitor | undefined
  #lagTimer: NodeJS.Timeout | undefined
  #stopped = false
  #started = false

  constructor(options: LiveFeedOptions) {
    this.#options = options
    this.#logger = options.logger ?? silentLogger()
  }

  get started(): boolean {
    return this.#started
  }

  /** Starts the consumers, the backfill and the lag poller; idempotent. */
  start(): void {
    if (this.#started) return
    this.#started = true
    for (const role of Object.keys(LIVE_TOPICS) as LiveTopicRole[]) {
      const topic = this.#options.topics?.[role] ?? LIVE_TOPICS[role]
      this.#loops.push(this.#run(role, topic))
      // Not among the loops stop() waits for: it may be sleeping between tries, and wakes only to see it must end.
      if (this.#options.warmup) void this.#warm(topic, this.#options.warmup)
    }
    const lagMs = this.#options.lagIntervalMs ?? 5000
    if (lagMs > 0) this.#scheduleLag(0, lagMs)
  }

  async stop(): Promise<void> {
    this.#stopped = true
    if (this.#lagTimer) clearTimeout(this.#lagTimer)
    await this.#lagMonitor?.stop()
    await Promise.allSettled([...this.#consumers].map((c) => c.close()))
    // A closed consumer ends its iterator; bounded all the same, so a stuck fetch never holds shutdown.
    let timer: NodeJS.Timeout | undefined
    await Promise.race([Promise.allSettled(this.#loops), new Promise((resolve) => (timer = setTimeout(resolve, 3000)))])
    clearTimeout(timer)
  }

  async #run(role: LiveTopicRole, topic: string): Promise<void> {
    let delay = 1000
    let warned = false
    let backfilled = false
    while (!this.#stopped) {
      const consumer = this.#options.kafka.consumer({ topics: [topic], from: 'latest', readCommitted: true })
      this.#consumers.add(consumer)
      try {
        const iterator = consumer[Symbol.asyncIterator]()
        const first = iterator.next()
        if (!backfilled) {
          backfilled = true
          // After subscribing at the end, so nothing falls between the backfill and the live records.
          void this.#backfill(role, topic)
        }
        for (let next = await first; !next.done; next = await iterator.next()) {
          await this.#handle(role, next.value, false)
          delay = 1000
          warned = false
        }
      } catch (error) {
        if (this.#stopped) break
        this.stats.errors++
        const cause = describeCause(error)
        // A topic its service has not created yet is expected at start: said once, quietly, and polled often.
        const missing = /unknown topic/i.test(cause)
        if (!warned) {
          if (missing) this.#logger.info({ topic }, 'live feed: waiting for the topic to exist')
          else this.#logger.warn({ topic, err: cause }, 'live feed: consuming failed; retrying')
        }
        warned = true
        if (missing) delay = Math.min(delay, 2500)
      } finally {
        this.#consumers.delete(consumer)
        await consumer.close().catch(() => undefined)
      }
      if (this.#stopped) break
      await new Promise((resolve) => setTimeout(resolve, delay).unref())
      delay = Math.min(delay * 2, 30_000)
    }
  }

  /** Until the decoder is ready for the topic (its subject may be registered only once its service starts). */
  async #warm(topic: string, warmup: DecoderWarmup): Promise<void> {
    let delay = 1000
    for (let attempt = 1; !this.#stopped; attempt++) {
      try {
        await warmup(topic)
        this.stats.warmed++
        return
      } catch (error) {
        this.#logger.debug({ topic, err: describeCause(error) }, 'live feed: decoder not readied yet')
      }
      await new Promise((resolve) => setTimeout(resolve, delay).unref())
      if (attempt >= 60) delay = Math.min(delay * 2, 30_000)
    }
  }

  async #handle(role: LiveTopicRole, record: ConsumedRecord, backfill: boolean): Promise<void> {
    this.stats.records++
    if (record.value === null) return
    let decoded
    try {
      decoded = await this.#options.decoder.decode(record.value, { topic: record.topic, part: 'value' })
    } catch {
      this.stats.skipped++
      return
    }
    if (decoded.format !== 'json') {
      this.stats.skipped++
      return
    }
    const mapped = mapRecord(
      role,
      decoded.data,
      { ts: record.timestamp, ...(decoded.schemaId === undefined ? {} : { schemaId: decoded.schemaId }) },
      this.#zones,
    )
    if (!mapped) {
      this.stats.skipped++
      return
    }
    if (backfill) {
      this.stats.backfilled++
      this.#options.hub.remember(mapped.event, mapped.position)
    } else {
      this.stats.published++
      this.#options.hub.publish(mapped.event, mapped.position)
    }
  }

  async #backfill(role: LiveTopicRole, topic: string): Promise<void> {
    const backfillMs = this.#options.backfillMs ?? 3_600_000
    if (backfillMs <= 0) return
    const budget = { left: this.#options.backfillMaxRecords ?? 50_000 }
    try {
      const admin = this.#options.admin
      const since = Date.now() - backfillMs
      const [ends, starts] = await Promise.all([admin.listOffsets(topic), admin.offsetsForTimestamp(topic, since)])
      for (const end of ends) {
        let offset = starts.find((s) => s.partition === end.partition)?.offset ?? null
        if (offset === null) continue
        while (offset < end.latest && budget.left > 0 && !this.#stopped) {
          const result = await admin.readRecords({
            topic,
            partition: end.partition,
            from: { offset },
            limit: Math.min(2000, budget.left),
          })
          for (const record of result.records) {
            if (record.offset >= end.latest) break
            budget.left--
            await this.#handle(role, record, true)
          }
          if (result.nextOffset <= offset) break
          offset = result.nextOffset
        }
      }
    } catch (error) {
      this.#logger.debug({ topic, err: describeCause(error) }, 'live feed: no backfill')
    }
  }

  #scheduleLag(inMs: number, everyMs: number): void {
    if (this.#stopped) return
    this.#lagTimer = setTimeout(() => {
      void this.#pollLag().finally(() => this.#scheduleLag(everyMs, everyMs))
    }, inMs)
    this.#lagTimer.unref()
  }

  async #pollLag(): Promise<void> {
    try {
      const listed = await this.#options.admin.listGroups()
      const groups = listed
        .map((g) => g.groupId)
        .filter((g) => !ANONYMOUS_GROUP.test(g))
        .sort()
        .slice(0, MAX_LAG_GROUPS)
      if (this.#lagMonitor?.groups.join('\n') !== groups.join('\n')) {
        await this.#lagMonitor?.stop()
        this.#lagMonitor = new LagMonitor({ admin: this.#options.admin, groups, logger: this.#logger })
      }
      await this.#lagMonitor.sampleOnce()
      for (const group of this.#lagMonitor.snapshot()) {
        if (group.sampledAtMs === null) continue
        const lag = group.partitions.reduce((sum, p) => sum + Number(p.lag ?? 0n), 0)
        const lagSeconds = Math.max(0, ...group.partitions.map((p) => p.lagSeconds ?? 0))
        this.#options.hub.publish({
          type: 'lag',
          key: `lag|${group.group}`,
          scope: {},
          data: JSON.stringify({
            groupId: group.group,
            status: group.status,
            members: group.activeMembers,
            lag,
            lagSeconds,
            sampledAtMs: group.sampledAtMs,
            lastError: group.lastError,
          }),
        })
      }
    } catch (error) {
      this.#logger.debug({ err: describeCause(error) }, 'live feed: lag poll failed')
    }
  }
}
