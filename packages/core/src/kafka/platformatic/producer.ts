import { Producer as PltProducer, ProduceAcks, compatibilityPartitioner } from '@platformatic/kafka'
import type { KafkaConfig } from '../../config/kafka-config.ts'
import { KafkaRequestError } from '../../errors.ts'
import { partitionChooser, type PartitionChooser } from '../partitioner.ts'
import type { DeliveryReport, Producer, ProducerOptions, ProducerRecord } from '../types.ts'
import { isRetriable } from './errors.ts'
import { baseOptions, produceRetries, produceRetryDelay } from './options.ts'
import { SendChain } from './send-chain.ts'

type Message = Parameters<PltProducer['send']>[0]['messages'][number]

export class PlatformaticProducer implements Producer {
  readonly #producer: PltProducer
  readonly #chain: SendChain | undefined
  /** Set when a partitioner other than the default key hash was chosen; picks partitions before the client. */
  readonly #chooser: PartitionChooser | undefined

  constructor(config: KafkaConfig, options: ProducerOptions = {}) {
    const idempotent = options.transactionalId !== undefined || (options.idempotent ?? true)
    this.#producer = new PltProducer({
      ...baseOptions(config, 'producer'),
      // Retries are the client's job: it re-sends a failed request with the same producer id and sequence numbers,
      // so the broker drops duplicates and keeps each partition's order. An application-level re-send after the
      // client gave up would get new sequence numbers behind records sent since: per-key reordering.
      retries: produceRetries(options.deliveryTimeoutMs ?? config.deliveryTimeoutMs),
      retryDelay: (_client, _operation, attempt) => produceRetryDelay(attempt),
      idempotent,
      acks: idempotent ? ProduceAcks.ALL : (options.acks ?? ProduceAcks.ALL),
      compression: options.compression ?? config.compression,
      // murmur2 masked to positive, modulo partitions: the same partition a Java producer picks for a key.
      partitioner: compatibilityPartitioner,
      autocreateTopics: false,
      ...(options.transactionalId ? { transactionalId: options.transactionalId } : {}),
    })
    this.#chain = idempotent ? new SendChain() : undefined
    const choice = options.partitioner ?? 'murmur2'
    this.#chooser = choice === 'murmur2' ? undefined : partitionChooser(choice)
  }

  async send(records: ProducerRecord[]): Promise<DeliveryReport[]> {
    if (records.length === 0) return []
    const messages = toMessages(records, this.#chooser)
    this.#chooser?.nextBatch()
    try {
      const send = () => this.#producer.send({ messages })
      const result = await (this.#chain ? this.#chain.run(send) : send())
      return (result.offsets ?? []).map((o) => ({ topic: o.topic, partition: o.partition, baseOffset: o.offset }))
    } catch (error) {
      // Retriable only when the client gave up on retriable errors (its retry budget ran out), never for a refusal.
      throw new KafkaRequestError('Produce', error, isRetriable(error))
    }
  }

  async close(): Promise<void> {
    await this.#producer.close(true)
  }
}

/** Our records as the client's messages (shared with the transactional producer). */
export function toMessages(records: ProducerRecord[], chooser?: PartitionChooser): Message[] {
  const messages: Message[] = new Array<Message>(records.length)
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!
    const message: Message = { topic: r.topic, value: r.value ?? undefined }
    if (r.key) message.key = r.key
    if (r.headers) message.headers = toHeaderMap(r.headers)
    if (r.partition !== undefined) message.partition = r.partition
    // A raw number: the client takes it modulo the topic's partition count before sending.
    else if (chooser) message.partition = chooser.partitionFor(r)
    if (r.timestamp !== undefined) message.timestamp = BigInt(r.timestamp)
    messages[i] = message
  }
  return messages
}

// Without serializers the client wants Buffer header keys.
function toHeaderMap(headers: Record<string, Buffer>): Map<Buffer, Buffer> {
  const map = new Map<Buffer, Buffer>()
  for (const [key, value] of Object.entries(headers)) map.set(Buffer.from(key), value)
  return map
}
