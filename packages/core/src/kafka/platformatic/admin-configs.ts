import {
  ConfigResourceTypes,
  ConfigSources,
  Connection,
  describeQuorumV2,
  type Admin as PltAdmin,
  type ConfigSourceValue,
} from '@platformatic/kafka'
import type { KafkaConfig } from '../../config/kafka-config.ts'
import type { BrokerInfo, ConfigEntry, ConfigEntrySource, QuorumDescription, QuorumReplica } from '../types.ts'
import { baseOptions } from './options.ts'

const SOURCE_NAMES: Record<ConfigSourceValue, ConfigEntrySource> = {
  [ConfigSources.UNKNOWN]: 'unknown',
  [ConfigSources.DYNAMIC_TOPIC_CONFIG]: 'topic',
  [ConfigSources.DYNAMIC_BROKER_CONFIG]: 'dynamic-broker',
  [ConfigSources.DYNAMIC_DEFAULT_BROKER_CONFIG]: 'dynamic-default-broker',
  [ConfigSources.STATIC_BROKER_CONFIG]: 'static-broker',
  [ConfigSources.DEFAULT_CONFIG]: 'default',
  [ConfigSources.DYNAMIC_BROKER_LOGGER_CONFIG]: 'broker-logger',
  [ConfigSources.CLIENT_METRICS_CONFIG]: 'client-metrics',
  [ConfigSources.GROUP_CONFIG]: 'group',
}

/** Every config of a topic or a broker with where its value comes from; sorted by name. */
export async function describeConfigEntries(
  plt: PltAdmin,
  resource: 'topic' | 'broker',
  name: string,
): Promise<ConfigEntry[]> {
  const resourceType = resource === 'topic' ? ConfigResourceTypes.TOPIC : ConfigResourceTypes.BROKER
  const result = await plt.describeConfigs({ resources: [{ resourceType, resourceName: name }] })
  return (result[0]?.configs ?? [])
    .map((c) => ({
      name: c.name,
      value: c.isSensitive ? null : (c.value ?? null),
      source: SOURCE_NAMES[c.configSource] ?? 'unknown',
      readOnly: c.readOnly,
      sensitive: c.isSensitive,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

function replica(
  r: { replicaId: number; logEndOffset: bigint; lastFetchTimestamp: bigint; lastCaughtUpTimestamp: bigint },
  highWatermark: bigint,
): QuorumReplica {
  const time = (t: bigint): number | null => (t < 0n ? null : Number(t))
  return {
    replicaId: r.replicaId,
    logEndOffset: r.logEndOffset,
    lag: r.logEndOffset < 0n || r.logEndOffset >= highWatermark ? 0n : highWatermark - r.logEndOffset,
    lastFetchTimestamp: time(r.lastFetchTimestamp),
    lastCaughtUpTimestamp: time(r.lastCaughtUpTimestamp),
  }
}

/**
 * The KRaft metadata quorum (KIP-595/KIP-836) through DescribeQuorum, which a broker forwards to the active
 * controller. The client has no method for it, so one request goes over a connection of its own to `broker`.
 */
export async function describeQuorum(config: KafkaConfig, broker: BrokerInfo): Promise<QuorumDescription> {
  const options = baseOptions(config, 'quorum')
  const connection = new Connection(options.clientId, {
    ...(options.connectTimeout === undefined ? {} : { connectTimeout: options.connectTimeout }),
    ...(options.requestTimeout === undefined ? {} : { requestTimeout: options.requestTimeout }),
    ...(options.tls ? { tls: options.tls } : {}),
    ...(options.sasl ? { sasl: options.sasl } : {}),
  })
  try {
    await connection.connect(broker.host, broker.port)
    const response = await describeQuorumV2.api.async(connection, [
      { topicName: '__cluster_metadata', partitions: [{ partitionIndex: 0 }] },
    ])
    const partition = response.topics[0]?.partitions[0]
    if (!partition) throw new Error('DescribeQuorum answered without the metadata partition')
    const hw = partition.highWatermark
    return {
      leaderId: partition.leaderId,
      leaderEpoch: partition.leaderEpoch,
      highWatermark: hw,
      voters: partition.currentVoters.map((v) => replica(v, hw)),
      observers: partition.observers.map((o) => replica(o, hw)),
    }
  } finally {
    await connection.close()
  }
}
