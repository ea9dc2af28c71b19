import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { count } from '../format.ts'
import type { Figures, Lesson } from '../lesson.ts'

const PARTITIONS = 3
const SENSORS = ['KSEA', 'KBOS', 'KJFK', 'KORD']
const ROUNDS = 4
/** Each round is written after the active segment is older than segment.ms, so every round starts a new segment. */
const SEGMENT_MS = 300

interface Segment {
  file: string
  bytes: number
}

async function segments(dir: string): Promise<Segment[]> {
  const files = (await readdir(dir).catch(() => [])).filter((f) => f.endsWith('.log')).sort()
  return Promise.all(files.map(async (file) => ({ file, bytes: (await stat(join(dir, file))).size })))
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export const topics: Lesson = {
  id: 'topics',
  title: 'Topics, partitions, replicas and the log',
  summary:
    'Keyed records land on a partition and get an offset; each partition is an append-only log of segment files, ' +
    'led by one broker and copied to the others in its ISR.',
  async run(ctx) {
    const cluster = await ctx.admin.describeCluster()
    const replicationFactor = Math.min(3, cluster.brokers.length)
    const topic = await ctx.createTopic('observations', {
      partitions: PARTITIONS,
      replicationFactor,
      configs: { 'segment.ms': String(SEGMENT_MS), 'min.insync.replicas': String(Math.min(2, replicationFactor)) },
    })
    ctx.step(
      `Created ${topic}: ${PARTITIONS} partitions, replication factor ${replicationFactor} on a cluster of ` +
        `${cluster.brokers.length} broker(s), a new segment file at most every ${SEGMENT_MS} ms.`,
    )
    const producer = ctx.kafka.producer()
    const placed: Array<{ key: string; round: number; partition: number; offset: number }> = []
    try {
      for (let round = 0; round < ROUNDS; round++) {
        if (round > 0) await sleep(SEGMENT_MS * 2)
        for (const key of SENSORS) {
          const value = Buffer.from(JSON.stringify({ station: key, round, temperatureC: 10 + round }))
          const [report] = await producer.send([{ topic, key: Buffer.from(key), value }])
          placed.push({ key, round, partition: report?.partition ?? -1, offset: Number(report?.baseOffset ?? -1n) })
        }
      }
    } finally {
      await producer.close()
    }
    const byKey = SENSORS.map((key) => {
      const mine = placed.filter((p) => p.key === key)
      return `${key} → partition ${mine[0]?.partition}, offsets ${mine.map((p) => p.offset).join(', ')}`
    })
    ctx.step(
      ["Where each station's 4 readings landed (the key decides the partition):", ...byKey.map((l) => `   ${l}`)].join(
        '\n',
      ),
    )

    const offsets = await ctx.admin.listOffsets(topic)
    ctx.step(
      `Offsets per partition (earliest–latest): ${offsets.map((o) => `p${o.partition} ${o.earliest}–${o.latest}`).join(', ')}.`,
    )
    const [description] = await ctx.admin.describeTopics([topic])
    const partitions = description?.partitions ?? []
    ctx.step(
      [
        'Leader and in-sync replicas (ISR) of each partition:',
        ...partitions.map(
          (p) =>
            `   p${p.partition}: leader broker ${p.leader}, replicas [${p.replicas.join(', ')}], ISR [${p.isr.join(', ')}]`,
        ),
      ].join('\n'),
    )
    const sizes = await ctx.admin.partitionSizes(topic)
    const files: Record<string, Segment[]> = {}
    for (const p of partitions) {
      const dir = ctx.logDirs[p.leader]
      if (dir !== undefined) files[`p${p.partition}`] = await segments(join(dir, `${topic}-${p.partition}`))
    }
    if (Object.keys(files).length > 0) {
      ctx.step(
        [
          "The log on the leader's disk: one directory per partition, one .log file per segment (named by its first offset):",
          ...Object.entries(files).map(
            ([p, list]) => `   ${p}: ${list.map((s) => `${s.file} (${count(s.bytes)} B)`).join(', ')}`,
          ),
        ].join('\n'),
      )
    } else {
      ctx.step("(The broker's files are not on this machine; run against the local cluster to see the segments.)")
    }
    ctx.step(
      `Bytes on disk, every replica: ${sizes.map((s) => `p${s.partition}@broker${s.broker} ${count(s.sizeBytes)}`).join(', ')}.`,
    )
    const figures: Figures = {
      brokers: cluster.brokers.length,
      replicationFactor,
      placed: placed.map((p) => ({ ...p })),
      partitions: partitions.map((p) => ({
        partition: p.partition,
        leader: p.leader,
        replicas: p.replicas,
        isr: p.isr,
      })),
      segments: Object.fromEntries(Object.entries(files).map(([p, list]) => [p, list.map((s) => ({ ...s }))])),
      replicaBytes: sizes.map((s) => ({ ...s })),
    }
    return figures
  },
}
