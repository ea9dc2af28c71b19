import { javaPartitionForKey, type PartitionerChoice, type ProducerRecord } from '@isobar/core'
import { bar, count } from '../format.ts'
import type { Figures, Lesson, LessonContext } from '../lesson.ts'
import { readTopic } from '../read-topic.ts'

const PARTITIONS = 6
const SENSORS = 70
const READINGS_PER_SENSOR = 40
const SEND_SIZE = 100
/** Zones of unequal size: the custom partitioner's skew comes from the data, not from the hash. */
const ZONES = ['hall', 'roof', 'cellar'] as const
const zoneOf = (sensor: number): (typeof ZONES)[number] =>
  sensor % 10 < 6 ? 'hall' : sensor % 10 < 9 ? 'roof' : 'cellar'

interface Reading {
  sensor: string
  zone: string
  seq: number
}

function readings(): Reading[] {
  const all: Reading[] = []
  // Interleaved like a live feed: reading 0 of every sensor, then reading 1 of every sensor, …
  for (let seq = 0; seq < READINGS_PER_SENSOR; seq++) {
    for (let s = 0; s < SENSORS; s++) all.push({ sensor: `sensor-${String(s).padStart(3, '0')}`, zone: zoneOf(s), seq })
  }
  return all
}

const encode = (r: Reading): Buffer => Buffer.from(`${r.sensor}|${r.zone}|${r.seq}`)
const decode = (value: Buffer | null): Reading => {
  const [sensor = '', zone = '', seq = '0'] = (value?.toString() ?? '').split('|')
  return { sensor, zone, seq: Number(seq) }
}

/** The zone's position in ZONES: the custom partitioner puts every reading of a zone on one partition. */
const byZone: PartitionerChoice = (record) => ZONES.indexOf(decode(record.value).zone as (typeof ZONES)[number])

interface Placement {
  histogram: number[]
  /** Keys (sensors, or zones for the zone partitioner) whose records landed on more than one partition. */
  splitKeys: number
  /** Keys whose records, read back partition by partition, are not in the order they were sent. */
  keysOutOfOrder: number
  /** Records not on the partition the Java producer would pick for their key (keyed runs only). */
  notJavaPartition: number
  /** Unkeyed runs: sends whose records went to more than one partition. */
  sendsSpread: number
}

async function place(
  ctx: LessonContext,
  label: string,
  partitioner: PartitionerChoice,
  keyed: boolean,
  groupBy: 'sensor' | 'zone',
): Promise<Placement> {
  const topic = await ctx.createTopic(label, { partitions: PARTITIONS })
  const producer = ctx.kafka.producer({ partitioner })
  const all = readings()
  const sendOf = new Map<string, number>()
  try {
    for (let start = 0, send = 0; start < all.length; start += SEND_SIZE, send++) {
      const chunk: ProducerRecord[] = all.slice(start, start + SEND_SIZE).map((r) => {
        sendOf.set(`${r.sensor}|${r.seq}`, send)
        return { topic, key: keyed ? Buffer.from(r.sensor) : null, value: encode(r) }
      })
      await producer.send(chunk)
    }
  } finally {
    await producer.close()
  }
  const histogram = new Array<number>(PARTITIONS).fill(0)
  const partitionsOfKey = new Map<string, Set<number>>()
  const lastSeq = new Map<string, number>()
  const outOfOrder = new Set<string>()
  const partitionsOfSend = new Map<number, Set<number>>()
  let notJavaPartition = 0
  // readTopic returns each partition's records in offset order.
  for (const record of await readTopic(ctx, topic)) {
    const r = decode(record.value)
    histogram[record.partition] = (histogram[record.partition] ?? 0) + 1
    const key = groupBy === 'sensor' ? r.sensor : r.zone
    const seen = partitionsOfKey.get(key) ?? new Set<number>()
    seen.add(record.partition)
    partitionsOfKey.set(key, seen)
    const order = `${key}@${record.partition}`
    if ((lastSeq.get(order) ?? -1) > r.seq && groupBy === 'sensor') outOfOrder.add(key)
    lastSeq.set(order, r.seq)
    if (keyed && record.key && javaPartitionForKey(record.key, PARTITIONS) !== record.partition) notJavaPartition++
    const send = sendOf.get(`${r.sensor}|${r.seq}`) ?? -1
    const partitions = partitionsOfSend.get(send) ?? new Set<number>()
    partitions.add(record.partition)
    partitionsOfSend.set(send, partitions)
  }
  return {
    histogram,
    splitKeys: [...partitionsOfKey.values()].filter((p) => p.size > 1).length,
    // A key split over partitions has no single order at all; count it as out of order too.
    keysOutOfOrder: new Set([...outOfOrder, ...[...partitionsOfKey].filter(([, p]) => p.size > 1).map(([k]) => k)])
      .size,
    notJavaPartition,
    sendsSpread: keyed ? 0 : [...partitionsOfSend.values()].filter((p) => p.size > 1).length,
  }
}

