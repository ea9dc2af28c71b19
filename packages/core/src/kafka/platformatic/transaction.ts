import { Producer as PltProducer, compatibilityPartitioner, type Message } from '@platformatic/kafka'
import type { KafkaConfig } from '../../config/kafka-config.ts'
import { InvalidArgumentError, KafkaRequestError } from '../../errors.ts'
import type {
  ConsumedRecord,
  Consumer,
  DeliveryReport,
  GroupMetadata,
  ProducerRecord,
  ProducerTransaction,
  TransactionalProducer,
  TransactionalProducerOptions,
} from '../types.ts'
import { PlatformaticConsumer } from './consumer.ts'
import { capClientApis } from './client-api-caps.ts'
import { baseOptions } from './options.ts'
import { toMessages } from './producer.ts'

type Transaction = Awaited<ReturnType<PltProducer['beginTransaction']>>

/** A transactional producer (KIP-98) whose offset commits carry the consumer's group metadata (KIP-447). */
export class PlatformaticTransactionalProducer implements TransactionalProducer {
  readonly transactionalId: string
  readonly #producer: PltProducer

  constructor(config: KafkaConfig, options: TransactionalProducerOptions) {
    this.transactionalId = options.transactionalId
    this.#producer = new PltProducer({
      ...baseOptions(config, 'txn-producer'),
      // A transaction right after another often meets CONCURRENT_TRANSACTIONS while the broker writes the previous
      // one's markers: retry soon (like the Java client) rather than after the 250 ms default.
      retries: 20,
      retryDelay: 25,
      idempotent: true,
      transactionalId: options.transactionalId,
      // 2.12.1 defaults to producerId 0 / epoch 0, which the broker takes for an epoch bump of a producer it never
      // issued and answers PRODUCER_FENCED: a restarted process could never reuse its transactional id. Repro:
      // stream/test/repro/txn-reinit-repro.ts; when to drop this: test/kafka/platformatic/client-bugs.test.ts.
      producerId: -1n,
      producerEpoch: -1,
      compression: options.compression ?? config.compression,
      partitioner: compatibilityPartitioner,
      autocreateTopics: false,
    })
    capClientApis(this.#producer)
  }

  async initTransactions(): Promise<void> {
    // The client runs InitProducerId on its first transaction; cancelling ends it locally without an EndTxn.
    const transaction = await this.#begin()
    await transaction.cancel()
  }

  async beginTransaction(): Promise<ProducerTransaction> {
    return new PlatformaticProducerTransaction(await this.#begin())
  }

  async #begin(): Promise<Transaction> {
    try {
      return await this.#producer.beginTransaction()
    } catch (error) {
      throw new KafkaRequestError('Beginning a transaction', error, true)
    }
  }

  async close(): Promise<void> {
    await this.#producer.close(true)
  }
}

class PlatformaticProducerTransaction implements ProducerTransaction {
  readonly #transaction: Transaction

  constructor(transaction: Transaction) {
    this.#transaction = transaction
  }

  async send(records: ProducerRecord[]): Promise<DeliveryReport[]> {
    if (records.length === 0) return []
    try {
      const result = await this.#transaction.send({ messages: toMessages(records) })
      return (result.offsets ?? []).map((o) => ({ topic: o.topic, partition: o.partition, baseOffset: o.offset }))
    } catch (error) {
      throw new KafkaRequestError('Transactional produce', error, false)
    }
  }

  async sendOffsets(
    consumer: Consumer,
    records: Array<Pick<ConsumedRecord, 'topic' | 'partition' | 'offset'>>,
    expected?: GroupMetadata,
  ): Promise<void> {
    if (!(consumer instanceof PlatformaticConsumer)) {
      throw new InvalidArgumentError('sendOffsets needs a consumer of the same client', { field: 'consumer' })
    }
    if (records.length === 0) return
    const native = consumer.native
    const latest = new Map<string, Pick<ConsumedRecord, 'topic' | 'partition' | 'offset'>>()
    for (const r of records) {
      const id = `${r.topic}:${r.partition}`
      const known = latest.get(id)
      if (!known || known.offset < r.offset) latest.set(id, r)
    }
    // The client commits offset+1 of a message and takes the group metadata from it, as read at commit time.
    const metadata = {
      consumer: {
        groupId: native.groupId,
        memberId: expected?.memberId ?? native.memberId,
        generationId: expected?.generationId ?? native.generationId,
        coordinatorId: native.coordinatorId,
      },
    }
    try {
      await this.#transaction.addConsumer(native)
      for (const r of latest.values()) {
        const message = { topic: r.topic, partition: r.partition, offset: r.offset, metadata } as unknown as Message
        await this.#transaction.addOffset(message)
      }
    } catch (error) {
      throw new KafkaRequestError('Transactional offset commit', error, false)
    }
  }

  async commit(): Promise<void> {
    try {
      await this.#transaction.commit()
    } catch (error) {
      throw new KafkaRequestError('Transaction commit', error, false)
    }
  }

  async abort(): Promise<void> {
    try {
      await this.#transaction.abort()
    } catch (error) {
      throw new KafkaRequestError('Transaction abort', error, false)
    }
  }
}
