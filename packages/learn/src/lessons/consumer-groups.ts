import type { ConsumedRecord, Consumer, ConsumerOptions } from '@isobar/core'
import { count } from '../format.ts'
import type { Figures, Lesson, LessonContext } from '../lesson.ts'

const PARTITIONS = 6
/** The producer writes one record to every partition this often while members come and go. */
const TICK_MS = 50
/** A partition that goes this long without a record processed counts as paused. */
const PAUSE_MS = 1000

interface Strategy {
  key: string
  label: string
  options: Pick<ConsumerOptions, 'groupProtocol' | 'assignor' | 'remoteAssignor'>
}

const STRATEGIES: Strategy[] = [
  { key: 'range', label: 'range (classic protocol, eager)', options: { groupProtocol: 'classic', assignor: 'range' } },
  {
    key: 'cooperativeSticky',
    label: 'cooperative-sticky (classic protocol, incremental)',
    options: { groupProtocol: 'classic', assignor: 'cooperative-sticky' },
  },
  {
    key: 'kip848',
    label: 'KIP-848 consumer protocol (the broker assigns, uniform)',
    options: { groupProtocol: 'consumer', remoteAssignor: 'uniform' },
  },
]

interface Member {
  name: string
  consumer: Consumer
  done: Promise<void>
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** One strategy's run: a member alone, then B joins, C joins, B leaves — measured at every change. */
class GroupRun {
  readonly #ctx: LessonContext
  readonly #topic: string
  readonly #groupId: string
  readonly #strategy: Strategy
  readonly #members: Member[] = []
  /** When each partition last had a record processed, and its longest gap since the change began. */
  readonly #lastProcessed = new Map<number, number>()
  readonly #longestGap = new Map<number, number>()

  constructor(ctx: LessonContext, topic: string, groupId: string, strategy: Strategy) {
    this.#ctx = ctx
    this.#topic = topic
    this.#groupId = groupId
    this.#strategy = strategy
  }

  join(name: string): void {
    const consumer = this.#ctx.kafka.consumer({
      groupId: this.#groupId,
      topics: [this.#topic],
      from: 'latest',
      autocommitMs: 1000,
      sessionTimeoutMs: 6000,
      ...this.#strategy.options,
    })
    const done = (async () => {
      try {
        for await (const record of consumer as AsyncIterable<ConsumedRecord>) this.#processed(record.partition)
      } catch {
        // The member was closed while it iterated: that is how it leaves.
      }
    })()
    this.#members.push({ name, consumer, done })
  }

  async leave(name: string): Promise<void> {
    const index = this.#members.findIndex((m) => m.name === name)
    const [member] = this.#members.splice(index, 1)
    await member?.consumer.close()
    await member?.done
  }

