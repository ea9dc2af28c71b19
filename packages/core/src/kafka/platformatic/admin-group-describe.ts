import {
  Connection,
  consumerGroupDescribeV0,
  decodeConsumerProtocolAssignment,
  describeGroupsV5,
  FindCoordinatorKeyTypes,
  type Admin as PltAdmin,
} from '@platformatic/kafka'
import type { KafkaConfig } from '../../config/kafka-config.ts'
import { KafkaRequestError } from '../../errors.ts'
import type { GroupDescription, GroupMemberDescription } from '../types.ts'
import { GroupNotFoundError } from '../../errors.ts'
import { hasProtocolError } from './errors.ts'
import { baseOptions } from './options.ts'

/**
 * KIP-848 ('consumer') groups are invisible to the classic DescribeGroups API (it answers "Dead"), and
 * @platformatic/kafka's Admin has no ConsumerGroupDescribe call, so send that request to the coordinator ourselves.
 */
/** Sends one request to the group's coordinator over a connection of its own (closed afterwards). */
async function onCoordinator<T>(
  admin: PltAdmin,
  config: KafkaConfig,
  groupId: string,
  request: (connection: Connection) => Promise<T>,
): Promise<T> {
  let coordinator: { host: string; port: number } | undefined
  try {
    ;[coordinator] = await admin.findCoordinator({ keyType: FindCoordinatorKeyTypes.GROUP, keys: [groupId] })
  } catch (error) {
    throw new KafkaRequestError(`Finding the coordinator of group ${groupId}`, error, true)
  }
  if (!coordinator) throw new KafkaRequestError(`Finding the coordinator of group ${groupId}`, 'no coordinator', true)
  const options = baseOptions(config, 'admin')
  const connection = new Connection(options.clientId, {
    connectTimeout: config.connectTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    ...(options.tls ? { tls: options.tls } : {}),
    ...(options.sasl ? { sasl: options.sasl } : {}),
  })
  try {
    await connection.connect(coordinator.host, coordinator.port)
    return await request(connection)
  } catch (error) {
    if (hasProtocolError(error, 'GROUP_ID_NOT_FOUND')) throw new GroupNotFoundError(groupId)
    throw new KafkaRequestError(`Describing group ${groupId}`, error, true)
  } finally {
    await connection.close().catch(() => undefined)
  }
}

/**
 * KIP-848 ('consumer') groups are invisible to the classic DescribeGroups API (it answers "Dead"), and
 * @platformatic/kafka's Admin has no ConsumerGroupDescribe call, so send that request to the coordinator ourselves.
 */
export async function describeConsumerProtocolGroup(
  admin: PltAdmin,
  config: KafkaConfig,
  groupId: string,
): Promise<GroupDescription> {
  const response = await onCoordinator(admin, config, groupId, (connection) =>
    consumerGroupDescribeV0.api.async(connection, [groupId], false),
  )
  const group = response.groups.find((g) => g.groupId === groupId)
  if (!group) throw new GroupNotFoundError(groupId)
  return toDescription(group)
}

function toDescription(group: consumerGroupDescribeV0.ConsumerGroupDescribeResponseGroup): GroupDescription {
  return {
    groupId: group.groupId,
    type: 'consumer',
    state: group.groupState,
    protocol: group.assignorName,
    members: group.members.map((m): GroupMemberDescription => ({
      memberId: m.memberId,
      instanceId: m.instanceId ?? null,
      clientId: m.clientId,
      clientHost: m.clientHost,
      assignment: m.assignment.topicPartitions
        .map((t) => ({ topic: t.topicName, partitions: [...t.partitions].sort((a, b) => a - b) }))
        .sort((a, b) => a.topic.localeCompare(b.topic)),
    })),
  }
}

/**
 * A classic group through DescribeGroups, sent by us: the client's describeGroups decodes every member's metadata
 * as the consumer protocol and throws out of its callback on any other (a Kafka Connect worker group, protocol
 * type "connect"), which ended the process. Assignments are decoded only for the consumer protocol, and a
 * member whose bytes do not decode is shown without an assignment.
 */
export async function describeClassicGroup(
  admin: PltAdmin,
  config: KafkaConfig,
  groupId: string,
): Promise<GroupDescription> {
  const response = await onCoordinator(admin, config, groupId, (connection) =>
    describeGroupsV5.api.async(connection, [groupId], false),
  )
  const group = response.groups.find((g) => g.groupId === groupId)
  if (!group || group.groupState === 'Dead') throw new GroupNotFoundError(groupId)
  return {
    groupId,
    type: 'classic',
    state: group.groupState,
    protocol: group.protocolData,
    members: group.members.map((m) => ({
      memberId: m.memberId,
      instanceId: m.groupInstanceId ?? null,
      clientId: m.clientId,
      clientHost: m.clientHost,
      assignment: group.protocolType === 'consumer' ? consumerAssignment(m.memberAssignment) : [],
    })),
  }
}

/** A consumer-protocol assignment as topic → sorted partitions; nothing when the bytes do not decode. */
export function consumerAssignment(bytes: Buffer): GroupMemberDescription['assignment'] {
  if (bytes.length === 0) return []
  try {
    return decodeConsumerProtocolAssignment(bytes)
      .assignedPartitions.map((a) => ({ topic: a.topic, partitions: [...a.partitions].sort((x, y) => x - y) }))
      .sort((a, b) => a.topic.localeCompare(b.topic))
  } catch {
    return []
  }
}
