import { LagMonitor, type ConsumedRecord, type LagStatus } from '@isobar/core'
import { count } from '../format.ts'
import type { Figures, Lesson } from '../lesson.ts'

/** The producer writes this many records every 100 ms (400/s). */
const PER_TICK = 40
/** Samples the monitor judges a partition by, taken this often. */
const WINDOW = 4
const SAMPLE_MS = 500
/** A slowed consumer sleeps this long per record: at most ~150 records/s, well under the 400/s written. */
const SLOW_MS = 6

type Pace = 'fast' | 'slow' | 'stuck'

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

interface Phase {
  pace: Pace
  expect: LagStatus
  says: string
}

const PHASES: Phase[] = [
  { pace: 'fast', expect: 'OK', says: 'the consumer keeps up' },
  { pace: 'slow', expect: 'WARN', says: 'the consumer is slowed below the write rate, still committing' },
  { pace: 'stuck', expect: 'STALL', says: 'the consumer hangs on a record: still a member, commits nothing' },
  { pace: 'fast', expect: 'OK', says: 'the consumer is fast again and catches up' },
]

export const lag: Lesson = {
  id: 'lag',
  title: 'Consumer lag and health',
  summary:
    "A slowed consumer moving through OK → WARN → STALL and back, judged by Isobar's Burrow-style lag monitor " +
    '(the one behind `isobar groups lag` and the console).',
  async run(ctx) {
    const topic = await ctx.createTopic('readings', { partitions: 1 })
    const groupId = ctx.groupId('worker')
    // Shared with the producer and consumer loops below.
    const state: { pace: Pace; running: boolean } = { pace: 'fast', running: true }
    const producer = ctx.kafka.producer()
    const writing = (async () => {
      while (state.running) {
        const value = Buffer.from(String(Date.now()))
        await producer.send(Array.from({ length: PER_TICK }, () => ({ topic, partition: 0, value })))
        await sleep(100)
      }
    })()
    const consumer = ctx.kafka.consumer({ groupId, topics: [topic], from: 'earliest', autocommitMs: false })
    const consuming = (async () => {
      let pending: ConsumedRecord[] = []
      let lastCommit = Date.now()
      for await (const record of consumer as AsyncIterable<ConsumedRecord>) {
        while (state.pace === 'stuck' && state.running) await sleep(50)
        if (!state.running) break
        if (state.pace === 'slow') await sleep(SLOW_MS)
        pending.push(record)
        if (Date.now() - lastCommit >= 100) {
          await consumer.commit(pending)
          pending = []
          lastCommit = Date.now()
        }
      }
    })().catch(() => undefined)

    const monitor = new LagMonitor({ admin: ctx.admin, groups: [groupId], windowSize: WINDOW, intervalMs: SAMPLE_MS })
    ctx.step(
      `A producer writes ${PER_TICK * 10} records/s to ${topic}; one consumer reads them and commits every 100 ms. ` +
        `The lag monitor samples the group every ${SAMPLE_MS} ms and judges it on its last ${WINDOW} samples.`,
    )
    const reached: Figures[] = []
    try {
      for (const phase of PHASES) {
        state.pace = phase.pace
        const started = Date.now()
        let status: LagStatus | undefined
        let lagRecords = 0
        let lagSeconds = 0
        let reason = ''
        let samples = 0
        // Bounded: each status should show within a few windows.
        while (Date.now() - started < 30_000) {
          await monitor.sampleOnce()
          const group = monitor.snapshot()[0]
          const partition = group?.partitions[0]
          status = group?.status
          lagRecords = Number(partition?.lag ?? 0n)
          lagSeconds = partition?.lagSeconds ?? 0
          reason = partition?.reason ?? ''
          samples++
          // The first phase also waits for a full window of samples with commits in it, so OK means "keeping up".
          const settled = phase !== PHASES[0] || (samples >= WINDOW && partition?.committedOffset != null)
          if (status === phase.expect && settled) break
          await sleep(SAMPLE_MS)
        }
        const tookMs = Date.now() - started
        reached.push({ expected: phase.expect, status: status ?? 'none', lagRecords, lagSeconds, tookMs })
        ctx.step(
          `${phase.says}: ${status} after ${(tookMs / 1000).toFixed(1)} s — lag ${count(lagRecords)} records, ` +
            `${lagSeconds.toFixed(1)} s${reason ? ` (${reason})` : ''}.`,
        )
      }
    } finally {
      state.running = false
      await monitor.stop()
      await consumer.close()
      await consuming
      await writing.catch(() => undefined)
      await producer.close()
    }
    return { phases: reached }
  },
}