  #processed(partition: number): void {
    const now = performance.now()
    const last = this.#lastProcessed.get(partition)
    if (last !== undefined) this.#longestGap.set(partition, Math.max(this.#longestGap.get(partition) ?? 0, now - last))
    this.#lastProcessed.set(partition, now)
  }

  /** Partition → member name, when every partition has exactly one owner and every member owns one. */
  owners(): Map<number, string> | undefined {
    const owners = new Map<number, string>()
    for (const m of this.#members) {
      const assigned = m.consumer.assignment().filter((a) => a.topic === this.#topic)
      if (assigned.length === 0) return undefined
      for (const { partition } of assigned) {
        if (owners.has(partition)) return undefined
        owners.set(partition, m.name)
      }
    }
    return owners.size === PARTITIONS ? owners : undefined
  }

  async settled(what: string): Promise<Map<number, string>> {
    return this.#ctx.within(`${what}: the group settling`, 45_000, this.#settle())
  }

  async #settle(): Promise<Map<number, string>> {
    let stableFor = 0
    let previous = ''
    for (;;) {
      const owners = this.owners()
      const signature = owners ? JSON.stringify([...owners].sort((a, b) => a[0] - b[0])) : ''
      stableFor = owners && signature === previous ? stableFor + 1 : 0
      previous = signature
      if (owners && stableFor >= 3) return owners
      await sleep(100)
    }
  }

  /** Runs `action`, waits for the group to settle and every partition to flow again; what moved, what paused. */
  async change(what: string, before: Map<number, string>, action: () => Promise<void> | void) {
    this.#longestGap.clear()
    const started = performance.now()
    await action()
    const after = await this.settled(what)
    const settledAt = performance.now()
    // Let every partition process a record after settling, so the gap each one had is closed and measured.
    const deadline = settledAt + 15_000
    while ([...Array(PARTITIONS).keys()].some((p) => (this.#lastProcessed.get(p) ?? 0) < settledAt)) {
      if (performance.now() > deadline) break
      await sleep(50)
    }
    for (let p = 0; p < PARTITIONS; p++) {
      const last = this.#lastProcessed.get(p) ?? started
      if (last < settledAt) this.#longestGap.set(p, Math.max(this.#longestGap.get(p) ?? 0, performance.now() - last))
    }
    const moved = [...after].filter(([p, owner]) => before.get(p) !== owner).length
    const gaps = [...this.#longestGap.values()]
    return {
      after,
      moved,
      paused: gaps.filter((g) => g > PAUSE_MS).length,
      longestPauseMs: Math.round(Math.max(0, ...gaps)),
      settleMs: Math.round(settledAt - started),
    }
  }

  async close(): Promise<void> {
    for (const m of [...this.#members]) await this.leave(m.name)
  }
}

async function runStrategy(ctx: LessonContext, strategy: Strategy): Promise<Figures> {
  const topic = await ctx.createTopic(strategy.key.toLowerCase(), { partitions: PARTITIONS })
  const run = new GroupRun(ctx, topic, ctx.groupId(strategy.key.toLowerCase()), strategy)
  const producer = ctx.kafka.producer()
  let flowing = true
  const flow = (async () => {
    while (flowing) {
      const value = Buffer.from(String(Date.now()))
      await producer.send(Array.from({ length: PARTITIONS }, (_, partition) => ({ topic, partition, value })))
      await sleep(TICK_MS)
    }
  })()
  const changes: Record<string, { moved: number; paused: number; longestPauseMs: number; settleMs: number }> = {}
  try {
    run.join('A')
    let owners = await run.settled('A joining')
    for (const [label, action] of [
      ['B joins', () => run.join('B')],
      ['C joins', () => run.join('C')],
      ['B leaves', () => run.leave('B')],
    ] as const) {
      const result = await run.change(label, owners, action)
      owners = result.after
      changes[label] = {
        moved: result.moved,
        paused: result.paused,
        longestPauseMs: result.longestPauseMs,
        settleMs: result.settleMs,
      }
      ctx.step(
        `   ${label}: ${result.moved} partition(s) changed owner; ${result.paused} of ${PARTITIONS} went over ` +
          `${PAUSE_MS / 1000} s without processing (longest ${count(result.longestPauseMs)} ms); settled in ` +
          `${count(result.settleMs)} ms.`,
      )
    }
  } finally {
    flowing = false
    await flow.catch(() => undefined)
    await run.close()
    await producer.close()
  }
  const total = (k: 'moved' | 'paused'): number => Object.values(changes).reduce((sum, c) => sum + c[k], 0)
  return { ...changes, moved: total('moved'), paused: total('paused') }
}

export const consumerGroups: Lesson = {
  id: 'groups',
  title: 'Consumer groups and rebalancing',
  summary:
    'Range vs cooperative-sticky on the classic protocol vs the KIP-848 consumer protocol: members join and leave ' +
    'while records flow; partitions moved and time without processing, measured for each.',
  async run(ctx) {
    ctx.step(
      `A producer writes to all ${PARTITIONS} partitions every ${TICK_MS} ms. Member A starts alone; B joins, C ` +
        'joins, B leaves. After each change: how many partitions changed owner, and how many stopped being processed.',
    )
    const figures: Figures = {}
    for (const strategy of STRATEGIES) {
      ctx.step(`${strategy.label}:`)
      figures[strategy.key] = await runStrategy(ctx, strategy)
    }
    const totals = STRATEGIES.map((st) => {
      const f = figures[st.key] as { moved: number; paused: number }
      return `${st.key} moved ${f.moved} and paused ${f.paused}`
    })
    ctx.step(
      `Over the three changes: ${totals.join('; ')} (6 + 6 + 6 partition ownerships at stake). Range starts every ` +
        'assignment from scratch, so partitions move between members that stay; cooperative-sticky and KIP-848 ' +
        'move only what must move. Pauses here are measured, not assumed: this client keeps fetching its old ' +
        'partitions until an eager rebalance hands out the new ones (the Java client revokes all of them first), ' +
        'while a cooperative rebalance revokes the moving partitions in one round and assigns them in the next.',
    )
    return figures
  },
}
