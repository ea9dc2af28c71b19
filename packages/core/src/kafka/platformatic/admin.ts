import {
  Admin as PltAdmin,
  ConfigResourceTypes,
  IncrementalAlterConfigOperationTypes,
  type IncrementalAlterConfigsOptions,
} from '@platformatic/kafka'
import type { KafkaConfig } from '../../config/kafka-config.ts'
import {
  describeCause,
  InvalidArgumentError,
  KafkaRequestError,
  TopicExistsError,
  TopicNotFoundError,
} from '../../errors.ts'
import type {
  Admin,
  ClusterDescription,
  ConfigEntry,
  GroupDescription,
  GroupListing,
  GroupPartitionOffset,
  NewTopic,
  OffsetResetPlan,
  OffsetResetTarget,
  PartitionLag,
  PartitionOffsets,
  PartitionReplicaSize,
  QuorumDescription,
  ReadRecordsOptions,
  ReadRecordsResult,
  TopicDescription,
} from '../types.ts'
import { describeConfigEntries, describeQuorum } from './admin-configs.ts'
import * as groups from './admin-groups.ts'
import { readRecords } from './admin-read.ts'
import { hasProtocolError, isUnknownTopicError, serverErrorMessages } from './errors.ts'
import { baseOptions } from './options.ts'

const EARLIEST_TIMESTAMP = -2n
const LATEST_TIMESTAMP = -1n

// Broker refusals caused by the request itself (bad config value, too few partitions…): the caller's fault.
const INVALID_REQUEST_ERRORS = [
  'INVALID_CONFIG',
  'INVALID_PARTITIONS',
  'INVALID_REPLICATION_FACTOR',
  'INVALID_REPLICA_ASSIGNMENT',
  'INVALID_TOPIC_EXCEPTION',
  'POLICY_VIOLATION',
  'INVALID_REQUEST',
]

export class PlatformaticAdmin implements Admin {
  readonly #admin: PltAdmin
  readonly #config: KafkaConfig
  readonly #groups: groups.GroupContext

  constructor(config: KafkaConfig) {
    this.#config = config
    this.#admin = new PltAdmin(baseOptions(config, 'admin'))
    this.#groups = { plt: this.#admin, config, topics: this }
  }

  async describeCluster(): Promise<ClusterDescription> {
    const metadata = await this.#call('Describe cluster', () => this.#admin.metadata({ topics: [], forceUpdate: true }))
    return {
      clusterId: metadata.id,
      controllerId: metadata.controllerId,
      brokers: [...metadata.brokers.entries()]
        .map(([nodeId, b]) => ({ nodeId, host: b.host, port: b.port, rack: b.rack ?? null }))
        .sort((a, b) => a.nodeId - b.nodeId),
    }
  }