function showHistogram(ctx: LessonContext, histogram: number[]): void {
  const max = Math.max(...histogram)
  ctx.step(['records per partition:', ...histogram.map((n, p) => `   ${bar(`p${p}`, n, max)}`)].join('\n'))
}

export const partitioning: Lesson = {
  id: 'partitioning',
  title: 'Partitioning strategies',
  summary:
    'Key hash (Java-compatible murmur2), sticky and round-robin for unkeyed records, and a custom partitioner by ' +
    'zone: where records land, the skew, and per-key order.',
  async run(ctx) {
    const total = SENSORS * READINGS_PER_SENSOR
    ctx.step(
      `${count(SENSORS)} sensors in 3 zones (hall 60 %, roof 30 %, cellar 10 %) send ${READINGS_PER_SENSOR} readings ` +
        `each: ${count(total)} records, in sends of ${SEND_SIZE}, to topics of ${PARTITIONS} partitions.`,
    )
    const figures: Figures = {}

    ctx.step('1. Keyed by sensor id, murmur2 key hash (the default, the same partition the Java producer picks):')
    const keyed = await place(ctx, 'murmur2', 'murmur2', true, 'sensor')
    showHistogram(ctx, keyed.histogram)
    ctx.step(
      `every sensor on exactly one partition (${count(SENSORS - keyed.splitKeys)}/${count(SENSORS)}), ` +
        `${count(keyed.notJavaPartition)} records on another partition than Java's, ` +
        `${count(keyed.keysOutOfOrder)} sensors read back out of order.`,
    )
    figures.murmur2 = { ...keyed }

    ctx.step('2. No key, default partitioner: with nothing to hash, every record goes to partition 0.')
    const unkeyed = await place(ctx, 'unkeyed', 'murmur2', false, 'sensor')
    showHistogram(ctx, unkeyed.histogram)
    figures.unkeyedMurmur2 = { histogram: unkeyed.histogram }

    ctx.step(
      '3. No key, sticky partitioner (Java since KIP-480): each send sticks to one partition, the next moves on.',
    )
    const sticky = await place(ctx, 'sticky', 'sticky', false, 'sensor')
    showHistogram(ctx, sticky.histogram)
    ctx.step(`${count(sticky.sendsSpread)} of ${count(total / SEND_SIZE)} sends spread over more than one partition.`)
    figures.sticky = { histogram: sticky.histogram, sendsSpread: sticky.sendsSpread }

    ctx.step('4. Keyed, but round-robin: perfectly even, and every sensor is scattered, so its order is gone.')
    const roundRobin = await place(ctx, 'round-robin', 'round-robin', true, 'sensor')
    showHistogram(ctx, roundRobin.histogram)
    ctx.step(`${count(roundRobin.splitKeys)} of ${count(SENSORS)} sensors split over several partitions.`)
    figures.roundRobin = { histogram: roundRobin.histogram, splitKeys: roundRobin.splitKeys }

    ctx.step('5. Custom partitioner by zone: one partition per zone keeps a zone together — and inherits its skew.')
    const zones = await place(ctx, 'by-zone', byZone, true, 'zone')
    showHistogram(ctx, zones.histogram)
    const used = zones.histogram.filter((n) => n > 0).length
    ctx.step(
      `${used} of ${PARTITIONS} partitions used; ${count(ZONES.length - zones.splitKeys)} of ${ZONES.length} zones ` +
        'each on a single partition, in the order sent.',
    )
    figures.byZone = { histogram: zones.histogram, splitZones: zones.splitKeys, partitionsUsed: used }
    return figures
  },
}
