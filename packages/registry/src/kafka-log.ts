/**
 * `SchemaLog` over Kafka: the `_schemas` topic (exactly 1 partition, `cleanup.policy=compact`, created when
 * missing). Appends go to partition 0 with an idempotent acks=all producer; a groupless consumer reads from the
 * earliest offset and keeps tailing; the end offset comes from ListOffsets (Karapace style, no NOOP write).
 */
import type { Admin, Consumer, KafkaClient, Producer } from '@isobar/core'
import { RegistryError, RegistryErrorCodes } from './errors.ts'
import type { LogRecord, SchemaLog } from './store/schema-log.ts'
import { TopicNames } from '@isobar/schemas'

export interface KafkaSchemaLogOptions {
  client: KafkaClient
  /** Default `_schemas`. */
  topic?: string
  /** Replication factor when the topic is created. Default: the broker's default. */
  replicationFactor?: number
  /** Called when the tailing consumer fails (it is restarted after a pause). */
  onError?: (error: unknown) => void
}

const RESTART_DELAY_MS = 1000

export class KafkaSchemaLog implements SchemaLog {
  readonly topic: string
  readonly #client: KafkaClient
  readonly #replicationFactor: number | undefined
  readonly #onError: (error: unknown) => void
  #admin: Admin | undefined
  #producer: Producer | undefined
  #consumer: Consumer | undefined
  #closed = false
  /** Highest offset handed to the subscriber; records at or below it are skipped after a consumer restart. */
  #delivered = -1n

  constructor(options: KafkaSchemaLogOptions) {
    this.#client = options.client
    this.topic = options.topic ?? TopicNames.SCHEMAS
    this.#replicationFactor = options.replicationFactor
    this.#onError = options.onError ?? (() => undefined)
  }

  #adminClient(): Admin {
    this.#admin ??= this.#client.admin()
    return this.#admin
  }

  /** Creates the topic if missing; refuses one with several partitions or without compaction. */
  async ensureTopic(): Promise<void> {
    const admin = this.#adminClient()
    const topics = await admin.listTopics({ includeInternal: true })
    if (!topics.includes(this.topic)) {
      await admin.createTopics(
        [
          {
            name: this.topic,
            partitions: 1,
            ...(this.#replicationFactor === undefined ? {} : { replicationFactor: this.#replicationFactor }),
            configs: { 'cleanup.policy': 'compact' },
          },
        ],
        { ifNotExists: true },
      )
      return
    }
    const [description] = await admin.describeTopics([this.topic])
    if (description?.partitions.length !== 1) {
      throw new RegistryError(
        RegistryErrorCodes.TOPIC_MISCONFIGURED,
        `The schemas topic ${this.topic} must have exactly 1 partition, it has ${description?.partitions.length ?? 0}`,
      )
    }
    const configs = await admin.describeTopicConfigs(this.topic)
    if (!(configs['cleanup.policy'] ?? '').split(',').includes('compact')) {
      throw new RegistryError(
        RegistryErrorCodes.TOPIC_MISCONFIGURED,
        `The schemas topic ${this.topic} must have cleanup.policy=compact, it has ${configs['cleanup.policy'] ?? 'delete'}`,
      )
    }
  }

  async append(key: Buffer, value: Buffer | null): Promise<{ offset: bigint }> {
    this.#producer ??= this.#client.producer({ idempotent: true, acks: -1 })
    const [report] = await this.#producer.send([{ topic: this.topic, partition: 0, key, value }])
    if (!report) throw new Error(`no delivery report for the write to ${this.topic}`)
    return { offset: report.baseOffset }
  }

  /** Starts tailing in the background; `Replica.start` then waits for the end offset to be applied. */
  subscribe(onRecord: (record: LogRecord) => void): Promise<void> {
    void this.#tail(onRecord)
    return Promise.resolve()
  }

  async #tail(onRecord: (record: LogRecord) => void): Promise<void> {
    while (!this.#closed) {
      const consumer = this.#client.consumer({ topics: [this.topic], from: 'earliest', autocommitMs: false })
      this.#consumer = consumer
      try {
        for await (const record of consumer) {
          if (this.#closed) break
          if (record.offset <= this.#delivered) continue
          this.#delivered = record.offset
          onRecord({
            key: record.key ?? Buffer.alloc(0),
            value: record.value && record.value.length > 0 ? record.value : null,
            offset: record.offset,
            timestamp: record.timestamp,
          })
        }
      } catch (error) {
        if (!this.#closed) this.#onError(error)
      }
      await consumer.close().catch(() => undefined)
      if (!this.#closed) await new Promise((resolve) => setTimeout(resolve, RESTART_DELAY_MS))
    }
  }

  async endOffset(): Promise<bigint> {
    const offsets = await this.#adminClient().listOffsets(this.topic)
    return offsets.find((o) => o.partition === 0)?.latest ?? 0n
  }

  async close(): Promise<void> {
    this.#closed = true
    await Promise.allSettled([this.#consumer?.close(), this.#producer?.close(), this.#admin?.close()])
  }
}
