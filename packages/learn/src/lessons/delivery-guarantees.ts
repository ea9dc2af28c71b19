import type { ConsumedRecord, Consumer, ProducerRecord } from '@isobar/core'
import { count } from '../format.ts'
import type { Figures, Lesson, LessonContext } from '../lesson.ts'
import { endOffsets, readTopic } from '../read-topic.ts'

const RECORDS = 3000
const BATCH = 100
/** The crash hits while the worker processes this record (counted from its start). */
const CRASH_AT = 1234
const MODES = ['at-most-once', 'at-least-once', 'exactly-once'] as const
type Mode = (typeof MODES)[number]

export interface DeliveryOutcome {
  mode: Mode
  sent: number
  crashedAtRecord: number
  readBack: number
  distinct: number
  lost: number
  duplicated: number
}

/**
 * One worker: reads the input as a group member, "processes" each record by writing it to the output topic, in
 * batches of 100. When `crashAt` is set it dies while processing that record, after writing the batch's earlier
 * records and before any commit that would follow. Ends when the input is read to its end.
 */
async function runWorker(
  ctx: LessonContext,
  mode: Mode,
  topics: { input: string; output: string },
  groupId: string,
  ends: Map<number, bigint>,
  crashAt?: number,
): Promise<number> {
  const positions = new Map<number, bigint>([...ends.keys()].map((p) => [p, 0n]))
  const committed = await ctx.admin.groupOffsets(groupId).catch(() => [])
  for (const c of committed) positions.set(c.partition, c.offset)
  const caughtUp = (): boolean => [...ends].every(([p, end]) => (positions.get(p) ?? 0n) >= end)
  if (caughtUp()) return 0

  const consumer = ctx.kafka.consumer({
    groupId,
    topics: [topics.input],
    from: 'earliest',
    autocommitMs: false,
    // At-most-once: the client layer commits each fetched chunk before handing its records out.
    atMostOnce: mode === 'at-most-once',
    // Transactional offset commits need the classic protocol with @platformatic/kafka 2.12.1 (see core types).
    groupProtocol: mode === 'exactly-once' ? 'classic' : 'consumer',
  })
  const tx = mode === 'exactly-once' ? ctx.kafka.transactionalProducer({ transactionalId: `${groupId}-worker` }) : null
  const producer = mode === 'exactly-once' ? null : ctx.kafka.producer()
  // A restarted exactly-once worker fences its predecessor and aborts the transaction it left open.
  await tx?.initTransactions()
  const outputs = (batch: ConsumedRecord[]): ProducerRecord[] =>
    batch.map((r) => ({ topic: topics.output, key: r.key, value: r.value }))

  const finish = async (batch: ConsumedRecord[]): Promise<void> => {
    if (batch.length === 0) return
    if (tx) {
      const transaction = await tx.beginTransaction()
      await transaction.send(outputs(batch))
      await transaction.sendOffsets(consumer, batch)
      await transaction.commit()
      return
    }
    await producer!.send(outputs(batch))
    if (mode === 'at-least-once') await consumer.commit(batch)
  }
  const crash = async (batch: ConsumedRecord[]): Promise<void> => {
    if (tx) {
      const transaction = await tx.beginTransaction()
      await transaction.send(outputs(batch)) // written, never committed: the process is gone
      return
    }
    await producer!.send(outputs(batch))
  }

  let handled = 0
  let batch: ConsumedRecord[] = []
  try {
    for await (const record of consumer as AsyncIterable<ConsumedRecord>) {
      handled++
      positions.set(record.partition, record.offset + 1n)
      if (handled === crashAt) {
        await crash(batch)
        break
      }
      batch.push(record)
      if (batch.length === BATCH || caughtUp()) {
        await finish(batch)
        batch = []
      }
      if (caughtUp()) break
    }
  } finally {
    await closeQuietly(consumer)
    await tx?.close()
    await producer?.close()
  }
  return handled
}

