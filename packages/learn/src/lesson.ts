import type { Admin, KafkaClient, NewTopic } from '@isobar/core'

/** A figure a lesson measured: a number, a label, or a small table of them (JSON-friendly). */
export type FigureValue = number | string | boolean | null | FigureValue[] | { [name: string]: FigureValue }
export type Figures = Record<string, FigureValue>

/** What a lesson gets: the cluster, a narrator, and topics and groups that are cleaned up after it. */
export interface LessonContext {
  readonly kafka: KafkaClient
  /** One admin client for the whole lesson (closed by the runner). */
  readonly admin: Admin
  /** Schema Registry base URL, for lessons that use it. */
  readonly registryUrl: string
  /** Broker id → its log directory, when the cluster is a local one whose files can be shown. */
  readonly logDirs: Readonly<Record<number, string>>
  /** Kill and restart brokers: only for a local cluster this process may control (else undefined). */
  readonly brokers: BrokerControl | undefined
  /** Narrates one step in plain words. */
  step(text: string): void
  /** Creates a topic with a name unique to this run; it is deleted when the lesson ends. */
  createTopic(label: string, spec?: Omit<NewTopic, 'name'>): Promise<string>
  /** A consumer group id unique to this run; the group is deleted when the lesson ends. */
  groupId(label: string): string
  /** Rejects with a clear error when `promise` does not settle within `ms`. */
  within<T>(what: string, ms: number, promise: Promise<T>): Promise<T>
}

/** What a lesson may do to the brokers of a local cluster. */
export interface BrokerControl {
  /** SIGKILL: the broker dies without a clean shutdown. */
  kill(nodeId: number): Promise<void>
  /** Starts it again and waits until it serves. */
  restart(nodeId: number): Promise<void>
}

export interface Lesson {
  /** Short stable id: `isobar learn run <id>`. */
  readonly id: string
  readonly title: string
  /** One or two sentences: the idea the lesson shows. */
  readonly summary: string
  /** Needs a Schema Registry: the runner uses the one at registryUrl, or starts Isobar's in-process. */
  readonly usesRegistry?: boolean
  /** Runs the lesson; returns the figures it measured (its steps are narrated through the context). */
  run(ctx: LessonContext): Promise<Figures>
}

export interface LessonResult {
  id: string
  title: string
  /** The narrated steps, in order. */
  steps: string[]
  figures: Figures
  durationMs: number
  /** The topics and groups the lesson made, all deleted when it ended. */
  cleanedUp: { topics: string[]; groups: string[] }
}
