/**
 * Isobar's own thin Kafka interface. Services, the CLI and benchmarks use only these types, so another client
 * (e.g. @confluentinc/kafka-javascript) can be put beside the default one without touching callers.
 * Keys, values and header values are raw bytes here; serdes (JSON Schema + registry wire format) sit above.
 */

import type { PartitionerChoice } from './partitioner.ts'

export type Headers = Record<string, Buffer>

export type ClassicAssignor = 'range' | 'roundrobin' | 'cooperative-sticky'
export const CLASSIC_ASSIGNORS: readonly ClassicAssignor[] = ['range', 'roundrobin', 'cooperative-sticky']

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
  /**
   * How long the client keeps retrying a failed produce request before `send` rejects (default: the config's
   * deliveryTimeoutMs, 120 s). A rejection is final: callers must not re-send (that would reorder a key's records).
   */
  deliveryTimeoutMs?: number
  /** -1 = all (default), 1 = leader, 0 = none. Idempotence forces -1. */
  acks?: -1 | 0 | 1
  compression?: 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd'
  /** Transactional id for exactly-once producers. */
  transactionalId?: string
  /**
   * Partition of records that name none: 'murmur2' (default; Java's key hash, unkeyed records to partition 0),
   * 'sticky' (key hash; unkeyed records one partition per send(), like Java since KIP-480), 'round-robin' (every
   * record to the next partition, key or not) or a function returning an integer >= 0 (taken modulo the count).
   */
  partitioner?: PartitionerChoice
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
  /**
   * At-most-once delivery: the offsets of every fetched chunk are committed before its records are handed out, so a
   * crash while processing loses the rest of that chunk and never hands a record out twice. Needs a groupId;
   * automatic commits are then off. Default false (commit after processing, with `commit()` or autocommit).
   */
  atMostOnce?: boolean
  /** Read only committed transactional data. Default true. */
  readCommitted?: boolean
  /** Older name of fetchMaxWaitMs (fetchMaxWaitMs wins when both are given). */
  maxWaitMs?: number
  /**
   * fetch.min.bytes: the broker answers a fetch once this many bytes are ready (or fetchMaxWaitMs passed).
   * 1–52428800; default from the configuration's profile (balanced: 1).
   */
  fetchMinBytes?: number
  /** fetch.max.wait.ms: how long the broker may hold a fetch for fetchMinBytes. 0–30000, below requestTimeoutMs; balanced: 500. */
  fetchMaxWaitMs?: number
  /** fetch.max.bytes: most bytes per fetch response (one batch always fits). 1024–52428800; balanced: 1 MiB. */
  fetchMaxBytes?: number
  /** max.partition.fetch.bytes: most bytes per partition per fetch response. 1024–52428800; balanced: 1 MiB. */
  maxPartitionFetchBytes?: number
  /**
   * Called with the partitions this member owns after every group rebalance (group consumers only). A client that
   * can tell passes the generation of the join that gave this assignment (classic protocol); the platformatic
   * consumer does not yet (it reports changes of the partitions only; see docs/reliability.md).
   */
  onAssignment?: (assigned: Array<{ topic: string; partition: number }>, generationId?: number) => void
  /**
   * Group protocol: 'consumer' (KIP-848) or 'classic'. Default: 'consumer', unless `transactionalOffsets` asks for
   * one the client can commit offsets in a transaction with (the client layer knows which).
   */
  groupProtocol?: 'consumer' | 'classic'
  /**
   * This member's offsets are committed in producer transactions (`ProducerTransaction.sendOffsets`, exactly-once):
   * the client layer picks a group protocol under which that works (with @platformatic/kafka 2.12.1: 'classic').
   */
  transactionalOffsets?: boolean
  /**
   * Classic protocol only: the assignor the members run. 'roundrobin' (eager; the default), 'range' (eager, Kafka's
   * RangeAssignor) or 'cooperative-sticky' (incremental, KIP-429: only the partitions that move are revoked, the
   * others keep being processed through the rebalance). With the 'consumer' protocol the broker assigns; see
   * remoteAssignor.
   */
  assignor?: ClassicAssignor
  /** KIP-848 protocol only: the broker-side assignor, 'uniform' (the broker's default) or 'range'. */
  remoteAssignor?: 'uniform' | 'range'
  /**
   * Static membership (KIP-345). Classic: a restarted member with the same id takes its predecessor's place at once;
   * KIP-848: the broker refuses the id (UNRELEASED_INSTANCE_ID) until the old member left or its session expired.
   */
  groupInstanceId?: string
  /**
   * Classic protocol: how long the coordinator waits for a silent member (a crashed static member keeps its
   * partitions that long) before rebalancing. Default 45 s (Kafka's). KIP-848 members use the broker's
   * group.consumer.session.timeout.ms instead.
   */
  sessionTimeoutMs?: number
}

/** One completed classic group join: the generation and this member's partitions in it. */
export interface GroupJoin {
  generationId: number
  assigned: Array<{ topic: string; partition: number }>
}

