import kafkajs from 'kafkajs'
import type { Compression } from '../types.ts'
import type { PeerConsumeInput, PeerConsumeRun, PeerProduceInput, PeerProduceRun } from './lane.ts'

const { Kafka, CompressionTypes, logLevel } = kafkajs

function client(bootstrapServers: readonly string[], clientId: string): InstanceType<typeof Kafka> {
  return new Kafka({ clientId, brokers: [...bootstrapServers], logLevel: logLevel.NOTHING })
}

/** kafkajs has gzip built in; the other codecs need extra packages the bench does not install. */
function kafkajsCompression(compression: Compression): number {
  if (compression === 'none') return CompressionTypes.None
  if (compression === 'gzip') return CompressionTypes.GZIP
  throw new Error(`kafkajs lane: no built-in ${compression} codec (kafkajs has none and gzip)`)
}

/**
 * kafkajs 2.2.4 at its best for an idempotent producer: one send() per batch of `perBatch` records per partition
 * (acks=all). Sends are sequential: the idempotent producer takes a partition's sequence number when it builds a
 * request and moves it on only when the answer comes, so two sends in flight to one partition collide.
 */
export async function kafkajsProduce(input: PeerProduceInput): Promise<PeerProduceRun> {
  const compression = kafkajsCompression(input.compression)
  const producer = client(input.bootstrapServers, 'isobar-bench-kafkajs').producer({
    idempotent: input.idempotent,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  })
  await producer.connect()
  const { topic, records, partitions, perBatch, values } = input
  let acknowledged = 0
  let view = 0
  const started = performance.now()
  try {
    while (acknowledged < records) {
      const messages: Array<{ value: Buffer; partition: number }> = []
      for (let p = 0; p < partitions && acknowledged + messages.length < records; p++) {
        for (let i = 0; i < perBatch && acknowledged + messages.length < records; i++) {
          messages.push({ value: values[view]!, partition: p })
          if (++view === values.length) view = 0
        }
      }
      await producer.send({ topic, acks: -1, compression, messages })
      acknowledged += messages.length
      input.onProgress?.(acknowledged)
    }
  } finally {
    await producer.disconnect()
  }
  return { acknowledged, seconds: (performance.now() - started) / 1000 }
}

/** kafkajs consumer in a fresh group from the earliest offset, eachBatch, timed from its group join. */
export async function kafkajsConsume(input: PeerConsumeInput): Promise<PeerConsumeRun> {
  const consumer = client(input.bootstrapServers, 'isobar-bench-kafkajs').consumer({ groupId: input.groupId })
  let joinedAt = 0
  consumer.on(consumer.events.GROUP_JOIN, () => {
    if (joinedAt === 0) joinedAt = performance.now()
  })
  let records = 0
  let bytes = 0
  let lastAt = 0
  const started = performance.now()
  await consumer.connect()
  try {
    await consumer.subscribe({ topics: [input.topic], fromBeginning: true })
    await new Promise<void>((resolve, reject) => {
      const timeout = setTimeout(
        () => reject(new Error(`kafkajs read ${records} of ${input.records} records`)),
        input.timeoutMs,
      )
      consumer
        .run({
          eachBatchAutoResolve: true,
          eachBatch: async ({ batch }) => {
            for (const message of batch.messages) {
              records++
              bytes += (message.value?.length ?? 0) + (message.key?.length ?? 0)
            }
            input.onProgress?.(records)
            if (records >= input.records) {
              lastAt = performance.now()
              clearTimeout(timeout)
              resolve()
            }
            await Promise.resolve()
          },
        })
        .catch(reject)
    })
  } finally {
    await consumer.disconnect()
  }
  return {
    records,
    bytes,
    totalSeconds: (lastAt - started) / 1000,
    fetchSeconds: (lastAt - (joinedAt || started)) / 1000,
  }
}
