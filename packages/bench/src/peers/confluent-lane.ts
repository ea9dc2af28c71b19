import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import type { EventEmitter } from 'node:events'
import type { PeerConsumeInput, PeerConsumeRun, PeerProduceInput, PeerProduceRun } from './lane.ts'

/** Where `npm run bench:peers` installs @confluentinc/kafka-javascript (apart from the workspace). */
export const PEERS_DIR = fileURLToPath(new URL('../../peers/', import.meta.url))

type Callback = (error: Error | null | undefined) => void

/** The part of the node-rdkafka-style API of @confluentinc/kafka-javascript the lane uses. */
interface RdProducer extends EventEmitter {
  connect(metadata: object | null, callback: Callback): void
  produce(topic: string, partition: number | null, value: Buffer, key?: Buffer | null): boolean
  setPollInterval(ms: number): void
  poll(): void
  flush(timeoutMs: number, callback: Callback): void
  disconnect(callback: Callback): void
}
interface RdMessage {
  value: Buffer | null
  key?: Buffer | null
}
interface RdConsumer extends EventEmitter {
  connect(metadata: object | null, callback: Callback): void
  subscribe(topics: string[]): void
  setDefaultConsumeTimeout(ms: number): void
  consume(count: number, callback: (error: Error | null, messages: RdMessage[]) => void): void
  disconnect(callback: Callback): void
}
interface ConfluentModule {
  Producer: new (conf: Record<string, unknown>, topicConf?: Record<string, unknown>) => RdProducer
  KafkaConsumer: new (conf: Record<string, unknown>, topicConf?: Record<string, unknown>) => RdConsumer
  librdkafkaVersion: string
}

let loaded: ConfluentModule | undefined

/** The module, or an error saying how to install it (it is a native build outside `npm ci`). */
export function loadConfluent(): ConfluentModule {
  if (loaded) return loaded
  try {
    const require = createRequire(`${PEERS_DIR}package.json`)
    loaded = require('@confluentinc/kafka-javascript') as ConfluentModule
    return loaded
  } catch (error) {
    throw new Error(
      `confluent lane: @confluentinc/kafka-javascript is not installed; run \`npm run bench:peers\` once ` +
        `(builds librdkafka, a few minutes) — ${(error as Error).message.split('\n')[0] ?? ''}`,
      { cause: error },
    )
  }
}

const QUEUE_FULL = -184

function promised(run: (callback: Callback) => void): Promise<void> {
  return new Promise((resolve, reject) => run((error) => (error ? reject(error) : resolve())))
}

/**
 * librdkafka's idempotent producer (acks=all) with the same linger.ms, batch.size and codec as the others; records
 * go to partitions in runs of one batch, like Isobar's. produce() only queues: the rate counts delivery reports.
 */
export async function confluentProduce(input: PeerProduceInput): Promise<PeerProduceRun> {
  const { Producer } = loadConfluent()
  const producer = new Producer({
    'bootstrap.servers': input.bootstrapServers.join(','),
    'client.id': 'isobar-bench-confluent',
    'enable.idempotence': input.idempotent,
    acks: 'all',
    'linger.ms': input.lingerMs,
    'batch.size': input.batchSize,
    'batch.num.messages': 1_000_000,
    'compression.codec': input.compression,
    'queue.buffering.max.messages': 1_000_000,
    'queue.buffering.max.kbytes': 1_048_576,
    dr_cb: true,
  })
  let acknowledged = 0
  let failed = 0
  let firstError: Error | undefined
  let lastAt = 0
  const { topic, records, partitions, perBatch, values } = input
  let allDelivered: () => void = () => undefined
  const delivered = new Promise<void>((resolve) => (allDelivered = resolve))
  producer.on('delivery-report', (error: Error | null) => {
    if (error) {
      failed++
      firstError ??= error
    } else acknowledged++
    if (acknowledged + failed === records) {
      lastAt = performance.now()
      allDelivered()
    }
  })
  await promised((cb) => producer.connect(null, cb))
  producer.setPollInterval(5)
  const timer = input.onProgress ? setInterval(() => input.onProgress?.(acknowledged), 200) : undefined
  const started = performance.now()
  try {
    let partition = 0
    let inRun = 0
    let view = 0
    for (let i = 0; i < records; i++) {
      for (;;) {
        try {
          producer.produce(topic, partition, values[view]!, null)
          break
        } catch (error) {
          if ((error as { code?: number }).code !== QUEUE_FULL) throw error
          producer.poll()
          await new Promise((resolve) => setTimeout(resolve, 2))
        }
      }
      if (++view === values.length) view = 0
      if (++inRun === perBatch) {
        inRun = 0
        if (++partition === partitions) partition = 0
      }
    }
    await delivered
  } finally {
    if (timer) clearInterval(timer)
    await promised((cb) => producer.flush(30_000, cb)).catch(() => undefined)
    await promised((cb) => producer.disconnect(cb)).catch(() => undefined)
  }
  if (failed > 0) throw new Error(`confluent lane: ${failed} records failed: ${firstError?.message ?? ''}`)
  input.onProgress?.(acknowledged)
  return { acknowledged, seconds: (lastAt - started) / 1000 }
}

/** librdkafka's consumer (KIP-848 protocol, like the others) in a fresh group from earliest, batches of 1000. */
export async function confluentConsume(input: PeerConsumeInput): Promise<PeerConsumeRun> {
  const { KafkaConsumer } = loadConfluent()
  const consumer = new KafkaConsumer(
    {
      'bootstrap.servers': input.bootstrapServers.join(','),
      'client.id': 'isobar-bench-confluent',
      'group.id': input.groupId,
      'group.protocol': 'consumer',
      'enable.auto.commit': true,
      rebalance_cb: true,
    },
    { 'auto.offset.reset': 'earliest' },
  )
  let assignedAt = 0
  consumer.on('rebalance', (error: { code?: number }) => {
    if (assignedAt === 0 && error.code === -175) assignedAt = performance.now()
  })
  let records = 0
  let bytes = 0
  let ended = 0
  const started = performance.now()
  await promised((cb) => consumer.connect(null, cb))
  try {
    consumer.subscribe([input.topic])
    consumer.setDefaultConsumeTimeout(100)
    const deadline = started + input.timeoutMs
    while (records < input.records) {
      if (performance.now() > deadline) throw new Error(`confluent lane read ${records} of ${input.records} records`)
      const messages = await new Promise<RdMessage[]>((resolve, reject) =>
        consumer.consume(1000, (error, batch) => (error ? reject(error) : resolve(batch))),
      )
      for (const message of messages) {
        records++
        bytes += (message.value?.length ?? 0) + (message.key?.length ?? 0)
      }
      input.onProgress?.(records)
    }
    ended = performance.now()
  } finally {
    await promised((cb) => consumer.disconnect(cb)).catch(() => undefined)
  }
  return {
    records,
    bytes,
    totalSeconds: (ended - started) / 1000,
    fetchSeconds: (ended - (assignedAt || started)) / 1000,
  }
}
