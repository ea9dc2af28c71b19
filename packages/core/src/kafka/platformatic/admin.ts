import {
  Admin as PltAdmin,
  ConfigResourceTypes,
  IncrementalAlterConfigOperationTypes,
  type IncrementalAlterConfigsOptions,
} from '@platformatic/kafka'
import type { KafkaConfig } from '../../config/kafka-config.ts'
import { KafkaRequestError, TopicExistsError, TopicNotFoundError } from '../../errors.ts'
import type { Admin, ClusterDescription, NewTopic, PartitionOffsets, TopicDescription } from '../types.ts'
import { hasProtocolError } from './errors.ts'
import { baseOptions } from './options.ts'

const EARLIEST_TIMESTAMP = -2n
const LATEST_TIMESTAMP = -1n

export class PlatformaticAdmin implements Admin {
  readonly #admin: PltAdmin

  constructor(config: KafkaConfig) {
    this.#admin = new PltAdmin(baseOptions(config, 'admin'))
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
    const metadata = await this.#call('Describe topics', () =>
      this.#admin.metadata({ topics: names, forceUpdate: true }),
    )
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

  async createTopics(topics: NewTopic[], options: { ifNotExists?: boolean } = {}): Promise<void> {
    for (const topic of topics) {
      try {
        await this.#admin.createTopics({
          topics: [topic.name],
          partitions: topic.partitions ?? -1,
          replicas: topic.replicationFactor ?? -1,
          configs: Object.entries(topic.configs ?? {}).map(([name, value]) => ({ name, value })),
        })
      } catch (error) {
        if (hasProtocolError(error, 'TOPIC_ALREADY_EXISTS')) {
          if (options.ifNotExists) continue
          throw new TopicExistsError(topic.name)
        }
        throw new KafkaRequestError(`Creating topic ${topic.name}`, error)
      }
      await this.#awaitLeaders(topic.name)
    }
  }

  // The controller answers before every broker has the new topic's metadata; wait until partitions have
  // leaders so the caller's next describe or produce does not see "unknown topic".
  async #awaitLeaders(name: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      try {
        const metadata = await this.#admin.metadata({ topics: [name], forceUpdate: true })
        const topic = metadata.topics.get(name)
        if (topic && topic.partitions.length > 0 && topic.partitions.every((p) => p.leader >= 0)) return
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
  }

  async listOffsets(topic: string): Promise<PartitionOffsets[]> {
    const [description] = await this.describeTopics([topic])
    const partitions = description?.partitions.map((p) => p.partition) ?? []
    const query = async (timestamp: bigint): Promise<Map<number, bigint>> => {
      const result = await this.#call(`Listing offsets of ${topic}`, () =>
        this.#admin.listOffsets({
          topics: [{ name: topic, partitions: partitions.map((partitionIndex) => ({ partitionIndex, timestamp })) }],
        }),
      )
      return new Map(result.flatMap((t) => t.partitions.map((p) => [p.partitionIndex, p.offset] as const)))
    }
    const [earliest, latest] = await Promise.all([query(EARLIEST_TIMESTAMP), query(LATEST_TIMESTAMP)])
    return partitions.map((partition) => ({
      partition,
      earliest: earliest.get(partition) ?? 0n,
      latest: latest.get(partition) ?? 0n,
    }))
  }

  async close(): Promise<void> {
    await this.#admin.close()
  }

  async #call<T>(operation: string, run: () => Promise<T>, topic?: string): Promise<T> {
    try {
      return await run()
    } catch (error) {
      if (topic && hasProtocolError(error, 'UNKNOWN_TOPIC_OR_PARTITION')) throw new TopicNotFoundError(topic)
      throw new KafkaRequestError(operation, error)
    }
  }
}