/** A consumer's group membership at one moment (KIP-447): what a transactional offset commit is checked against. */
export interface GroupMetadata {
  groupId: string
  memberId: string
  /** The classic protocol's generation; 0 under KIP-848, whose member epoch the client does not expose. */
  generationId: number
}

export interface Consumer extends AsyncIterable<ConsumedRecord> {
  /** Commits offset+1 of the given records (the next offset to read). */
  commit(records: Array<Pick<ConsumedRecord, 'topic' | 'partition' | 'offset'>>): Promise<void>
  /** Current group membership; null before the consumer joined its group (or without a group). */
  groupMetadata(): GroupMetadata | null
  /** The partitions the group gave this member, as the client sees them now (empty without a group). */
  assignment(): Array<{ topic: string; partition: number }>
  /**
   * Classic protocol: the assignment of the last completed join with its generation, taken together (the client
   * moves its generation on a JoinGroup answer, before SyncGroup brings the assignment). Optional: a client that
   * cannot tell leaves it out (the platformatic consumer does not implement it yet).
   */
  lastJoin?(): GroupJoin | undefined
  close(): Promise<void>
}

export interface TransactionalProducerOptions {
  /** Stable per instance: a restarted instance with the same id fences its predecessor and aborts its open txn. */
  transactionalId: string
  compression?: ProducerOptions['compression']
}

/** One open transaction: records and consumer offsets become visible to read_committed readers atomically. */
export interface ProducerTransaction {
  send(records: ProducerRecord[]): Promise<DeliveryReport[]>
  /**
   * Adds the consumer group's position (offset+1 of the latest given record per partition) to the transaction.
   * The commit carries the member's generation, so a member that lost its partitions (a zombie) is refused.
   */
  sendOffsets(
    consumer: Consumer,
    records: Array<Pick<ConsumedRecord, 'topic' | 'partition' | 'offset'>>,
    /** The membership the records were processed under (default: the current one); refused if the group moved on. */
    metadata?: GroupMetadata,
  ): Promise<void>
  commit(): Promise<void>
  abort(): Promise<void>
}

export interface TransactionalProducer {
  readonly transactionalId: string
  /** Registers the id with the transaction coordinator: fences older producers and aborts their open transaction. */
  initTransactions(): Promise<void>
  /** One transaction at a time per producer. */
  beginTransaction(): Promise<ProducerTransaction>
  close(): Promise<void>
}

