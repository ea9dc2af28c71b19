import {
  CoreErrorCodes,
  isIsobarError,
  type ConsumedRecord,
  type Consumer,
  type KafkaClient,
  type Producer,
  type ProducerRecord,
  type TransactionalProducer,
} from '@isobar/core'
import { sendChunks } from './chunks.ts'
import { AssignmentWatchdog } from './assignment-watchdog.ts'
import { CommitFailedError, ParseDeferredError, RebalancedError, RunnerStateError } from './errors.ts'
import { restoreFromChangelog, WindowStore } from './store.ts'
import { FailureTracker, type StreamRunnerHealth } from './failures.ts'
import { KeyValueTable, isTableRecord } from './table.ts'
import { StreamTask, type TaskBatch } from './task.ts'
import { changelogTopicOf, defaultOutput, serdeOf, validateTopology, type WindowedTopology } from './topology.ts'

export type ProcessingGuarantee = 'at-least-once' | 'exactly-once'

export interface StreamRunnerOptions<V, A> {
  kafka: KafkaClient
  topology: WindowedTopology<V, A>
  /**
   * 'exactly-once': outputs, changelog and input offsets commit in one Kafka transaction (readers downstream must
   * read_committed). 'at-least-once': outputs and changelog first, then offsets; a crash replays the batch.
   */
  guarantee: ProcessingGuarantee
  /** Stable across restarts of this instance: static group membership and transactional id `<appId>-<instanceId>`. */
  instanceId: string
  /** Where a group without committed offsets starts. Default 'earliest'. */
  from?: 'earliest' | 'latest'
  /** Commit at least this often while records flow (ms). Default 1000. */
  commitIntervalMs?: number
  /** Commit once this many records are pending. Default 2000. */
  maxPendingRecords?: number
  /** Wall-clock check for idle windows and timed commits (ms). Default 500. */
  tickIntervalMs?: number
  /** Classic protocol (exactly-once): how long a crashed member keeps its partitions. Default 45 s. */
  sessionTimeoutMs?: number
  /**
   * Watchdog: how long the group's assignment of this member may differ from the runner's active tasks (partitions
   * without a task, or a join the runner never applied) before it logs one warning (onError) and rejoins with a
   * fresh consumer from committed state. Default 15000.
   */
  assignmentGraceMs?: number
  /** Wall clock, injectable for tests. */
  clock?: () => number
  /**
   * The dead letter of a record whose parse threw (e.g. DeadLetterRouter.deadLetter). The runner writes it with
   * the stage's outputs in the commit that moves past the record: inside the transaction under exactly-once (a
   * restart neither loses nor duplicates it); under at-least-once before the offsets (a crash in between writes
   * it again). `attempt` counts earlier commits carrying this record's dead letter that failed (e.g. too large
   * for the topic): from 1 on, return something smaller (a reference without the value).
   */
  deadLetter?: (record: ConsumedRecord, error: unknown, attempt: number) => ProducerRecord | undefined
  /** Called for every record whose parse threw (after `deadLetter`). Default: skip it (counted). */
  onPoison?: (record: ConsumedRecord, error: unknown) => void | Promise<void>
  /** Reported before the runner rebuilds its tasks from committed state after a failure. */
  onError?: (error: unknown) => void
}

export interface StreamRunnerStats {
  processed: number
  late: number
  poison: number
  commits: number
  rebuilds: number
  restoredRecords: number
  activeTasks: number
  /** Wall-clock milliseconds spent committing (processing waits meanwhile). */
  commitMs: number
  /** Dead letters committed (written with the stage's outputs). */
  deadLetters: number
  /** Restarts since the last commit that moved the input forward (0 when healthy). */
  consecutiveFailures: number
}

const NO_ERROR = Symbol('no error')

/**
 * Runs a windowed topology in a consumer group: one task per assigned partition, restored from the changelog when
 * the partition is first seen, records processed in order (the consumer is only read while processing keeps up,
 * which is the back-pressure), commits by interval or size. Any failure drops all tasks and restarts from the
 * last committed state. `stop()` commits what is pending and leaves the group.
 */
