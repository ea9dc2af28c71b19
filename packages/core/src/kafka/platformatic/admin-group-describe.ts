import {
  Connection,
  consumerGroupDescribeV0,
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
export async function describeConsumerProtocolGroup(
  admin: PltAdmin,
  config: KafkaConfig,
  groupId: string,
): Promise<GroupDescription> {
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
  let response: consumerGroupDescribeV0.ConsumerGroupDescribeResponse
  try {
    await connection.connect(coordinator.host, coordinator.port)
    response = await consumerGroupDescribeV0.api.async(connection, [groupId], false)
  } catch (error) {
    if (hasProtocolError(error, 'GROUP_ID_NOT_FOUND')) throw new GroupNotFoundError(groupId)
    throw new KafkaRequestError(`Describing group ${groupId}`, error, true)
  } finally {
    await connection.close().catch(() => undefined)
  }
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

/** A classic group through DescribeGroups (member assignments decoded from the consumer protocol). */
export async function describeClassicGroup(admin: PltAdmin, groupId: string): Promise<GroupDescription> {
  let groups
  try {
    groups = await admin.describeGroups({ groups: [groupId] })
  } catch (error) {
    throw new KafkaRequestError(`Describing group ${groupId}`, error, true)
  }
  const group = groups.get(groupId)
  if (!group || group.state === 'Dead') throw new GroupNotFoundError(groupId)
  return {
    groupId,
    type: 'classic',
    state: group.state,
    protocol: group.protocol,
    members: [...group.members.values()].map((m) => ({
      memberId: m.id,
      instanceId: m.groupInstanceId ?? null,
      clientId: m.clientId,
      clientHost: m.clientHost,
      assignment: [...(m.assignments?.values() ?? [])]
        .map((a) => ({ topic: a.topic, partitions: [...a.partitions].sort((x, y) => x - y) }))
        .sort((a, b) => a.topic.localeCompare(b.topic)),
    })),
  }
}
