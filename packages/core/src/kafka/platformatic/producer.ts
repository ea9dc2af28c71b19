import { Producer as PltProducer, ProduceAcks, compatibilityPartitioner } from '@platformatic/kafka'
import type { KafkaConfig } from '../../config/kafka-config.ts'
import { KafkaRequestError } from '../../errors.ts'
import { partitionChooser, type PartitionChooser } from '../partitioner.ts'
import type { DeliveryReport, Producer, ProducerOptions, ProducerRecord } from '../types.ts'
import { baseOptions } from './options.ts'

type Message = Parameters<PltProducer['send']>[0]['messages'][number]

export class PlatformaticProducer implements Producer {
  readonly #producer: PltProducer
  /** Set when a partitioner other than the default key hash was chosen; picks partitions before the client. */
  readonly #chooser: PartitionChooser | undefined

  constructor(config: KafkaConfig, options: ProducerOptions = {}) {
    const idempotent = options.transactionalId !== undefined || (options.idempotent ?? true)
    this.#producer = new PltProducer({
      ...baseOptions(config, 'producer'),
      idempotent,
      acks: idempotent ? ProduceAcks.ALL : (options.acks ?? ProduceAcks.ALL),
      compression: options.compression ?? config.compression,
      // murmur2 masked to positive, modulo partitions: the same partition a Java producer picks for a key.
      partitioner: compatibilityPartitioner,
      autocreateTopics: false,
      ...(options.transactionalId ? { transactionalId: options.transactionalId } : {}),
    })
    const choice = options.partitioner ?? 'murmur2'
    this.#chooser = choice === 'murmur2' ? undefined : partitionChooser(choice)
  }

  async send(records: ProducerRecord[]): Promise<DeliveryReport[]> {
    if (records.length === 0) return []
    const messages = toMessages(records, this.#chooser)
    this.#chooser?.nextBatch()
    try {
      const result = await this.#producer.send({ messages })
      return (result.offsets ?? []).map((o) => ({ topic: o.topic, partition: o.partition, baseOffset: o.offset }))
    } catch (error) {
      throw new KafkaRequestError('Produce', error, true)
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