async function closeQuietly(consumer: Consumer): Promise<void> {
  await consumer.close().catch(() => undefined)
}

async function runMode(
  ctx: LessonContext,
  mode: Mode,
  input: string,
  ends: Map<number, bigint>,
): Promise<DeliveryOutcome> {
  const output = await ctx.createTopic(`${mode}-out`, { partitions: 3 })
  const groupId = ctx.groupId(mode)
  const topics = { input, output }
  await ctx.within(`${mode}: the worker until its crash`, 60_000, runWorker(ctx, mode, topics, groupId, ends, CRASH_AT))
  await ctx.within(`${mode}: the restarted worker`, 60_000, runWorker(ctx, mode, topics, groupId, ends))
  const seen = new Map<string, number>()
  const written = await readTopic(ctx, output)
  for (const r of written) {
    const id = r.value?.toString() ?? ''
    seen.set(id, (seen.get(id) ?? 0) + 1)
  }
  const distinct = seen.size
  return {
    mode,
    sent: RECORDS,
    crashedAtRecord: CRASH_AT,
    readBack: written.length,
    distinct,
    lost: RECORDS - distinct,
    duplicated: written.length - distinct,
  }
}

const HOW: Record<Mode, string> = {
  'at-most-once': 'commits the offsets of what it fetched before processing it',
  'at-least-once': 'processes a batch, writes the results, then commits the offsets',
  'exactly-once': 'writes the results and the offsets in one transaction, readers see only committed ones',
}

export const deliveryGuarantees: Lesson = {
  id: 'delivery',
  title: 'Delivery guarantees side by side',
  summary:
    'At-most-once (commit before processing), at-least-once (commit after) and exactly-once (transactions), each ' +
    'hit by the same crash: what is lost, what is repeated.',
  async run(ctx) {
    const input = await ctx.createTopic('input', { partitions: 3 })
    ctx.step(`Created topic ${input} (3 partitions) and wrote ${count(RECORDS)} records, each with its own id.`)
    const producer = ctx.kafka.producer()
    try {
      for (let start = 0; start < RECORDS; start += 500) {
        const chunk = Array.from({ length: Math.min(500, RECORDS - start) }, (_, i) => ({
          topic: input,
          key: Buffer.from(`sensor-${(start + i) % 50}`),
          value: Buffer.from(`record-${start + i}`),
        }))
        await producer.send(chunk)
      }
    } finally {
      await producer.close()
    }
    const ends = await endOffsets(ctx, input)
    ctx.step(
      `Each worker reads them as a consumer group in batches of ${BATCH} and copies each record to its output topic. ` +
        `It crashes while processing record ${count(CRASH_AT)}; a restarted worker in the same group finishes the job.`,
    )
    const outcomes: DeliveryOutcome[] = []
    for (const mode of MODES) {
      ctx.step(`${mode}: the worker ${HOW[mode]}.`)
      const outcome = await runMode(ctx, mode, input, ends)
      outcomes.push(outcome)
      ctx.step(
        `${mode}: sent ${count(outcome.sent)}, crashed at record ${count(CRASH_AT)}, read back ${count(outcome.readBack)} ` +
          `(${count(outcome.distinct)} distinct): ${count(outcome.lost)} lost, ${count(outcome.duplicated)} duplicated.`,
      )
    }
    ctx.step(
      'At-most-once lost what it had committed but not yet processed; at-least-once repeated what it had written ' +
        'but not yet committed; the transaction made the crashed write invisible and the offsets move with the data.',
    )
    const figures: Figures = {}
    for (const o of outcomes) {
      figures[o.mode] = {
        sent: o.sent,
        readBack: o.readBack,
        distinct: o.distinct,
        lost: o.lost,
        duplicated: o.duplicated,
      }
    }
    figures.crashedAtRecord = CRASH_AT
    return figures
  },
}
