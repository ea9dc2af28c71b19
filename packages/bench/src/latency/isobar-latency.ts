import { BatchingProducer, type KafkaClient, type KafkaConfig } from '@isobar/core'

export interface IsobarLatencyInput {
  client: KafkaClient
  kafkaConfig: KafkaConfig
  topic: string
  /** Records per second the producer is paced at. */
  rate: number
  seconds: number
  recordSize: number
  /** Overall bound: a lost record fails the run instead of hanging it. */
  timeoutMs: number
}

export interface IsobarLatencyRun {
  sent: number
  /** Produce→consume latency of every measured record, ms, by index. */
  latenciesMs: Float64Array
  /** Records/s actually offered (sent / pacing wall time): below `rate` when the producer could not keep up. */
  offeredPerSec: number
}

const WARMUP = -1

/**
 * Produces `rate * seconds` records at a fixed rate through Isobar's idempotent producer and BatchingProducer with
 * the configuration's batch, linger and compression (its KAFKA_PROFILE), while one consumer in the same process
 * (no group, read_uncommitted, the configuration's fetch settings) reads them. Each record carries its index; its
 * latency runs from the moment the schedule said it was due (not when the loop got to it, so a stalled producer
 * shows up in the figures instead of hiding them: no coordinated omission) to the moment the consumer hands it out.
 * Warm-up records go first until one arrives, so the consumer is fetching before the clock starts.
 */
export async function runIsobarLatency(input: IsobarLatencyInput): Promise<IsobarLatencyRun> {
  const { client, kafkaConfig, topic, rate } = input
  const total = Math.max(1, Math.round(rate * input.seconds))
  const dueAt = new Float64Array(total)
  const latencies = new Float64Array(total).fill(Number.NaN)
  let received = 0
  let warmedUp = false
  const consumer = client.consumer({ topics: [topic], from: 'earliest', readCommitted: false })
  const producer = client.producer({ idempotent: true })
  const batching = new BatchingProducer(producer, { ...kafkaConfig.batch, maxInFlight: kafkaConfig.maxInFlight })
  let failure: Error | undefined
  const onDelivery = (error: Error | null): void => {
    failure ??= error ?? undefined
  }
  const deadline = performance.now() + input.timeoutMs
  const reading = (async () => {
    for await (const record of consumer) {
      const now = performance.now()
      const index = record.value?.readInt32BE(0) ?? WARMUP
      if (index === WARMUP) {
        warmedUp = true
        continue
      }
      if (Number.isNaN(latencies[index]!)) {
        latencies[index] = now - dueAt[index]!
        if (++received === total) break
      }
    }
  })()
  const value = (index: number): Buffer => {
    const buffer = Buffer.alloc(Math.max(4, input.recordSize), 0x41)
    buffer.writeInt32BE(index, 0)
    return buffer
  }
  const timer = setTimeout(() => void consumer.close(), input.timeoutMs)
  try {
    while (!warmedUp) {
      if (performance.now() > deadline) throw new Error('latency bench: the consumer received no warm-up record')
      batching.produce({ topic, value: value(WARMUP) }, onDelivery)
      await batching.flush()
      await sleep(50)
    }
    const started = performance.now()
    let sent = 0
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - started) * rate) / 1000) + 1)
      while (sent < due) {
        dueAt[sent] = started + (sent * 1000) / rate
        if (!batching.produce({ topic, value: value(sent) }, onDelivery)) await batching.ready()
        sent++
      }
      if (failure) throw failure
      if (sent < total) await sleep(1)
    }
    const offeredSeconds = (performance.now() - started) / 1000
    await batching.flush()
    if (failure) throw failure
    await reading
    if (received < total) throw new Error(`latency bench: the consumer received ${received} of ${total} records`)
    return { sent, latenciesMs: latencies, offeredPerSec: sent / offeredSeconds }
  } finally {
    clearTimeout(timer)
    await consumer.close()
    await reading.catch(() => undefined)
    await producer.close()
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