export interface ReadCommittedOptions {
  topic: string
  partition: number
  /** Default: the log start. */
  fromOffset?: bigint
  /** Called with each fetched chunk, in offset order; aborted transactional records are never passed. */
  onRecords: (records: ConsumedRecord[]) => void
  /** Overall bound of the read. Default 30 s. */
  timeoutMs?: number
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
  /**
   * Replicas of each partition (index = partition), the preferred leader first; instead of partitions and
   * replicationFactor (kafka-topics --replica-assignment).
   */
  replicaAssignment?: number[][]
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

/** Where a config value comes from: set on the topic, a broker setting (dynamic or static), or Kafka's default. */
export type ConfigEntrySource =
  | 'topic'
  | 'dynamic-broker'
  | 'dynamic-default-broker'
  | 'static-broker'
  | 'default'
  | 'broker-logger'
  | 'client-metrics'
  | 'group'
  | 'unknown'

export interface ConfigEntry {
  name: string
  /** null for sensitive values (never shown) and unset ones. */
  value: string | null
  source: ConfigEntrySource
  readOnly: boolean
  sensitive: boolean
}

export interface QuorumReplica {
  replicaId: number
  logEndOffset: bigint
  /** Records behind the quorum's high watermark. */
  lag: bigint
  /** ms since the epoch; null when the leader has not heard from the replica. */
  lastFetchTimestamp: number | null
  lastCaughtUpTimestamp: number | null
}

/** The KRaft metadata quorum: the active controller (leader), its voters and observers (brokers). */
export interface QuorumDescription {
  leaderId: number
  leaderEpoch: number
  highWatermark: bigint
  voters: QuorumReplica[]
  observers: QuorumReplica[]
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
  /** Every config of a topic or a broker (by node id) with its source, read-only and sensitive flags. */
  describeConfigEntries(resource: 'topic' | 'broker', name: string): Promise<ConfigEntry[]>
  /** The KRaft quorum (DescribeQuorum, forwarded by a broker to the active controller). */
  describeQuorum(): Promise<QuorumDescription>
  listOffsets(topic: string): Promise<PartitionOffsets[]>
  /** Per partition, the first offset whose timestamp is >= `timestamp` (ms), or null when no record is that recent. */
  offsetsForTimestamp(topic: string, timestamp: number): Promise<Array<{ partition: number; offset: bigint | null }>>
  /** On-disk size of every replica of the topic's partitions. */
  partitionSizes(topic: string): Promise<PartitionReplicaSize[]>
  /** Consumer groups of both protocols: classic and KIP-848 ('consumer'). */
  listGroups(): Promise<GroupListing[]>
  /** State, assignor/protocol and members with their assignments; GroupNotFoundError when unknown. */
  describeGroup(groupId: string): Promise<GroupDescription>
  /** Committed offsets (the next offset the group will read) of every partition it committed. */
  /**
   * `requireStable` (KIP-447): fail with UNSTABLE_OFFSET_COMMIT while a transaction that commits offsets for the
   * group is still completing, instead of answering with the offsets from before it.
   */
  groupOffsets(groupId: string, options?: { requireStable?: boolean }): Promise<GroupPartitionOffset[]>
  /** Lag of every committed or assigned partition, in offsets and in seconds. */
  groupLag(groupId: string): Promise<PartitionLag[]>
  /** Moves the group's committed offsets on one topic; GroupActiveError while the group has members. */
  resetGroupOffsets(
    groupId: string,
    topic: string,
    target: OffsetResetTarget,
    options?: { partitions?: number[] },
  ): Promise<GroupPartitionOffset[]>
  /** What resetGroupOffsets would set, with the lag before and after; changes nothing (allowed with members). */
  planGroupOffsetReset(
    groupId: string,
    topic: string,
    target: OffsetResetTarget,
    options?: { partitions?: number[] },
  ): Promise<OffsetResetPlan>
  /** GroupNotFoundError when unknown, GroupActiveError while it has members. */
  deleteGroup(groupId: string): Promise<void>
  /** A bounded read of one partition (a plain fetch, no consumer group). */
  readRecords(options: ReadRecordsOptions): Promise<ReadRecordsResult>
  close(): Promise<void>
}

export interface PartitionReplicaSize {
  partition: number
  broker: number
  sizeBytes: number
}

export interface GroupListing {
  groupId: string
  /** 'consumer' (KIP-848) or 'classic'. */
  type: string
  /** Stable, Empty, Reconciling, PreparingRebalance, Dead, … */
  state: string
  protocolType: string
}

export interface GroupMemberDescription {
  memberId: string
  instanceId: string | null
  clientId: string
  clientHost: string
  assignment: Array<{ topic: string; partitions: number[] }>
}

export interface GroupDescription {
  groupId: string
  type: string
  state: string
  /** Server-side assignor of a KIP-848 group (e.g. 'uniform'), or the classic group's protocol (e.g. 'range'). */
  protocol: string
  members: GroupMemberDescription[]
}

export interface GroupPartitionOffset {
  topic: string
  partition: number
  offset: bigint
}

export interface PartitionLag {
  topic: string
  partition: number
  /** Null when the partition is assigned but the group never committed on it. */
  committedOffset: bigint | null
  earliestOffset: bigint
  latestOffset: bigint
  /** Records between the committed offset (or the log start, when retention passed it) and the end; null without a commit. */
  lag: bigint | null
  /** Age of the next unconsumed record (now − its timestamp), 0 when caught up, null when unknown. */
  lagSeconds: number | null
  /** Timestamp (ms) of the next unconsumed record, null when caught up or unknown. */
  nextRecordTimestamp: number | null
}

export interface OffsetResetPlanRow {
  partition: number
  /** The committed offset; null when the group has none on the partition. */
  currentOffset: bigint | null
  newOffset: bigint
  earliestOffset: bigint
  latestOffset: bigint
  lagBefore: bigint | null
  lagAfter: bigint
}

export interface OffsetResetPlan {
  groupId: string
  topic: string
  /** Members now in the group: the reset itself is refused while this is > 0. */
  activeMembers: number
  partitions: OffsetResetPlanRow[]
}

export type OffsetResetTarget =
  | { to: 'earliest' }
  | { to: 'latest' }
  /** The first offset at or after this time (ms); the end of the partition when nothing is that recent. */
  | { to: 'timestamp'; timestamp: number }
  /** Clamped to the partition's [earliest, latest]. */
  | { to: 'offset'; offset: bigint }

export interface ReadRecordsOptions {
  topic: string
  partition: number
  /** An offset; the first record at or after a time (ms); the log start; or 'latest' = the last `limit` records. */
  from: { offset: bigint } | { timestamp: number } | 'earliest' | 'latest'
  limit: number
  /** Overall bound of the read. Default 10 s. */
  timeoutMs?: number
}

export interface ReadRecordsResult {
  records: ConsumedRecord[]
  /** The offset to continue from. */
  nextOffset: bigint
  earliestOffset: bigint
  latestOffset: bigint
}

/** One Kafka client implementation. `createKafkaClient(config)` returns the default (@platformatic/kafka). */
export interface KafkaClient {
  readonly name: string
  producer(options?: ProducerOptions): Producer
  consumer(options: ConsumerOptions): Consumer
  admin(): Admin
  transactionalProducer(options: TransactionalProducerOptions): TransactionalProducer
  /**
   * Reads one partition with read_committed isolation up to its last stable offset (the end, when no transaction
   * is open); resolves with the offset after the last record read. For restoring state from a changelog.
   */
  readCommitted(options: ReadCommittedOptions): Promise<{ nextOffset: bigint }>
}
