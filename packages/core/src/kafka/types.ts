/**
 * Isobar's own thin Kafka interface. Services, the CLI and benchmarks use only these types, so another client
 * (e.g. @confluentinc/kafka-javascript) can be put beside the default one without touching callers.
 * Keys, values and header values are raw bytes here; serdes (JSON Schema + registry wire format) sit above.
 */

export type Headers = Record<string, Buffer>

export interface ProducerRecord {
  topic: string
  key?: Buffer | null
  value: Buffer | null
  headers?: Headers
  /** Explicit partition; when absent the Java-compatible murmur2 partitioner picks one from the key. */
  partition?: number
  /** Milliseconds since the epoch; defaults to now (CreateTime). */
  timestamp?: number
}

export interface DeliveryReport {
  topic: string
  partition: number
  /** Offset of the first record of this send in that partition. */
  baseOffset: bigint
}

export interface ConsumedRecord {
  topic: string
  partition: number
  offset: bigint
  /** Milliseconds since the epoch. */
  timestamp: number
  key: Buffer | null
  value: Buffer | null
  headers: Headers
}

export interface ProducerOptions {
  /** Idempotent producer (acks=all, retries bounded by deliveryTimeoutMs). Default true. */
  idempotent?: boolean
  /** -1 = all (default), 1 = leader, 0 = none. Idempotence forces -1. */
  acks?: -1 | 0 | 1
  compression?: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd'
  /** Transactional id for exactly-once producers. */
  transactionalId?: string
}

export interface Producer {
  /** Sends the records as one request per broker; resolves when every record is acknowledged. */
  send(records: ProducerRecord[]): Promise<DeliveryReport[]>
  close(): Promise<void>
}

export type StartPosition = 'earliest' | 'latest' | 'committed'

export interface ConsumerOptions {
  /** Consumer group id; without one the consumer reads all partitions itself and commits nothing. */
  groupId?: string
  topics: string[]
  /** Where to start when the group has no committed offset (or always, without a group). Default 'latest'. */
  from?: 'earliest' | 'latest'
  /** Commit offsets automatically (interval ms) or not at all (false). Default 5000 with a group. */
  autocommitMs?: number | false
  /** Read only committed transactional data. Default true. */
  readCommitted?: boolean
  maxWaitMs?: number
  /** Called with the partitions this member owns after every group rebalance (group consumers only). */
  onAssignment?: (assigned: Array<{ topic: string; partition: number }>) => void
}

export interface Consumer extends AsyncIterable<ConsumedRecord> {
  /** Commits offset+1 of the given records (the next offset to read). */
  commit(records: Array<Pick<ConsumedRecord, 'topic' | 'partition' | 'offset'>>): Promise<void>
  close(): Promise<void>
}

export interface TopicPartitionInfo {
  partition: number
  leader: number
  replicas: number[]
  isr: number[]
}

export interface TopicDescription {
  name: string
  id: string
  partitions: TopicPartitionInfo[]
  internal: boolean
}

export interface NewTopic {
  name: string
  partitions?: number
  replicationFactor?: number
  configs?: Record<string, string>
}

export interface BrokerInfo {
  nodeId: number
  host: string
  port: number
  rack: string | null
}

export interface ClusterDescription {
  clusterId: string
  controllerId: number
  brokers: BrokerInfo[]
}

export interface PartitionOffsets {
  partition: number
  earliest: bigint
  latest: bigint
}

export interface Admin {
  describeCluster(): Promise<ClusterDescription>
  listTopics(options?: { includeInternal?: boolean }): Promise<string[]>
  describeTopics(names: string[]): Promise<TopicDescription[]>
  createTopics(topics: NewTopic[], options?: { ifNotExists?: boolean }): Promise<void>
  deleteTopics(names: string[]): Promise<void>
  describeTopicConfigs(name: string): Promise<Record<string, string>>
  alterTopicConfigs(name: string, set: Record<string, string>, remove?: string[]): Promise<void>
  createPartitions(name: string, totalCount: number): Promise<void>
  listOffsets(topic: string): Promise<PartitionOffsets[]>
  close(): Promise<void>
}

/** One Kafka client implementation. `createKafkaClient(config)` returns the default (@platformatic/kafka). */
export interface KafkaClient {
  readonly name: string
  producer(options?: ProducerOptions): Producer
  consumer(options: ConsumerOptions): Consumer
  admin(): Admin
}
