import type { Admin, ConsumedRecord, Headers } from '@isobar/core'
import type { Aggregation, IdleClose, WindowResult } from './aggregator.ts'
import { InvalidTopologyError } from './errors.ts'
import { jsonSerde, type AggregateSerde } from './store.ts'
import type { KeyedState } from './table.ts'
import type { WindowSpec } from './windows.ts'

/**
 * An upstream stage's progress (see `progress`), parsed from an input record: partition `source` of `sources`
 * upstream partitions will emit nothing starting before `time`, or is `idle`. A topology with
 * `eventTime: 'watermarks'` advances stream time to the minimum over its non-idle sources once all reported.
 */
export interface Watermark {
  watermark: { source: number; sources: number; time: number; idle: boolean }
}

/** A task's progress, handed to `progress` to publish for a downstream stage. */
export interface TaskProgress {
  partition: number
  time: number
  idle: boolean
}

/** What a parsed input record contributes; `timestamp` defaults to the record's own. */
export interface ParsedRecord<V> {
  key: string
  value: V
  timestamp?: number
}

export interface OutputRecord {
  /** Default: the topology's outputTopic. */
  topic?: string
  /** Default: from the key (murmur2, as Kafka's Java client). */
  partition?: number
  key: Buffer | null
  value: Buffer | null
  headers?: Headers
}

/**
 * A windowed aggregation from input topics to an output topic. Input topics must be co-partitioned: partition p
 * of every input topic is one task, whose state lives in partition p of the changelog topic.
 */
export interface WindowedTopology<V, A> {
  /** Consumer group id, transactional id prefix and default changelog name. */
  applicationId: string
  inputTopics: string[]
  outputTopic: string
  /** Compacted, as many partitions as the inputs. Default `<applicationId>-changelog`. */
  changelogTopic?: string
  /** Late records (a window of theirs had closed) are copied here when set. */
  lateTopic?: string
  /**
   * Throwing marks the record poison (onPoison); null (or []) skips it; an array fans one record out to many keys;
   * a Watermark is an upstream stage's progress (eventTime 'watermarks').
   */
  parse(record: ConsumedRecord): ParsedRecord<V> | ParsedRecord<V>[] | Watermark | null
  /** What advances stream time: record timestamps (default) or upstream watermarks (see Watermark). */
  eventTime?: 'records' | 'watermarks'
  /**
   * Publishes this stage's progress for a downstream stage (records committed with the outputs, after them):
   * called on the tick when a task's progress moved, and at least every `progressIntervalMs` (default 5000).
   */
  progress?: (progress: TaskProgress) => OutputRecord[]
  progressIntervalMs?: number
  windows: WindowSpec
  aggregation: Aggregation<V, A>
  emit: 'final' | 'updates'
  idle?: IdleClose
  maxWindowsPerPartition?: number
  serde?: AggregateSerde<A>
  /** Per-key state updated by every record before windowing, in the task's changelog (see table.ts). */
  state?: KeyedState<V>
  /**
   * Default: key = the result key, value = JSON `{key,start,end,value,final}` (value null for a retraction).
   * May return several records (e.g. one per measured field, or a copy to an internal topic) or none.
   */
  toOutput?: (result: WindowResult<A>) => OutputRecord | OutputRecord[]
}

export function changelogTopicOf(
  topology: Pick<WindowedTopology<unknown, unknown>, 'changelogTopic' | 'applicationId'>,
): string {
  return topology.changelogTopic ?? `${topology.applicationId}-changelog`
}

export function validateTopology<V, A>(topology: WindowedTopology<V, A>): void {
  if (!/^[a-zA-Z0-9._-]{1,200}$/.test(topology.applicationId)) {
    throw new InvalidTopologyError('applicationId must be 1-200 characters of [a-zA-Z0-9._-]', {
      applicationId: topology.applicationId,
    })
  }
  if (topology.inputTopics.length === 0) throw new InvalidTopologyError('inputTopics must not be empty')
}

export function defaultOutput<A>(serde: AggregateSerde<A>): (result: WindowResult<A>) => OutputRecord {
  return (result) => ({
    key: Buffer.from(result.key),
    value: Buffer.from(
      JSON.stringify({
        key: result.key,
        start: result.start,
        end: result.end,
        value: result.value === null ? null : serde.encode(result.value),
        final: result.final,
      }),
    ),
  })
}

export function serdeOf<A>(topology: WindowedTopology<unknown, A>): AggregateSerde<A> {
  return topology.serde ?? jsonSerde
}

/** Creates the changelog (compacted), output and late topics when missing; inputs are the caller's. */
export async function createTopologyTopics(
  admin: Pick<Admin, 'createTopics'>,
  topology: WindowedTopology<unknown, unknown>,
  options: { partitions: number; replicationFactor?: number },
): Promise<void> {
  const base = { partitions: options.partitions, replicationFactor: options.replicationFactor ?? 1 }
  await admin.createTopics(
    [
      { name: changelogTopicOf(topology), ...base, configs: { 'cleanup.policy': 'compact' } },
      { name: topology.outputTopic, ...base },
      ...(topology.lateTopic ? [{ name: topology.lateTopic, ...base }] : []),
    ],
    { ifNotExists: true },
  )
}
