import type { ConsumedRecord } from '@isobar/core'
import { count } from '../format.ts'
import type { Figures, Lesson, LessonContext } from '../lesson.ts'

const RECORDS = 1000
const PARTITIONS = 1
/** The records' timestamps: one every 600 ms over the ten minutes before the lesson starts. */
const SPACING_MS = 600
const MANUAL_READ = 400
const AUTO_READ = 300

// A type, not an interface: it must fit the Figures index signature.
type LagFigures = {
  committed: number
  lagRecords: number
  /** Age of the oldest unread record, in seconds (rounded). */
  lagSeconds: number
}

async function lagOf(ctx: LessonContext, groupId: string): Promise<LagFigures> {
  const lag = await ctx.admin.groupLag(groupId)
  return {
    committed: lag.reduce((sum, p) => sum + Number(p.committedOffset ?? 0n), 0),
    lagRecords: lag.reduce((sum, p) => sum + Number(p.lag ?? 0n), 0),
    lagSeconds: Math.round(Math.max(0, ...lag.map((p) => p.lagSeconds ?? 0))),
  }
}

/** Reads `n` records as a member of the group, then leaves; commits them itself when `manual`. */
async function readSome(
  ctx: LessonContext,
  topic: string,
  groupId: string,
  n: number,
  manual: boolean,
): Promise<number> {
  const consumer = ctx.kafka.consumer({
    groupId,
    topics: [topic],
    from: 'earliest',
    autocommitMs: manual ? false : 500,
  })
  const read: ConsumedRecord[] = []
  try {
    // Pull records one by one without ending the iteration: leaving a for-await loop early destroys the client's
    // stream, and with it the offsets the autocommit timer had queued.
    const iterator = (consumer as AsyncIterable<ConsumedRecord>)[Symbol.asyncIterator]()
    while (read.length < n) {
      const next = await iterator.next()
      if (next.done === true) break
      read.push(next.value)
    }
    if (manual) await consumer.commit(read)
    else {
      // The timer commits in the background; wait (bounded) until it did, without our calling commit().
      const deadline = Date.now() + 15_000
      while ((await ctx.admin.groupOffsets(groupId)).length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    }
  } finally {
    await consumer.close()
  }
  return read.length
}

/** Every record with from <= timestamp < to, read partition by partition from the first offset at `from`. */
async function replay(ctx: LessonContext, topic: string, from: number, to: number): Promise<ConsumedRecord[]> {
  const found: ConsumedRecord[] = []
  for (let partition = 0; partition < PARTITIONS; partition++) {
    let position: { offset: bigint } | { timestamp: number } = { timestamp: from }
    for (;;) {
      const page = await ctx.admin.readRecords({ topic, partition, from: position, limit: 200 })
      const inRange = page.records.filter((r) => r.timestamp < to)
      found.push(...inRange)
      if (inRange.length < page.records.length || page.nextOffset >= page.latestOffset || page.records.length === 0)
        break
      position = { offset: page.nextOffset }
    }
  }
  return found
}

export const offsets: Lesson = {
  id: 'offsets',
  title: 'Offsets: commits, resets, replay, lag',
  summary:
    'Manual and automatic commits, resetting a group to earliest, latest or a time, replaying a time range, and ' +
    'lag in records and in seconds.',
  async run(ctx) {
    const topic = await ctx.createTopic('readings', { partitions: PARTITIONS })
    const start = Date.now() - RECORDS * SPACING_MS
    const producer = ctx.kafka.producer()
    try {
      for (let i = 0; i < RECORDS; i += 250) {
        await producer.send(
          Array.from({ length: 250 }, (_, j) => ({
            topic,
            key: Buffer.from(`sensor-${(i + j) % 20}`),
            value: Buffer.from(`reading-${i + j}`),
            timestamp: start + (i + j) * SPACING_MS,
          })),
        )
      }
    } finally {
      await producer.close()
    }
    ctx.step(
      `Wrote ${count(RECORDS)} readings to ${topic} (one partition), timestamped one every ` +
        `${SPACING_MS} ms over the last ${(RECORDS * SPACING_MS) / 60_000} minutes.`,
    )
    const figures: Figures = {}

    const manualGroup = ctx.groupId('manual')
    const manualRead = await ctx.within('manual commit', 60_000, readSome(ctx, topic, manualGroup, MANUAL_READ, true))
    const manual = await lagOf(ctx, manualGroup)
    ctx.step(
      `Manual commit: a consumer read ${count(manualRead)} records and committed exactly those. The group's committed ` +
        `offsets add up to ${count(manual.committed)}; lag ${count(manual.lagRecords)} records, the oldest unread ` +
        `one ${manual.lagSeconds} s old.`,
    )
    figures.manual = { read: manualRead, ...manual }

    const autoGroup = ctx.groupId('auto')
    const autoRead = await ctx.within('auto commit', 60_000, readSome(ctx, topic, autoGroup, AUTO_READ, false))
    const auto = await lagOf(ctx, autoGroup)
    ctx.step(
      `Auto commit (every 500 ms): a consumer read ${count(autoRead)} records and never called commit; the timer ` +
        `committed ${count(auto.committed)}. It commits what the client fetched, not what you processed — ` +
        `${auto.committed > autoRead ? `${count(auto.committed - autoRead)} more than were handed out; a crash now would lose them` : 'here no more than were handed out'}.`,
    )
    figures.auto = { read: autoRead, ...auto }

    // The manual group has no members now, so its offsets can be moved (like kafka-consumer-groups --reset-offsets).
    const resets: Record<string, LagFigures> = {}
    const middle = start + (RECORDS / 2) * SPACING_MS
    for (const [label, target] of [
      ['earliest', { to: 'earliest' }],
      ['latest', { to: 'latest' }],
      ['timestamp', { to: 'timestamp', timestamp: middle }],
    ] as const) {
      await ctx.admin.resetGroupOffsets(manualGroup, topic, target)
      resets[label] = await lagOf(ctx, manualGroup)
      ctx.step(
        `Reset to ${label === 'timestamp' ? `the time 5 minutes ago` : label}: committed ${count(resets[label].committed)}, ` +
          `lag ${count(resets[label].lagRecords)} records / ${resets[label].lagSeconds} s.`,
      )
    }
    figures.reset = { ...resets }

    const from = start + 200 * SPACING_MS
    const to = start + 300 * SPACING_MS
    const replayed = await replay(ctx, topic, from, to)
    const ids = replayed.map((r) => Number(r.value?.toString().slice('reading-'.length)))
    const expected = Array.from({ length: 100 }, (_, i) => 200 + i)
    const exact = ids.length === expected.length && expected.every((id) => ids.includes(id))
    ctx.step(
      `Replay a time range: the records written between 8 and 7 minutes ago (found by timestamp, no group involved): ` +
        `${count(replayed.length)} records, ${exact ? 'exactly readings 200–299' : 'not exactly readings 200–299'}.`,
    )
    figures.replay = { records: replayed.length, exact }
    return figures
  },
}
