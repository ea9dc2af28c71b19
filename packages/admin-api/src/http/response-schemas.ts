/**
 * Success bodies, declared for the OpenAPI document (and used by Fastify to serialize: a field missing here is
 * not sent, so the fuzz suite checks every answer against these).
 */
const int = { type: 'integer' } as const
const intOrNull = { type: ['integer', 'null'] } as const
const str = { type: 'string' } as const
const ints = { type: 'array', items: int } as const
const stringMap = { type: 'object', additionalProperties: str } as const

export function object(properties: Record<string, unknown>, description?: string): Record<string, unknown> {
  return {
    type: 'object',
    required: Object.keys(properties),
    properties,
    ...(description ? { description } : {}),
  }
}

function withOptional(schema: Record<string, unknown>, optional: Record<string, unknown>): Record<string, unknown> {
  return { ...schema, properties: { ...(schema.properties as object), ...optional } }
}

/** A body whose fields are documented in the route summary; serialised as is. */
export function openObject(description: string): Record<string, unknown> {
  return { type: 'object', additionalProperties: true, description }
}

const broker = { nodeId: int, host: str, port: int, rack: { type: ['string', 'null'] } }

export const clusterResponse = object(
  {
    clusterId: str,
    controllerId: int,
    brokers: { type: 'array', items: object(broker) },
    brokerCount: int,
    topicCount: int,
  },
  'The cluster: id, controller, brokers, counts',
)

export const brokersResponse = object(
  {
    brokers: { type: 'array', items: object({ ...broker, controller: { type: 'boolean' } }) },
  },
  'The brokers, the controller marked',
)

export const topicListResponse = object(
  {
    topics: {
      type: 'array',
      items: object({
        name: str,
        internal: { type: 'boolean' },
        partitions: { ...intOrNull, description: 'null for internal topics (their metadata is not described)' },
        replicationFactor: intOrNull,
      }),
    },
  },
  'The topics with partition counts',
)

export const topicResponse = object(
  {
    name: str,
    id: str,
    internal: { type: 'boolean' },
    replicationFactor: int,
    messages: int,
    sizeBytes: int,
    partitions: {
      type: 'array',
      items: object({
        partition: int,
        leader: int,
        replicas: ints,
        isr: ints,
        earliestOffset: int,
        latestOffset: int,
        messages: int,
        sizeBytes: intOrNull,
      }),
    },
    configs: stringMap,
  },
  'The topic: partitions with leaders, replicas, ISR, offsets and sizes, and its configs',
)

export const deletedResponse = object({ deleted: str }, 'Deleted')

export const topicConfigsResponse = object({ topic: str, configs: stringMap }, 'The topic configs after the change')

const payload = {
  type: ['object', 'null'],
  required: ['format', 'data'],
  properties: {
    format: { type: 'string', enum: ['json', 'text', 'base64'] },
    data: { description: 'the decoded value (any JSON) for json; a string for text and base64' },
    schemaId: int,
    decodeError: { type: 'string', description: 'why the registry could not decode a framed value' },
  },
} as const

const rawBytes = { type: ['string', 'null'], description: 'the raw bytes, base64 (with raw=true)' } as const

export const messagesResponse = object(
  {
    topic: str,
    partition: int,
    earliestOffset: int,
    latestOffset: int,
    nextOffset: int,
    messages: {
      type: 'array',
      items: withOptional(
        object({
          partition: int,
          offset: int,
          timestamp: int,
          time: { type: 'string', format: 'date-time' },
          key: payload,
          value: payload,
          headers: stringMap,
        }),
        { rawKey: rawBytes, rawValue: rawBytes },
      ),
    },
  },
  'The messages read and the partition offsets',
)

export const producedResponse = object(
  { topic: str, partition: intOrNull, offset: intOrNull },
  'Where the message was written',
)

export const groupListResponse = object(
  {
    groups: { type: 'array', items: object({ groupId: str, type: str, state: str, protocolType: str }) },
  },
  'The consumer groups',
)

const groupOffsets = { type: 'array', items: object({ topic: str, partition: int, offset: int }) }

export const groupResponse = object(
  {
    groupId: str,
    type: str,
    state: str,
    protocol: str,
    members: {
      type: 'array',
      items: object({
        memberId: str,
        instanceId: { type: ['string', 'null'] },
        clientId: str,
        clientHost: str,
        assignment: { type: 'array', items: object({ topic: str, partitions: ints }) },
      }),
    },
    offsets: groupOffsets,
  },
  'The group: state, members with assignments, committed offsets',
)

const lagStatus = { type: 'string', enum: ['OK', 'WARN', 'STALL', 'STOP', 'REWIND'] } as const

export const groupLagResponse = object(
  {
    groupId: str,
    status: lagStatus,
    totalLag: int,
    maxLagSeconds: { type: 'number' },
    partitions: {
      type: 'array',
      items: object({
        topic: str,
        partition: int,
        committedOffset: intOrNull,
        earliestOffset: int,
        latestOffset: int,
        lag: intOrNull,
        lagSeconds: { type: ['number', 'null'] },
        nextRecordTimestamp: intOrNull,
        status: lagStatus,
        reason: str,
      }),
    },
  },
  'Lag per partition with a one-sample status',
)