  async listTopics(options: { includeInternal?: boolean } = {}): Promise<string[]> {
    const topics = await this.#call('List topics', () =>
      this.#admin.listTopics({ includeInternals: options.includeInternal ?? false }),
    )
    return topics.sort()
  }

  async describeTopics(names: string[]): Promise<TopicDescription[]> {
    const existing = new Set(await this.listTopics({ includeInternal: true }))
    for (const name of names) if (!existing.has(name)) throw new TopicNotFoundError(name)
    const metadata = await this.#call('Describe topics', () => this.#topicMetadata(names))
    return names.map((name) => {
      const topic = metadata.topics.get(name)
      if (!topic) throw new TopicNotFoundError(name)
      return {
        name,
        id: topic.id,
        internal: name.startsWith('__'),
        partitions: topic.partitions.map((p, partition) => ({
          partition,
          leader: p.leader,
          replicas: [...p.replicas],
          isr: [...p.isr],
        })),
      }
    })
  }

  // Right after a topic is created or deleted (by anyone), brokers may briefly answer its metadata with
  // LEADER_NOT_AVAILABLE or UNKNOWN_TOPIC_OR_PARTITION although the controller listed it: retry for a moment, then
  // a topic that is still unknown is reported as not found (404), not as a broker failure (502).
  async #topicMetadata(names: string[], attempts = 10, delayMs = 200) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#admin.metadata({ topics: names, forceUpdate: true })
      } catch (error) {
        const unknown = isUnknownTopicError(error)
        if (!unknown && !hasProtocolError(error, 'LEADER_NOT_AVAILABLE')) throw error
        if (attempt >= attempts) {
          if (unknown && names.length === 1) throw new TopicNotFoundError(names[0] as string)
          throw error
        }
        await new Promise((resolve) => setTimeout(resolve, delayMs))
      }
    }
  }

  async createTopics(topics: NewTopic[], options: { ifNotExists?: boolean } = {}): Promise<void> {
    for (const topic of topics) {
      try {
        const assignment = topic.replicaAssignment
        await this.#admin.createTopics({
          topics: [topic.name],
          // Kafka wants -1 for both when the replicas are assigned.
          partitions: assignment ? -1 : (topic.partitions ?? -1),
          replicas: assignment ? -1 : (topic.replicationFactor ?? -1),
          ...(assignment ? { assignments: assignment.map((brokers, partition) => ({ partition, brokers })) } : {}),
          configs: Object.entries(topic.configs ?? {}).map(([name, value]) => ({ name, value })),
        })
      } catch (error) {
        if (hasProtocolError(error, 'TOPIC_ALREADY_EXISTS')) {
          if (options.ifNotExists) continue
          throw new TopicExistsError(topic.name)
        }
        throw requestError(`Creating topic ${topic.name}`, error)
      }
      await this.#awaitLeaders(topic.name)
    }
  }

  // The controller answers before every broker has the new topic's (or partitions') metadata; wait until the
  // partitions have leaders so the caller's next describe or produce does not see "unknown topic" or the old count.
  async #awaitLeaders(name: string, partitions = 1, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      try {
        const metadata = await this.#admin.metadata({ topics: [name], forceUpdate: true })
        const topic = metadata.topics.get(name)
        if (topic && topic.partitions.length >= partitions && topic.partitions.every((p) => p.leader >= 0)) return
      } catch {
        // not visible yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }

  async deleteTopics(names: string[]): Promise<void> {
    try {
      await this.#admin.deleteTopics({ topics: names })
    } catch (error) {
      if (hasProtocolError(error, 'UNKNOWN_TOPIC_OR_PARTITION') || hasProtocolError(error, 'UNKNOWN_TOPIC_ID')) {
        throw new TopicNotFoundError(names.join(','))
      }
      throw new KafkaRequestError(`Deleting ${names.join(',')}`, error)
    }
  }

  async describeTopicConfigs(name: string): Promise<Record<string, string>> {
    const result = await this.#call(
      `Describing configs of ${name}`,
      () =>
        this.#admin.describeConfigs({ resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: name }] }),
      name,
    )
    const configs: Record<string, string> = {}
    for (const c of result[0]?.configs ?? []) if (typeof c.value === 'string') configs[c.name] = c.value
    return configs
  }

  async alterTopicConfigs(name: string, set: Record<string, string>, remove: string[] = []): Promise<void> {
    const configs: IncrementalAlterConfigsOptions['resources'][number]['configs'] = [
      ...Object.entries(set).map(([key, value]) => ({
        name: key,
        value,
        configOperation: IncrementalAlterConfigOperationTypes.SET,
      })),
      ...remove.map((key) => ({ name: key, configOperation: IncrementalAlterConfigOperationTypes.DELETE })),
    ]
    await this.#call(
      `Altering configs of ${name}`,
      () =>
        this.#admin.incrementalAlterConfigs({
          resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: name, configs }],
        }),
      name,
    )
  }

  async createPartitions(name: string, totalCount: number): Promise<void> {
    await this.#call(
      `Adding partitions to ${name}`,
      () => this.#admin.createPartitions({ topics: [{ name, count: totalCount }] }),
      name,
    )
    await this.#awaitLeaders(name, totalCount)
  }

  describeConfigEntries(resource: 'topic' | 'broker', name: string): Promise<ConfigEntry[]> {
    return this.#call(
      `Describing configs of ${resource} ${name}`,
      () => describeConfigEntries(this.#admin, resource, name),
      resource === 'topic' ? name : undefined,
    )
  }

  async describeQuorum(): Promise<QuorumDescription> {
    const { brokers } = await this.describeCluster()
    const broker = brokers[0]
    if (!broker) throw new KafkaRequestError('Describe quorum', new Error('the cluster lists no broker'))
    return this.#call('Describe quorum', () => describeQuorum(this.#config, broker))
  }

  async listOffsets(topic: string): Promise<PartitionOffsets[]> {
    const [description] = await this.describeTopics([topic])
    const partitions = description?.partitions.map((p) => p.partition) ?? []
    // One after the other: two concurrent ListOffsets for the same topic through one client may be answered with
    // the same result (seen in CI: a read from "earliest" started at the log end and returned nothing).
    const earliest = await this.#offsetsAt(topic, partitions, EARLIEST_TIMESTAMP)
    const latest = await this.#offsetsAt(topic, partitions, LATEST_TIMESTAMP)
    return partitions.map((partition) => ({
      partition,
      earliest: earliest.get(partition) ?? 0n,
      latest: latest.get(partition) ?? 0n,
    }))
  }

  async offsetsForTimestamp(
    topic: string,
    timestamp: number,
  ): Promise<Array<{ partition: number; offset: bigint | null }>> {
    if (!Number.isFinite(timestamp) || timestamp < 0) {
      throw new InvalidArgumentError(`timestamp must be milliseconds since the epoch, got ${timestamp}`, {
        field: 'timestamp',
      })
    }
    const [description] = await this.describeTopics([topic])
    const partitions = description?.partitions.map((p) => p.partition) ?? []
    const found = await this.#offsetsAt(topic, partitions, BigInt(Math.floor(timestamp)))
    return partitions.map((partition) => {
      const offset = found.get(partition)
      return { partition, offset: offset === undefined || offset < 0n ? null : offset }
    })
  }

  async #offsetsAt(topic: string, partitions: number[], timestamp: bigint): Promise<Map<number, bigint>> {
    const result = await this.#call(`Listing offsets of ${topic}`, () =>
      this.#admin.listOffsets({
        topics: [{ name: topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp })) }],
      }),
    )
    return new Map(result.flatMap((t) => t.partitions.map((p) => [p.partitionIndex, p.offset] as const)))
  }

  async partitionSizes(topic: string): Promise<PartitionReplicaSize[]> {
    const [description] = await this.describeTopics([topic])
    const partitions = description?.partitions.map((p) => p.partition) ?? []
    const brokers = await this.#call(`Describing log dirs of ${topic}`, () =>
      this.#admin.describeLogDirs({ topics: [{ name: topic, partitions }] }),
    )
    const sizes: PartitionReplicaSize[] = []
    for (const broker of brokers) {
      for (const dir of broker.results) {
        for (const t of dir.topics) {
          if (t.name !== topic) continue
          for (const p of t.partitions) {
            if (p.isFutureKey) continue
            sizes.push({ partition: p.partitionIndex, broker: broker.broker, sizeBytes: Number(p.partitionSize) })
          }
        }
      }
    }
    return sizes.sort((a, b) => a.partition - b.partition || a.broker - b.broker)
  }

  listGroups(): Promise<GroupListing[]> {
    return groups.listGroups(this.#groups)
  }

  describeGroup(groupId: string): Promise<GroupDescription> {
    return groups.describeGroup(this.#groups, groupId)
  }

  groupOffsets(groupId: string, options?: { requireStable?: boolean }): Promise<GroupPartitionOffset[]> {
    return groups.groupOffsets(this.#groups, groupId, options)
  }

  groupLag(groupId: string): Promise<PartitionLag[]> {
    return groups.groupLag(this.#groups, groupId)
  }

  resetGroupOffsets(
    groupId: string,
    topic: string,
    target: OffsetResetTarget,
    options: { partitions?: number[] } = {},
  ): Promise<GroupPartitionOffset[]> {
    return groups.resetGroupOffsets(this.#groups, groupId, topic, target, options.partitions)
  }

  planGroupOffsetReset(
    groupId: string,
    topic: string,
    target: OffsetResetTarget,
    options: { partitions?: number[] } = {},
  ): Promise<OffsetResetPlan> {
    return groups.planGroupOffsetReset(this.#groups, groupId, topic, target, options.partitions)
  }

  deleteGroup(groupId: string): Promise<void> {
    return groups.deleteGroup(this.#groups, groupId)
  }

  readRecords(options: ReadRecordsOptions): Promise<ReadRecordsResult> {
    return readRecords(this, this.#config, options)
  }

  async close(): Promise<void> {
    await this.#admin.close()
  }

  async #call<T>(operation: string, run: () => Promise<T>, topic?: string): Promise<T> {
    try {
      return await run()
    } catch (error) {
      if (error instanceof TopicNotFoundError) throw error
      if (topic && hasProtocolError(error, 'UNKNOWN_TOPIC_OR_PARTITION')) throw new TopicNotFoundError(topic)
      throw requestError(operation, error)
    }
  }
}

function requestError(operation: string, error: unknown): Error {
  const invalid = INVALID_REQUEST_ERRORS.find((id) => hasProtocolError(error, id))
  if (invalid) {
    // The broker's sentence ("Invalid value soon for configuration retention.ms: …") says more than the code.
    const explained = serverErrorMessages(error)
    const reason = explained.length > 0 ? `${explained.join('; ')} (${invalid})` : describeCause(error)
    return new InvalidArgumentError(`${operation} refused by the broker: ${reason}`, { kafkaError: invalid })
  }
  return new KafkaRequestError(operation, error)
}
