/**
 * Leader election through Kafka. Every instance joins one consumer group on the 1-partition topic
 * `_schemas_leader`; the member the broker assigns partition 0 to is the leader. It announces its URL by
 * writing `{"url": ..., "since": ...}` under the key `leader` to that topic; every instance tails the topic
 * (without a group) and takes the latest announcement as the leader's URL. Followers forward writes there.
 *
 * An instance acts as leader only once its announcement is in the log, so whoever sees it take writes can also
 * find it. Both consumers are restarted when they fail (a broker restart can end their iteration): a failed
 * group member steps down first, since its partition may already be someone else's.
 *
 * The election only keeps writers from racing in normal operation. Correctness does not depend on it: the
 * `_schemas` log arbitrates (state.ts rejects conflicting records, first in the log wins, the loser retries),
 * so two instances that briefly both believe they lead cannot hand out one id twice.
 */
import type { Consumer, KafkaClient, Producer } from '@isobar/core'
import type { Leadership } from './http/forward.ts'

export interface KafkaLeaderElectionOptions {
  client: KafkaClient
  /** This instance's base URL as other instances reach it, e.g. `http://10.0.0.5:8081`. */
  instanceUrl: string
  /** Default `_schemas_leader`. */
  topic?: string
  /** Default `isobar-registry-leader`. */
  groupId?: string
  /** Runs before this instance starts acting as leader (e.g. catch up with the schemas log). */
  beforeLeading?: () => Promise<void>
  onChange?: (event: { leader: boolean; leaderUrl: string | undefined }) => void
  onError?: (error: unknown) => void
  /** Pause before a failed consumer is recreated or a failed announcement is written again (ms). Default 1000. */
  retryDelayMs?: number
}

const LEADER_KEY = Buffer.from('leader')

export class KafkaLeaderElection implements Leadership {
  readonly topic: string
  readonly #options: KafkaLeaderElectionOptions
  readonly #retryDelayMs: number
  #leader = false
  /** Whether the current group member owns partition 0 (what #leader converges to). */
  #owns = false
  /** Serializes the steps that change #leader. */
  #changing: Promise<void> = Promise.resolve()
  #announcedUrl: string | undefined
  #member: Consumer | undefined
  #watcher: Consumer | undefined
  #producer: Producer | undefined
  #closed = false

  constructor(options: KafkaLeaderElectionOptions) {
    this.#options = options
    this.topic = options.topic ?? '_schemas_leader'
    this.#retryDelayMs = options.retryDelayMs ?? 1000
  }

  isLeader(): boolean {
    return this.#leader
  }

  leaderUrl(): string | undefined {
    return this.#leader ? this.#options.instanceUrl : this.#announcedUrl
  }

  async start(): Promise<void> {
    const admin = this.#options.client.admin()
    try {
      const topics = await admin.listTopics({ includeInternal: true })
      if (!topics.includes(this.topic)) {
        await admin.createTopics([{ name: this.topic, partitions: 1, configs: { 'cleanup.policy': 'compact' } }], {
          ifNotExists: true,
        })
      }
    } finally {
      await admin.close()
    }
    void this.#watch()
    void this.#campaign()
  }

  /** Resolves once a leader is known (this instance or an announced one), or after `timeoutMs`. */
  async settled(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline && !this.#closed) {
      if (this.leaderUrl() !== undefined) return true
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    return this.leaderUrl() !== undefined
  }

  // Tails the announcements (from the start each time, so a restarted watcher learns the latest one again).
  async #watch(): Promise<void> {
    while (!this.#closed) {
      const watcher = this.#options.client.consumer({ topics: [this.topic], from: 'earliest', autocommitMs: false })
      this.#watcher = watcher
      await this.#drain(watcher, (value) => this.#onAnnouncement(value))
      await watcher.close().catch(() => undefined)
      await this.#pause()
    }
  }

  // Membership in the election group; a member whose consumer failed steps down and joins again.
  async #campaign(): Promise<void> {
    while (!this.#closed) {
      const member: Consumer = this.#options.client.consumer({
        groupId: this.#options.groupId ?? 'isobar-registry-leader',
        topics: [this.topic],
        from: 'latest',
        autocommitMs: false,
        onAssignment: (assigned) => {
          if (member !== this.#member || this.#closed) return
          this.#want(assigned.some((a) => a.topic === this.topic && a.partition === 0))
        },
      })
      this.#member = member
      // Iterating is what keeps the member in the group; its records are not needed.
      await this.#drain(member, () => undefined)
      this.#want(false)
      await member.close().catch(() => undefined)
      await this.#pause()
    }
  }

  #want(owns: boolean): void {
    this.#owns = owns
    this.#changing = this.#changing.then(() => this.#converge())
  }

  async #converge(): Promise<void> {
    if (this.#closed || this.#owns === this.#leader) return
    if (!this.#owns) {
      this.#leader = false
      this.#options.onChange?.({ leader: false, leaderUrl: this.leaderUrl() })
      return
    }
    // Lead only once the announcement is written: retried while this member still owns the partition.
    while (this.#owns && !this.#closed) {
      try {
        await this.#options.beforeLeading?.()
        this.#producer ??= this.#options.client.producer({ idempotent: true })
        const value = Buffer.from(JSON.stringify({ url: this.#options.instanceUrl, since: Date.now() }))
        await this.#producer.send([{ topic: this.topic, partition: 0, key: LEADER_KEY, value }])
        break
      } catch (error) {
        this.#options.onError?.(error)
        await this.#pause()
      }
    }
    if (!this.#owns || this.#closed) return
    this.#leader = true
    this.#options.onChange?.({ leader: true, leaderUrl: this.leaderUrl() })
  }

  #onAnnouncement(value: Buffer | null): void {
    if (!value) return
    try {
      const parsed = JSON.parse(value.toString('utf8')) as { url?: unknown }
      if (typeof parsed.url === 'string' && parsed.url !== this.#announcedUrl) {
        this.#announcedUrl = parsed.url
        this.#options.onChange?.({ leader: this.#leader, leaderUrl: this.leaderUrl() })
      }
    } catch {
      // not an announcement
    }
  }

  async #drain(consumer: Consumer, onValue: (value: Buffer | null) => void): Promise<void> {
    try {
      for await (const record of consumer) {
        if (this.#closed) break
        if (record.key?.equals(LEADER_KEY)) onValue(record.value)
      }
    } catch (error) {
      if (!this.#closed) this.#options.onError?.(error)
    }
  }

  #pause(): Promise<void> {
    return this.#closed ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, this.#retryDelayMs))
  }

  async close(): Promise<void> {
    this.#closed = true
    this.#leader = false
    await Promise.allSettled([this.#member?.close(), this.#watcher?.close(), this.#producer?.close()])
  }
}