export class StreamRunner<V, A> {
  readonly #options: StreamRunnerOptions<V, A>
  readonly #clock: () => number
  readonly #tasks = new Map<number, StreamTask<V, A>>()
  readonly #stats: StreamRunnerStats = {
    processed: 0,
    late: 0,
    poison: 0,
    commits: 0,
    rebuilds: 0,
    restoredRecords: 0,
    activeTasks: 0,
    commitMs: 0,
    deadLetters: 0,
    consecutiveFailures: 0,
  }
  readonly #failures: FailureTracker
  #consumer: Consumer | undefined
  #producer: Producer | undefined
  #txProducer: TransactionalProducer | undefined
  #lock: Promise<unknown> = Promise.resolve()
  #lastCommit = 0
  /** Exactly-once: the group generation the current tasks were built under; a different one means a rebalance. */
  #groupGeneration: number | undefined
  /** Input records consumed since the last commit. */
  #uncommitted = 0
  #failure: Error | undefined
  #state: 'new' | 'running' | 'stopping' | 'stopped' = 'new'
  /** Operations waiting for or holding the lock (ticks, assignments, commits, slow-path records). */
  #queued = 0
  /** Partitions whose state is being read back from the changelog right now. */
  #restoring = 0
  /** Whether the current consumer has received an assignment (possibly empty) yet. */
  #assigned = false
  /** Partitions of the current assignment (undefined until the first one is seen). */
  #assignment: Set<number> | undefined
  readonly #watchdog: AssignmentWatchdog
  #loop: Promise<void> | undefined
  #timer: NodeJS.Timeout | undefined

  constructor(options: StreamRunnerOptions<V, A>) {
    validateTopology(options.topology)
    this.#options = options
    this.#clock = options.clock ?? Date.now
    this.#failures = new FailureTracker(this.#clock)
    this.#watchdog = new AssignmentWatchdog(options.assignmentGraceMs ?? 15_000)
  }

  /**
   * Ready to process: running, a member of the group with its assignment, and not restoring state. A health
   * endpoint reports this; it turns false again during a rebuild or a rebalance that brings new partitions.
   */
  get ready(): boolean {
    return this.#state === 'running' && this.#assigned && this.#restoring === 0 && this.#failure === undefined
  }

  stats(): StreamRunnerStats {
    return { ...this.#stats, activeTasks: this.#tasks.size, consecutiveFailures: this.#failures.consecutive }
  }

  /** Readiness with the reason a stage keeps failing (for /ready and /metrics). */
  health(): StreamRunnerHealth {
    return this.#failures.health(this.ready)
  }

  /** Starts processing in the background (joining the group, restoring, consuming); failures lead to rebuilds. */
  start(): Promise<void> {
    if (this.#state !== 'new') return Promise.reject(new RunnerStateError(`Cannot start a ${this.#state} runner`))
    this.#state = 'running'
    this.#timer = setInterval(() => void this.#exclusive(() => this.#onTick()), this.#options.tickIntervalMs ?? 500)
    this.#loop = this.#run()
    return Promise.resolve()
  }

  async stop(): Promise<void> {
    if (this.#state !== 'running') return
    this.#state = 'stopping'
    clearInterval(this.#timer)
    await this.#exclusive(async () => {
      if (this.#failure === undefined) await this.#commit().catch((error: unknown) => this.#options.onError?.(error))
    })
    await this.#consumer?.close().catch(() => undefined)
    await this.#loop
    this.#state = 'stopped'
  }

  async #run(): Promise<void> {
    while (this.#state === 'running') {
      this.#failure = undefined
      try {
        await this.#generation()
      } catch (error) {
        this.#failure ??= error instanceof Error ? error : new Error(String(error))
      }
      // Let what holds or waits for the lock finish first — above all stop()'s final commit, which would otherwise
      // fail on producers closed under it ("Connection pool is closed") and lose the last batch's progress.
      await this.#exclusive(() => undefined).catch(() => undefined)
      await this.#consumer?.close().catch(() => undefined)
      await this.#producer?.close().catch(() => undefined)
      await this.#txProducer?.close().catch(() => undefined)
      this.#consumer = this.#producer = this.#txProducer = undefined
      this.#tasks.clear()
      this.#uncommitted = 0
      if (this.#state !== 'running') break
      if (this.#failure !== undefined) {
        this.#options.onError?.(this.#failure)
        this.#failures.restarted(this.#failure)
      }
      this.#stats.rebuilds++
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
  }

  // One consumer's lifetime: ends on stop or on a failure (then everything restarts from committed state).
  async #generation(): Promise<void> {
    const o = this.#options
    // Fresh producers per generation: a failed transaction leaves nothing behind.
    if (o.guarantee === 'exactly-once') {
      this.#txProducer = o.kafka.transactionalProducer({
        transactionalId: `${o.topology.applicationId}-${o.instanceId}`,
      })
      // Fences a predecessor with our transactional id and aborts its open transaction before we read any state.
      await this.#txProducer.initTransactions()
      await this.#awaitStableOffsets()
    } else {
      this.#producer = o.kafka.producer({ idempotent: true })
    }
    const consumer = o.kafka.consumer({
      groupId: o.topology.applicationId,
      topics: o.topology.inputTopics,
      from: o.from ?? 'earliest',
      autocommitMs: false,
      readCommitted: true,
      groupInstanceId: o.instanceId,
      ...(o.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: o.sessionTimeoutMs }),
      // Exactly-once commits offsets in the transaction: core picks a group protocol the client can do that with.
      transactionalOffsets: o.guarantee === 'exactly-once',
      onAssignment: (assigned, generation) =>
        void this.#exclusive(() => this.#onAssignment(consumer, assigned, generation)),
    })
    this.#consumer = consumer
    this.#assigned = false
    this.#assignment = undefined
    this.#groupGeneration = undefined
    this.#watchdog.reset()
    this.#lastCommit = this.#clock()
    for await (const record of consumer) {
      if (this.#state !== 'running' || this.#failure !== undefined) break
      // Fast path, the common case: nothing else queued for the lock and the partition's task is ready, so the
      // record is folded in synchronously (no promise per record); anything else goes through the lock.
      const task = this.#queued === 0 ? this.#readyTask(record.partition) : undefined
      if (task) {
        const poison = this.#apply(task, record)
        if (poison !== NO_ERROR) await this.#exclusive(() => this.#poison(task, record, poison))
        if (poison !== NO_ERROR || this.#commitDue()) await this.#exclusive(() => this.#maybeCommit())
        continue
      }
      await this.#exclusive(() => this.#handle(record))
    }
    if (this.#failure !== undefined) throw this.#failure
  }

  /**
   * KIP-447: a transaction that committed just before a crash may still be writing its markers. Until it has, the
   * group's offsets and the changelog's last stable offset are those from before it, so the restarted instance
   * would replay that transaction's input and emit its output again (its consumer does not ask for stable offsets).
   * Waits until the broker answers the group's offsets as stable.
   */
  async #awaitStableOffsets(): Promise<void> {
    const admin = this.#options.kafka.admin()
    const deadline = Date.now() + 60_000
    try {
      for (;;) {
        try {
          await admin.groupOffsets(this.#options.topology.applicationId, { requireStable: true })
          return
        } catch (error) {
          if (isIsobarError(error) && error.code === CoreErrorCodes.GROUP_NOT_FOUND) return
          if (Date.now() > deadline || this.#state !== 'running') throw error
          await new Promise((resolve) => setTimeout(resolve, 200))
        }
      }
    } finally {
      await admin.close().catch(() => undefined)
    }
  }

  // Kafka Streams' rule: commit before giving partitions up. The commit fails if they already moved on (a stale
  // generation or member epoch); then everything restarts from committed state. Newly assigned partitions restore
  // right away, so a silent partition's restored windows still close on idle. Calls from an earlier generation's
  // consumer (queued behind the lock) are ignored: their view of the assignment is stale. Classic protocol: the
  // generation should come with the assignment from the same join (when the client passes it; otherwise the
  // client's current one is read, which is racy). Reading the client's generation here is wrong in general: it moves on the next JoinGroup answer, before SyncGroup brings that generation's assignment, so this
  // assignment would carry the next generation and a commit under it could include partitions that moved.
  async #onAssignment(
    consumer: Consumer,
    assigned: Array<{ topic: string; partition: number }>,
    joinGeneration?: number,
  ): Promise<void> {
    if (consumer !== this.#consumer || this.#failure !== undefined || this.#state !== 'running') return
    // A join older than the one applied (its callback was queued while a newer one was applied): nothing to do.
    if (joinGeneration !== undefined && this.#groupGeneration !== undefined && joinGeneration < this.#groupGeneration)
      return
    const keep = new Set(assigned.map((a) => a.partition))
    const revoked = [...this.#tasks.keys()].filter((partition) => !keep.has(partition))
    try {
      if (this.#txProducer) {
        // Exactly-once under the classic protocol: a new assignment is a new generation. Work done under the old
        // one must not be committed under the new one (a partition may have been someone else's in between).
        const generation = joinGeneration ?? consumer.groupMetadata()?.generationId
        if (generation !== this.#groupGeneration) {
          if (this.#groupGeneration !== undefined && this.#hasUncommittedWork()) throw new RebalancedError()
          // A kept partition's state is current only if no generation was missed (it could have moved away and
          // back, its changelog written meanwhile by another member): otherwise restore everything afresh.
          const previous = this.#groupGeneration
          if (previous === undefined || generation === undefined || generation !== previous + 1) this.#tasks.clear()
          this.#groupGeneration = generation
        }
      } else if (revoked.length > 0) {
        await this.#commit()
      }
      for (const partition of revoked) this.#tasks.delete(partition)
      this.#assignment = keep
      for (const partition of keep) if (!this.#tasks.has(partition)) await this.#restore(partition)
    } catch (error) {
      return this.#fail(error)
    }
    this.#assigned = true
  }

  #hasUncommittedWork(): boolean {
    if (this.#uncommitted > 0) return true
    for (const task of this.#tasks.values()) if (task.pendingCount > 0) return true
    return false
  }

  // Ends the current generation from outside the consume loop (which may be waiting for records).
  async #fail(error: unknown): Promise<void> {
    this.#failure = error instanceof Error ? error : new Error(String(error))
    await this.#consumer?.close().catch(() => undefined)
  }

  async #handle(record: ConsumedRecord): Promise<void> {
    const consumer = this.#consumer
    if (this.#failure !== undefined || this.#state !== 'running' || !consumer) return
    if (!this.#assignment?.has(record.partition)) {
      // The assignment watcher polls; ask the client now. A record of a partition that is not ours (any more) was
      // fetched before a rebalance: its new owner processes it.
      const join = consumer.lastJoin?.()
      await this.#onAssignment(consumer, join?.assigned ?? consumer.assignment(), join?.generationId)
      if (this.#failure !== undefined || !this.#assignment?.has(record.partition)) return
    }
    const task = this.#tasks.get(record.partition) ?? (await this.#restore(record.partition))
    const poison = this.#apply(task, record)
    if (poison !== NO_ERROR) await this.#poison(task, record, poison)
    return this.#maybeCommit()
  }

  /** Folds one record into its task, synchronously; returns the parse error of a poison record. */
  #apply(task: StreamTask<V, A>, record: ConsumedRecord): unknown {
    this.#stats.processed++
    this.#uncommitted++
    return this.#fold(task, record)
  }

  #fold(task: StreamTask<V, A>, record: ConsumedRecord): unknown {
    let parsed
    try {
      parsed = this.#options.topology.parse(record)
    } catch (error) {
      return error
    }
    if (parsed !== null && 'watermark' in parsed) {
      task.observeWatermark(record, parsed.watermark)
      return NO_ERROR
    }
    const parts = parsed === null ? [] : Array.isArray(parsed) ? parsed : [parsed]
    if (parts.length === 0) task.markConsumed(record)
    else if (task.process(record, parts, this.#clock())) this.#stats.late++
    return NO_ERROR
  }

  async #poison(task: StreamTask<V, A>, record: ConsumedRecord, error: unknown): Promise<void> {
    // A parse waiting for something asynchronous (a registry lookup): wait, then parse again. A lookup that
    // fails (registry down) fails the generation: the stage restarts and asks again.
    for (let attempts = 0; error instanceof ParseDeferredError; attempts++) {
      if (attempts === 3) throw error
      await error.until
      error = this.#fold(task, record)
      if (error === NO_ERROR) return
    }
    this.#stats.poison++
    const attempt = this.#failures.deadLetterAttempts(record)
    task.deadLetter(record, this.#options.deadLetter?.(record, error, attempt))
    await this.#options.onPoison?.(record, error)
  }

  async #restore(partition: number): Promise<StreamTask<V, A>> {
    const { topology, kafka } = this.#options
    const serde = serdeOf(topology)
    const store = new WindowStore<A>()
    const table = new KeyValueTable()
    const state = topology.state
    this.#restoring++
    try {
      await kafka.readCommitted({
        topic: changelogTopicOf(topology),
        partition,
        onRecords: (records) => {
          // Per-key state (topology.state) shares the changelog under its own key prefix.
          const windows = state ? records.filter((r) => !isTableRecord(r.key)) : records
          if (state && windows.length < records.length) {
            for (const r of records) if (isTableRecord(r.key)) table.restore(r, state.deserialize)
            this.#stats.restoredRecords += records.length - windows.length
          }
          this.#stats.restoredRecords += restoreFromChangelog(store, windows, serde)
        },
      })
    } finally {
      this.#restoring--
    }
    const output = topology.toOutput ?? defaultOutput(serde)
    const task = new StreamTask<V, A>(partition, topology, serde, output, store, table)
    task.aggregator.resync(this.#clock())
    this.#tasks.set(partition, task)
    return task
  }

  #readyTask(partition: number): StreamTask<V, A> | undefined {
    return this.#assignment?.has(partition) ? this.#tasks.get(partition) : undefined
  }

  #commitDue(): boolean {
    if (this.#uncommitted >= (this.#options.maxPendingRecords ?? 2000)) return true
    if (this.#clock() - this.#lastCommit < (this.#options.commitIntervalMs ?? 1000)) return false
    for (const task of this.#tasks.values()) if (task.pendingCount > 0) return true
    return false
  }

  async #maybeCommit(): Promise<void> {
    if (this.#commitDue()) await this.#commit()
  }

  async #onTick(): Promise<void> {
    if (this.#state !== 'running' || this.#failure !== undefined || !this.#consumer) return
    const now = this.#clock()
    for (const task of this.#tasks.values()) task.tick(now)
    try {
      await this.#maybeCommit()
      const consumer = this.#consumer
      const stalled = this.#watchdog.check(now, consumer.lastJoin?.(), consumer.assignment(), {
        generationId: this.#groupGeneration,
        checkGeneration: this.#txProducer !== undefined,
        assignment: this.#assignment,
        tasks: new Set(this.#tasks.keys()),
      })
      if (stalled) throw stalled
    } catch (error) {
      await this.#fail(error)
    }
  }

  async #commit(): Promise<void> {
    const batches: TaskBatch[] = [...this.#tasks.values()].map((task) => task.takeBatch())
    this.#lastCommit = this.#clock()
    this.#uncommitted = 0
    const records = batches.flatMap((b) => b.records)
    const deadLetters = batches.flatMap((b) => b.deadLetters)
    const offsets = batches.flatMap((b) => b.offsets)
    if (records.length === 0 && offsets.length === 0) return
    const consumer = this.#consumer
    if (!consumer) throw new RunnerStateError('No consumer to commit with')
    const started = performance.now()
    try {
      if (this.#txProducer) {
        // Under the classic protocol every assignment change is a new generation. Records processed under an
        // older one may belong to partitions that moved (or were replayed), so never commit them: start over.
        const membership = consumer.groupMetadata()
        if (!membership || membership.generationId !== this.#groupGeneration) throw new RebalancedError()
        const transaction = await this.#txProducer.beginTransaction()
        try {
          // One at a time: concurrent sends race the client's AddPartitionsToTxn bookkeeping (measured: fails).
          for (const chunk of sendChunks(records)) await transaction.send(chunk)
          for (const { record } of deadLetters) await transaction.send([record])
          // Progress records alone (a heartbeat of an idle stage) commit without offsets.
          if (offsets.length > 0) await transaction.sendOffsets(consumer, offsets, membership)
          await transaction.commit()
        } catch (error) {
          await transaction.abort().catch(() => undefined)
          throw error
        }
      } else {
        const producer = this.#producer!
        await Promise.all([...sendChunks(records)].map((chunk) => producer.send(chunk)))
        for (const { record } of deadLetters) await producer.send([record])
        await consumer.commit(offsets)
      }
    } catch (error) {
      this.#failure = new CommitFailedError(error)
      this.#failures.commitFailed(offsets, deadLetters)
      throw this.#failure
    } finally {
      this.#stats.commitMs += performance.now() - started
    }
    this.#stats.commits++
    this.#stats.deadLetters += deadLetters.length
    this.#failures.committed(offsets, deadLetters)
  }

  #exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
    this.#queued++
    const next = this.#lock.then(fn).finally(() => this.#queued--)
    this.#lock = next.catch(() => undefined)
    return next
  }
}
