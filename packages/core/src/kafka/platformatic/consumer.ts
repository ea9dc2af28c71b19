import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  Admin as PltAdmin,
  Consumer as PltConsumer,
  FetchIsolationLevels,
  MessagesStreamModes,
  MessagesStreamFallbackModes,
  type Message,
  type MessagesStream,
} from '@platformatic/kafka'
import type { KafkaConfig } from '../../config/kafka-config.ts'
import { InvalidArgumentError, KafkaRequestError } from '../../errors.ts'
import {
  CLASSIC_ASSIGNORS,
  type ConsumedRecord,
  type Consumer,
  type ConsumerOptions,
  type GroupMetadata,
  type Headers,
} from '../types.ts'
import { resolveFetchSettings } from '../fetch-options.ts'
import { rangeAssigner } from './assignors.ts'
import { hasProtocolError } from './errors.ts'
import { dropAbortedBatches } from './record-batches.ts'
import { baseOptions } from './options.ts'

/** Most records an at-most-once consumer commits ahead of handing them out. */
const AT_MOST_ONCE_CHUNK = 500
/** How long a transactional member waits for its group's offsets to become stable before it reads them anyway. */
const STABLE_OFFSETS_WAIT_MS = 60_000
const STABLE_OFFSETS_RETRY_MS = 100

/**
 * Workaround (@platformatic/kafka 2.12.1): a KIP-848 ('consumer' protocol) member's transactional offset commit is
 * refused with ILLEGAL_GENERATION — the client sends generation 0 in TxnOffsetCommit v4 instead of the member
 * epoch. Members whose offsets go into transactions join with the classic protocol. Repro:
 * packages/stream/test/repro/txn-kip848-repro.ts; the test that tells when this can go ("known client bug: a
 * KIP-848 member's transactional offset commit is refused") is in packages/stream/test/kafka-transactions.test.ts.
 */
export const TRANSACTIONAL_GROUP_PROTOCOL = 'classic'

/**
 * A consumer over the KIP-848 group protocol. Without a groupId it uses a throwaway group that never commits,
 * which reads every partition of the topics like kcat's assign mode.
 */
export class PlatformaticConsumer implements Consumer {
  readonly #consumer: PltConsumer
  readonly #options: ConsumerOptions
  #stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | undefined
  #opening: Promise<MessagesStream<Buffer, Buffer, Buffer, Buffer>> | undefined
  #closed = false
  #assignmentTimer: NodeJS.Timeout | undefined
  #lastAssignment = ''
  /** Transactional members: the admin client that waits for stable committed offsets (closed with the consumer). */
  #stableOffsets: { close(): Promise<void> } | undefined
  /** A failure the client reported as an 'error' event (e.g. a group rejoin that failed): ends the iteration. */
  #failure: KafkaRequestError | undefined

