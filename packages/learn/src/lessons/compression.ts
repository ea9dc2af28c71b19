import { BatchingProducer, type ProducerOptions } from '@isobar/core'
import { count } from '../format.ts'
import type { Figures, Lesson, LessonContext } from '../lesson.ts'

const RECORDS = 10_000
const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const
type Codec = (typeof CODECS)[number]
const BATCHES = [10, 100, 1000] as const

/** Sensor readings shaped like the simulator's: repetitive JSON, which is what compression feeds on. */
function reading(i: number): Buffer {
  const sensor = i % 200
  return Buffer.from(
    JSON.stringify({
      sensorId: `sensor-${String(sensor).padStart(5, '0')}`,
      site: `site-${sensor % 4}`,
      zone: `zone-${sensor % 12}`,
      kind: ['temperature', 'humidity', 'pressure', 'co2'][sensor % 4],
      value: Math.round((20 + Math.sin(i / 50) * 5 + (sensor % 7)) * 100) / 100,
      unit: ['C', '%', 'hPa', 'ppm'][sensor % 4],
      timestamp: 1_780_000_000_000 + i * 100,
      quality: 'ok',
    }),
  )
}

interface Run {
  codec: Codec
  batch: number
  recordsPerSecond: number
  bytesOnDisk: number
  /** Bytes of the values handed to the producer. */
  rawBytes: number
}

async function produce(ctx: LessonContext, codec: Codec, batch: number): Promise<Run> {
  const topic = await ctx.createTopic(`${codec}-${batch}`, { partitions: 1 })
  const options: ProducerOptions = { compression: codec }
  const producer = ctx.kafka.producer(options)
  const batching = new BatchingProducer(producer, {
    maxRecords: batch,
    maxBytes: 1_000_000,
    lingerMs: 5,
    maxInFlight: 5,
  })
  let rawBytes = 0
  const started = performance.now()
  try {
    for (let i = 0; i < RECORDS; i++) {
      const value = reading(i)
      rawBytes += value.length
      if (!batching.produce({ topic, key: null, value, partition: 0 })) await batching.ready()
    }
    await batching.flush()
  } finally {
    await producer.close()
  }
  const seconds = (performance.now() - started) / 1000
  if (batching.stats.failed > 0) throw new Error(`${batching.stats.failed} records failed with ${codec}`)
  const sizes = await ctx.admin.partitionSizes(topic)
  const bytesOnDisk = sizes.reduce((sum, s) => sum + s.sizeBytes, 0)
  return { codec, batch, recordsPerSecond: Math.round(RECORDS / seconds), bytesOnDisk, rawBytes }
}

export const compression: Lesson = {
  id: 'compression',
  title: 'Compression and batching',
  summary:
    'The same telemetry with each codec, and with a few batch sizes: throughput and bytes on disk (a small ' +
    'version of the benchmark matrix).',
  async run(ctx) {
    ctx.step(
      `Each run writes ${count(RECORDS)} sensor readings (JSON, ~${reading(0).length} bytes each) through Isobar's ` +
        'batching producer, then asks the broker how many bytes the partition takes on disk.',
    )
    const figures: Figures = {}
    const codecs: Record<string, Run> = {}
    for (const codec of CODECS) {
      const run = await ctx.within(`${codec} run`, 60_000, produce(ctx, codec, 500))
      codecs[codec] = run
      ctx.step(
        `${codec.padEnd(6)} batches of 500: ${count(run.recordsPerSecond)} records/s, ${count(run.bytesOnDisk)} bytes on ` +
          `disk (${((run.bytesOnDisk / run.rawBytes) * 100).toFixed(0)} % of the ${count(run.rawBytes)} raw bytes; batch headers included).`,
      )
    }
    figures.codecs = Object.fromEntries(
      Object.entries(codecs).map(([k, r]) => [k, { recordsPerSecond: r.recordsPerSecond, bytesOnDisk: r.bytesOnDisk }]),
    )
    const batches: Record<string, Run> = {}
    for (const batch of BATCHES) {
      const run = await ctx.within(`zstd batch ${batch}`, 60_000, produce(ctx, 'zstd', batch))
      batches[String(batch)] = run
      ctx.step(
        `zstd   batches of ${String(batch).padEnd(4)}: ${count(run.recordsPerSecond)} records/s, ` +
          `${count(run.bytesOnDisk)} bytes on disk.`,
      )
    }
    figures.zstdByBatch = Object.fromEntries(
      Object.entries(batches).map(([k, r]) => [
        k,
        { recordsPerSecond: r.recordsPerSecond, bytesOnDisk: r.bytesOnDisk },
      ]),
    )
    figures.rawBytes = codecs.none?.rawBytes ?? 0
    ctx.step(
      'A codec compresses a whole batch at once: bigger batches find more repetition and pay the per-request cost ' +
        'fewer times. Throughput on a shared machine varies from run to run; the bytes on disk do not.',
    )
    return figures
  },
}
