/** Success bodies of the operations routes (configs, partitions, quorum, offset-reset previews, DLQ replay). */
import { object } from './response-schemas.ts'

const int = { type: 'integer' } as const
const str = { type: 'string' } as const
const bool = { type: 'boolean' } as const
const intOrNull = { type: ['integer', 'null'] } as const

const configEntry = object({
  name: str,
  value: { type: ['string', 'null'], description: 'null when sensitive or unset' },
  source: {
    type: 'string',
    description:
      "topic (an override set on the topic), dynamic-broker, dynamic-default-broker, static-broker, default (Kafka's default), …",
  },
  readOnly: bool,
  sensitive: bool,
})

export const configEntriesResponse = object(
  {
    resource: { type: 'string', enum: ['topic', 'broker'] },
    name: str,
    configs: { type: 'array', items: configEntry },
  },
  'Every config with its value and where the value comes from (overrides vs defaults)',
)

const quorumReplica = object({
  replicaId: int,
  logEndOffset: int,
  lag: { ...int, description: "records behind the quorum's high watermark" },
  lastFetchTimestamp: intOrNull,
  lastCaughtUpTimestamp: intOrNull,
})

export const quorumResponse = object(
  {
    supported: {
      ...bool,
      description: 'false when the cluster did not answer DescribeQuorum (then only controllerId is known)',
    },
    reason: { type: ['string', 'null'], description: 'why the quorum could not be described' },
    controllerId: int,
    leaderId: intOrNull,
    leaderEpoch: intOrNull,
    highWatermark: intOrNull,
    voters: { type: 'array', items: quorumReplica },
    observers: { type: 'array', items: quorumReplica },
  },
  'The KRaft metadata quorum: leader (active controller), voters and observers with their lag',
)

export const offsetResetPlanResponse = object(
  {
    groupId: str,
    topic: str,
    dryRun: bool,
    activeMembers: { ...int, description: 'a reset is refused (409) while this is > 0' },
    offsets: {
      type: 'array',
      description: 'the offsets set (or, with dryRun, that would be set)',
      items: object({ topic: str, partition: int, offset: int }),
    },
    partitions: {
      type: 'array',
      items: object({
        partition: int,
        currentOffset: { ...intOrNull, description: 'the committed offset; null when none' },
        newOffset: int,
        earliestOffset: int,
        latestOffset: int,
        lagBefore: intOrNull,
        lagAfter: int,
      }),
    },
    totalLagBefore: int,
    totalLagAfter: int,
  },
  'Per partition: the committed offset → the new offset and the lag change (applied unless dryRun)',
)

export const dlqReplayResponse = object(
  {
    topic: str,
    dryRun: bool,
    sent: int,
    results: {
      type: 'array',
      items: object({
        partition: int,
        offset: int,
        to: { type: ['string', 'null'] },
        fixed: bool,
        outcome: { ...str, description: "'sent', 'would send' (dry run), 'skipped: …' or 'failed: …'" },
        replayedPartition: intOrNull,
        replayedOffset: intOrNull,
      }),
    },
  },
  'Per selected dead letter: where it goes and what happened',
)