  constructor(config: KafkaConfig, options: ConsumerOptions) {
    if (options.atMostOnce && options.groupId === undefined) {
      throw new InvalidArgumentError('atMostOnce needs a groupId to commit to', { field: 'atMostOnce' })
    }
    this.#options = options
    const fetch = resolveFetchSettings(config, options)
    this.#consumer = new PltConsumer({
      ...baseOptions(config, 'consumer'),
      groupId: options.groupId ?? `isobar-anonymous-${randomUUID()}`,
      ...assignorOptions(options),
      ...(options.groupInstanceId ? { groupInstanceId: options.groupInstanceId } : {}),
      // The client's heartbeat must fit a few times into the session, as the Java client's does (3 s of 45 s).
      sessionTimeout: options.sessionTimeoutMs ?? 45_000,
      heartbeatInterval: Math.min(3000, Math.floor((options.sessionTimeoutMs ?? 45_000) / 3)),
      isolationLevel:
        (options.readCommitted ?? true) ? FetchIsolationLevels.READ_COMMITTED : FetchIsolationLevels.READ_UNCOMMITTED,
      // The client's default 50 MB fetch costs CPU per record (its response buffer is scanned chunk by chunk);
      // the configuration's profile picks a few MiB at most (fetch-options.ts). Measured with `isobar bench consume`.
      minBytes: fetch.minBytes,
      maxWaitTime: fetch.maxWaitMs,
      maxBytes: fetch.maxBytes,
      maxBytesPerPartition: fetch.maxPartitionBytes,
    })
    if (options.readCommitted ?? true) filterAbortedFetches(this.#consumer)
    if (options.transactionalOffsets && options.groupId !== undefined) {
      this.#stableOffsets = fetchStableOffsets(this.#consumer, config, () => this.#closed)
    }
    // The client emits 'error' when a rejoin after a failed heartbeat fails (a broker connection closed). Without
    // a listener that event kills the process; with one, the iteration fails and its owner starts over (the stream
    // runner from committed state, the alert runner with a fresh consumer).
    this.#consumer.on('error', (error: unknown) => this.#fail(error))
  }

  #fail(error: unknown): void {
    if (this.#closed || this.#failure !== undefined) return
    this.#failure = new KafkaRequestError('Consumer group membership', error, true)
    if (this.#stream !== undefined && !this.#stream.destroyed) this.#stream.destroy(this.#failure)
  }

  #open(): Promise<MessagesStream<Buffer, Buffer, Buffer, Buffer>> {
    this.#opening ??= this.#subscribe()
    return this.#opening
  }

  async #subscribe(): Promise<MessagesStream<Buffer, Buffer, Buffer, Buffer>> {
    const from = this.#options.from ?? 'latest'
    const grouped = this.#options.groupId !== undefined
    const autocommit = grouped && !this.#options.atMostOnce ? (this.#options.autocommitMs ?? 5000) : false
    try {
      this.#stream = await this.#consumer.consume({
        topics: this.#options.topics,
        autocommit,
        mode: grouped
          ? MessagesStreamModes.COMMITTED
          : from === 'earliest'
            ? MessagesStreamModes.EARLIEST
            : MessagesStreamModes.LATEST,
        fallbackMode: from === 'earliest' ? MessagesStreamFallbackModes.EARLIEST : MessagesStreamFallbackModes.LATEST,
      })
    } catch (error) {
      throw new KafkaRequestError(`Subscribing to ${this.#options.topics.join(',')}`, error, true)
    }
    if (this.#failure !== undefined) this.#stream.destroy(this.#failure)
    // A close() during the subscription awaits it and closes the stream itself; no watcher after that.
    if (!this.#closed && this.#options.onAssignment) this.#watchAssignments(this.#options.onAssignment)
    return this.#stream
  }

  assignment(): Array<{ topic: string; partition: number }> {
    const assigned = (this.#consumer.assignments ?? []).flatMap((a) =>
      a.partitions.map((partition) => ({ topic: a.topic, partition })),
    )
    return assigned.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
  }

  // The client reports KIP-848 assignment changes through heartbeats without an event, so poll its view.
  #watchAssignments(onAssignment: NonNullable<ConsumerOptions['onAssignment']>): void {
    const check = (): void => {
      const assigned = this.assignment()
      const signature = JSON.stringify(assigned)
      if (signature !== this.#lastAssignment) {
        this.#lastAssignment = signature
        onAssignment(assigned)
      }
    }
    this.#assignmentTimer = setInterval(check, 200)
    this.#assignmentTimer.unref()
    check()
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ConsumedRecord> {
    const stream = await this.#open()
    if (this.#failure !== undefined) throw this.#failure
    if (this.#options.atMostOnce) {
      yield* this.#commitBeforeHandingOut(stream)
      return
    }
    for await (const message of stream as AsyncIterable<Message<Buffer, Buffer, Buffer, Buffer>>) {
      yield toRecord(message)
    }
  }

  // At-most-once: take what the stream has buffered (one fetch, at most AT_MOST_ONCE_CHUNK records), commit past it,
  // then hand it out. The commit is acknowledged before the first record of the chunk reaches the caller.
  async *#commitBeforeHandingOut(
    stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>,
  ): AsyncIterable<ConsumedRecord> {
    for await (const first of stream as AsyncIterable<Message<Buffer, Buffer, Buffer, Buffer>>) {
      const chunk = [toRecord(first)]
      while (chunk.length < AT_MOST_ONCE_CHUNK) {
        const next = stream.read() as Message<Buffer, Buffer, Buffer, Buffer> | null
        if (next === null) break
        chunk.push(toRecord(next))
      }
      await this.commit(chunk)
      yield* chunk
    }
  }

  async commit(records: Array<Pick<ConsumedRecord, 'topic' | 'partition' | 'offset'>>): Promise<void> {
    if (records.length === 0) return
    const latest = new Map<string, { topic: string; partition: number; offset: bigint }>()
    for (const r of records) {
      const id = `${r.topic}:${r.partition}`
      const known = latest.get(id)
      if (!known || known.offset < r.offset)
        latest.set(id, { topic: r.topic, partition: r.partition, offset: r.offset })
    }
    try {
      await this.#consumer.commit({
        offsets: [...latest.values()].map((o) => ({ ...o, offset: o.offset + 1n, leaderEpoch: -1 })),
      })
    } catch (error) {
      throw new KafkaRequestError('Offset commit', error, true)
    }
  }

  groupMetadata(): GroupMetadata | null {
    const native = this.#consumer
    if (this.#options.groupId === undefined || !native.memberId) return null
    return { groupId: native.groupId, memberId: native.memberId, generationId: native.generationId }
  }

  /** The underlying client and its current group membership, for transactional offset commits. */
  get native(): PltConsumer {
    return this.#consumer
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    if (this.#assignmentTimer) clearInterval(this.#assignmentTimer)
    const stream = this.#stream ?? (await this.#opening?.catch(() => undefined))
    await stream?.close()
    await this.#consumer.close(true)
    await this.#stableOffsets?.close()
  }
}

/** Every Fetch answer of a read_committed consumer loses its aborted batches before the client's stream sees them. */
function filterAbortedFetches(consumer: PltConsumer): void {
  type Fetch = PltConsumer['fetch']
  type Response = Awaited<ReturnType<Fetch>>
  const fetch: Fetch = consumer.fetch.bind(consumer)
  const clean = (response: Response | undefined): void => {
    for (const topic of response?.responses ?? [])
      for (const partition of topic.partitions) dropAbortedBatches(partition)
  }
  consumer.fetch = ((options: Parameters<Fetch>[0], callback?: (error: Error | null, response?: Response) => void) => {
    if (!callback) return fetch(options).then((response) => (clean(response), response))
    return fetch(options, (error: Error | null, response?: Response) => {
      clean(response)
      callback(error, response)
    })
  }) as Fetch
}

/**
 * KIP-447, workaround (@platformatic/kafka 2.12.1 fetches committed offsets with requireStable false): before the
 * client reads where to start its assigned partitions, wait (bounded) until no transaction still holds offsets of
 * this group for them. A member that takes a partition over while its previous owner's transaction is open or
 * writing its markers would otherwise start from the offset before that transaction and, once it commits, process
 * its input again. Test: packages/core/test/kafka/consumer-stable-offsets.int.test.ts.
 */
function fetchStableOffsets(
  consumer: PltConsumer,
  config: KafkaConfig,
  closed: () => boolean,
): { close(): Promise<void> } {
  type List = PltConsumer['listCommittedOffsets']
  type Options = Parameters<List>[0]
  type Result = Awaited<ReturnType<List>>
  const list: List = consumer.listCommittedOffsets.bind(consumer)
  let admin: PltAdmin | undefined
  const awaitStable = async (options: Options): Promise<void> => {
    const topics = options.topics.map((t) => ({ name: t.topic, partitionIndexes: t.partitions }))
    const deadline = Date.now() + STABLE_OFFSETS_WAIT_MS
    while (!closed() && Date.now() < deadline) {
      admin ??= new PltAdmin(baseOptions(config, 'admin'))
      try {
        await admin.listConsumerGroupOffsets({ groups: [{ groupId: consumer.groupId, topics }], requireStable: true })
        return
      } catch (error) {
        // Anything but an unstable offset is the client's own fetch to answer (and to fail).
        if (!hasProtocolError(error, 'UNSTABLE_OFFSET_COMMIT')) return
        await sleep(STABLE_OFFSETS_RETRY_MS)
      }
    }
  }
  consumer.listCommittedOffsets = ((options: Options, callback?: (error: Error | null, result?: Result) => void) => {
    const listed = awaitStable(options).then(() => list(options))
    if (!callback) return listed
    listed.then(
      (result) => callback(null, result),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
    )
    return undefined
  }) as List
  return { close: async () => void (await admin?.close().catch(() => undefined)) }
}

/** The group protocol and its assignor as the client wants them; a mismatched pair is refused. */
function assignorOptions(options: ConsumerOptions): ConsumerAssignorOptions {
  // Exactly-once members need the protocol under which transactional offset commits work (see types.ts).
  const protocol = options.groupProtocol ?? (options.transactionalOffsets ? TRANSACTIONAL_GROUP_PROTOCOL : 'consumer')
  if (protocol === 'consumer') {
    if (options.assignor !== undefined) {
      throw new InvalidArgumentError(
        `assignor "${options.assignor}" needs groupProtocol 'classic'; KIP-848 groups are assigned by the broker (remoteAssignor)`,
        { field: 'assignor' },
      )
    }
    return {
      groupProtocol: 'consumer',
      ...(options.remoteAssignor === undefined ? {} : { groupRemoteAssignor: options.remoteAssignor }),
    }
  }
  if (options.remoteAssignor !== undefined) {
    throw new InvalidArgumentError("remoteAssignor needs groupProtocol 'consumer' (KIP-848)", {
      field: 'remoteAssignor',
    })
  }
  const assignor = options.assignor ?? 'roundrobin'
  if (!CLASSIC_ASSIGNORS.includes(assignor)) {
    throw new InvalidArgumentError(
      `unknown assignor "${String(assignor)}" (expected ${CLASSIC_ASSIGNORS.join(', ')})`,
      {
        field: 'assignor',
      },
    )
  }
  return {
    groupProtocol: 'classic',
    // The subscription versions the Java client sends: cooperative-sticky carries owned partitions (v3).
    protocols: [{ name: assignor, version: assignor === 'cooperative-sticky' ? 3 : 1 }],
    ...(assignor === 'range' ? { partitionAssigner: rangeAssigner } : {}),
  }
}

/** One shape for both protocols, as the client's own options take it (the protocol decides which fields count). */
interface ConsumerAssignorOptions {
  groupProtocol: 'consumer' | 'classic'
  groupRemoteAssignor?: string
  protocols?: Array<{ name: string; version: number }>
  partitionAssigner?: typeof rangeAssigner
}

function toRecord(message: Message<Buffer, Buffer, Buffer, Buffer>): ConsumedRecord {
  const headers: Headers = {}
  for (const [k, v] of message.headers) headers[k.toString()] = v
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    timestamp: Number(message.timestamp),
    key: message.key && message.key.length > 0 ? message.key : (message.key ?? null),
    value: message.value ?? null,
    headers,
  }
}
