import type { Producer } from '@isobar/core'
import { LessonFailedError } from '../errors.ts'
import { count } from '../format.ts'
import type { Figures, Lesson, LessonContext } from '../lesson.ts'
import { readTopic } from '../read-topic.ts'

const RECORDS = 3000
const BATCH = 50
/** The leader is killed when this many records have been handed to each producer. */
const KILL_AFTER = 1000
const LEVELS = [
  { acks: 0, label: 'acks=0' },
  { acks: 1, label: 'acks=1' },
  { acks: -1, label: 'acks=all' },
] as const

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

interface Outcome {
  acknowledged: Set<number>
  refused: number
}

/** Sends RECORDS in batches to one partition; a batch whose send resolves counts as acknowledged. */
async function write(producer: Producer, topic: string, partition: number, killed: Promise<void>, atKill: () => void) {
  const outcome: Outcome = { acknowledged: new Set(), refused: 0 }
  for (let start = 0; start < RECORDS; start += BATCH) {
    if (start === KILL_AFTER) {
      atKill()
      await killed
    }
    const ids = Array.from({ length: BATCH }, (_, i) => start + i)
    try {
      await producer.send(ids.map((id) => ({ topic, partition, value: Buffer.from(String(id)) })))
      for (const id of ids) outcome.acknowledged.add(id)
    } catch {
      outcome.refused += BATCH
    }
  }
  return outcome
}

async function leaderOf(ctx: LessonContext, topic: string, partition: number): Promise<number> {
  const [description] = await ctx.admin.describeTopics([topic])
  return description?.partitions.find((p) => p.partition === partition)?.leader ?? -1
}

export const acks: Lesson = {
  id: 'acks',
  title: 'Producer acknowledgements and durability',
  summary:
    'acks=0, acks=1 and acks=all writing side by side when the partition leader is killed on a 3-node cluster: ' +
    'what each producer was told, and what each lost.',
  async run(ctx) {
    const brokers = ctx.brokers
    const cluster = await ctx.admin.describeCluster()
    if (!brokers || cluster.brokers.length < 3) {
      throw new LessonFailedError(
        'acks',
        'needs a local 3-node cluster it may kill a broker of: `npx isobar kafka stop && npx isobar kafka start --nodes 3`',
      )
    }
    // One topic per level, each with a partition led by the same broker, so one kill hits all three alike.
    const targets: Array<{ topic: string; partition: number }> = []
    let victim = -1
    for (const level of LEVELS) {
      const topic = await ctx.createTopic(level.label.replace('=', '-'), {
        partitions: 3,
        replicationFactor: 3,
        configs: { 'min.insync.replicas': '2', 'unclean.leader.election.enable': 'false' },
      })
      const [description] = await ctx.admin.describeTopics([topic])
      const partitions = description?.partitions ?? []
      if (victim === -1) victim = partitions[0]?.leader ?? -1
      const led = partitions.find((p) => p.leader === victim) ?? partitions[0]!
      targets.push({ topic, partition: led.partition })
    }
    ctx.step(
      `Three topics, replication factor 3, min.insync.replicas 2. Three producers (acks=0, acks=1, acks=all) each ` +
        `write ${count(RECORDS)} numbered records to a partition led by broker ${victim}; after ${count(KILL_AFTER)} ` +
        `broker ${victim} is killed (SIGKILL) and they carry on.`,
    )
    let killedAt = 0
    let kill: Promise<void> | undefined
    const startKill = (): void => {
      kill ??= (async () => {
        killedAt = performance.now()
        await brokers.kill(victim)
      })()
    }
    const killed = new Promise<void>((resolve) => {
      const wait = (): void => {
        if (kill) void kill.then(resolve, resolve)
        else setTimeout(wait, 10)
      }
      wait()
    })
    const producers = LEVELS.map((level) => ctx.kafka.producer({ idempotent: level.acks === -1, acks: level.acks }))
    let outcomes: Outcome[]
    try {
      outcomes = await ctx.within(
        'writing through the kill',
        120_000,
        Promise.all(
          LEVELS.map((_, i) => write(producers[i]!, targets[i]!.topic, targets[i]!.partition, killed, startKill)),
        ),
      )
    } finally {
      await Promise.all(producers.map((p) => p.close().catch(() => undefined)))
    }
    const writtenMs = Math.round(performance.now() - killedAt)
    // Wait (bounded) until every target partition has a leader again before reading.
    for (const t of targets) {
      const deadline = Date.now() + 60_000
      while (
        (await leaderOf(ctx, t.topic, t.partition)) === victim ||
        (await leaderOf(ctx, t.topic, t.partition)) < 0
      ) {
        if (Date.now() > deadline) throw new LessonFailedError('acks', `no new leader for ${t.topic}-${t.partition}`)
        await sleep(500)
      }
    }
    const figures: Figures = { victim, writtenAfterKillMs: writtenMs }
    for (const [i, level] of LEVELS.entries()) {
      const t = targets[i]!
      const stored = new Set(
        (await readTopic(ctx, t.topic))
          .filter((r) => r.partition === t.partition)
          .map((r) => Number(r.value?.toString())),
      )
      const outcome = outcomes[i]!
      const lostAcknowledged = [...outcome.acknowledged].filter((id) => !stored.has(id)).length
      // Records the producer was told failed but that the cluster kept: a resend would duplicate them.
      const storedThoughFailed = [...stored].filter((id) => !outcome.acknowledged.has(id)).length
      figures[level.label] = {
        acknowledged: outcome.acknowledged.size,
        refused: outcome.refused,
        stored: stored.size,
        lostAcknowledged,
        storedThoughFailed,
      }
      ctx.step(
        `${level.label.padEnd(8)}: sent ${count(RECORDS)}, told "acknowledged" for ${count(outcome.acknowledged.size)}, ` +
          `told "failed" for ${count(outcome.refused)}; the cluster has ${count(stored.size)}: ` +
          `${count(lostAcknowledged)} acknowledged records lost, ${count(storedThoughFailed)} "failed" ones kept anyway.`,
      )
    }
    ctx.step(`Restarting broker ${victim}…`)
    await brokers.restart(victim)
    ctx.step(
      'acks=0 is never told anything, so "acknowledged" only means "handed to the socket"; acks=1 is told once the ' +
        'leader has it, which a leader crash before replication can undo; acks=all is told only when the in-sync ' +
        'replicas have it, so nothing it was told is lost. A "failed" send may still have been written: retrying it ' +
        'without idempotence duplicates it.',
    )
    return figures
  },
}
