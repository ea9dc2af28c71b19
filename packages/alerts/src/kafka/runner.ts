import {
  BatchingProducer,
  Counter,
  silentLogger,
  type ConsumedRecord,
  type Consumer,
  type KafkaClient,
  type Logger,
  type Producer,
  type Registry,
} from '@isobar/core'
import type { CommandResult, AlertEngine } from '../engine.ts'
import type { AlertEvent } from '../events.ts'
import { alertEventRecord, decodeAlertCommand, DEFAULT_ALERTS_TOPIC, DEFAULT_COMMANDS_TOPIC } from './codec.ts'
import { readLatestAlerts } from './latest.ts'
import { OffsetTracker } from './offsets.ts'

/** Input records tracked while their alert events are in flight; beyond it reading waits for acknowledgements. */
const MAX_TRACKED = 10_000

export interface AlertRunnerOptions<T> {
  client: KafkaClient
  engine: AlertEngine<T>
  /** Topics whose records are evaluated (e.g. sensors.readings or weather.observations). */
  inputTopics: string[]
  /** Turns a record into the engine's message type; undefined skips it. Default: JSON value. */
  decode?: (record: ConsumedRecord) => T | undefined
  /** Consumer group of the input topics. */
  groupId: string
  alertsTopic?: string
  commandsTopic?: string
  /** Where the input group starts without committed offsets. Default 'latest'. */
  from?: 'earliest' | 'latest'
  /** Clock checks (stale sensors) interval. Default 1000 ms. */
  tickMs?: number
  /** Seed open alerts from the alerts topic at start. Default true. */
  restore?: boolean
  logger?: Logger
  metrics?: Registry
  /** How often the input group's offsets of fully published records are committed. Default 1000 ms. */
  commitIntervalMs?: number
  /** Called with every command result (tests, audit logs). */
  onCommand?: (result: CommandResult) => void
  /** Alert event value bytes, e.g. the registry wire format. Default plain JSON. */
  encodeEvent?: (event: AlertEvent) => Buffer
}

/**
 * The thin Kafka adapter around the pure engine: input records and alert commands in, alert events out
 * (keyed rule+entity). Commands are replayed from the start of their topic at every start: they are
 * idempotent, so silences survive restarts.
 */
export class AlertRunner<T> {
  readonly #options: AlertRunnerOptions<T>
  readonly #logger: Logger
  #producer: Producer | undefined
  #batching: BatchingProducer | undefined
  readonly #consumers = new Set<Consumer>()
  #stopping = false
  #loops: Array<Promise<void>> = []
  #timer: NodeJS.Timeout | undefined
  readonly #eventsTotal: Counter | undefined
  #commandsConsumer: Consumer | undefined
  readonly #commandsTotal: Counter | undefined
  publishFailures = 0
  /** Times the input was re-read from its committed offsets after an alert event was not delivered. */
  inputRestarts = 0
  #input: { consumer: Consumer; tracker: OffsetTracker } | undefined
  /** An alert event was not delivered: the input must be re-read from its committed offsets. */
  #undelivered = false

  constructor(options: AlertRunnerOptions<T>) {
    this.#options = options
    this.#logger = options.logger ?? silentLogger()
    if (options.metrics) {
      this.#eventsTotal = new Counter({
        name: 'isobar_alerts_events_total',
        help: 'Alert events published, by change',
        labelNames: ['change'],
        registers: [options.metrics],
      })
      this.#commandsTotal = new Counter({
        name: 'isobar_alerts_commands_total',
        help: 'Alert commands read, by outcome',
        labelNames: ['status'],
        registers: [options.metrics],
      })
    }
  }

  get alertsTopic(): string {
    return this.#options.alertsTopic ?? DEFAULT_ALERTS_TOPIC
  }

  get commandsTopic(): string {
    return this.#options.commandsTopic ?? DEFAULT_COMMANDS_TOPIC
  }

  async start(): Promise<void> {
    if (this.#options.restore ?? true) {
      const restored = await this.#restore()
      this.#logger.info({ restored }, 'restored open alerts')
    }
    const { client, engine } = this.#options
    this.#producer = client.producer()
    this.#batching = new BatchingProducer(this.#producer, {
      maxRecords: 500,
      maxBytes: 1 << 20,
      lingerMs: 5,
      maxInFlight: 5,
    })
    this.#stopping = false
    this.#loops = [
      this.#keepReading(
        () => {
          this.#commandsConsumer = client.consumer({ topics: [this.commandsTopic], from: 'earliest' })
          return this.#commandsConsumer
        },
        (r) => this.#command(r),
      ),
      this.#keepReadingInput(),
    ]
    this.#timer = setInterval(() => this.#publish(engine.tick()), this.#options.tickMs ?? 1000)
  }

  /** Stops reading, publishes what is pending, commits the input of what was published and closes everything. */
  async stop(): Promise<void> {
    this.#stopping = true
    clearInterval(this.#timer)
    await this.#batching?.flush()
    const input = this.#input
    if (input) await this.#commit(input.consumer, input.tracker)
    await Promise.all([...this.#consumers].map((c) => c.close().catch(() => undefined)))
    await Promise.all(this.#loops)
    await this.#batching?.flush()
    await this.#producer?.close()
  }

  async #restore(): Promise<number> {
    const admin = this.#options.client.admin()
    try {
      return this.#options.engine.restore(await readLatestAlerts(admin, this.alertsTopic))
    } finally {
      await admin.close()
    }
  }

  /**
   * Reads the input topics without autocommit: a record's offset is committed only once every alert event it
   * caused is acknowledged. When an event is not delivered (brokers gone for longer than the producer's retries),
   * the consumer is closed without committing, the engine forgets its alerts and is seeded again from the alerts
   * topic, and a new consumer re-reads from the committed offsets: the records whose events were lost raise them
   * again, and the restore makes those already published count as seen (at least once, no double alerts).
   */
  async #keepReadingInput(): Promise<void> {
    const { client, inputTopics, groupId } = this.#options
    const from = this.#options.from ?? 'latest'
    let reseed = false
    while (!this.#stopping) {
      if (reseed) {
        try {
          await this.#batching?.flush()
          this.#undelivered = false
          this.#options.engine.forgetAlerts()
          if (this.#options.restore ?? true) await this.#restore()
          // The restore knows only what reached the alerts topic: an operator command whose event was lost must
          // apply again. Commands are idempotent, so the commands consumer simply starts over from the beginning.
          void this.#commandsConsumer?.close().catch(() => undefined)
          reseed = false
          this.inputRestarts++
          this.#logger.warn('alert input re-read from its committed offsets after an undelivered alert event')
        } catch (error) {
          this.#logger.warn({ err: error }, 'alert state not restored; retrying')
          await new Promise((resolve) => setTimeout(resolve, 1000))
          continue
        }
      }
      const consumer = client.consumer({ topics: inputTopics, groupId, from, autocommitMs: false })
      const tracker = new OffsetTracker()
      this.#input = { consumer, tracker }
      this.#consumers.add(consumer)
      const committer = setInterval(() => void this.#commit(consumer, tracker), this.#options.commitIntervalMs ?? 1000)
      try {
        for await (const record of consumer) {
          if (this.#undelivered) break
          this.#handleInput(record, tracker)
          if (tracker.size >= MAX_TRACKED) {
            await this.#batching?.flush()
            await this.#commit(consumer, tracker)
          }
        }
      } catch (error) {
        if (!this.#stopping && !this.#undelivered)
          this.#logger.warn({ err: error }, 'alert consumer failed; reconnecting')
      } finally {
        clearInterval(committer)
        this.#consumers.delete(consumer)
        if (this.#input?.consumer === consumer) this.#input = undefined
        await consumer.close().catch(() => undefined)
      }
      if (this.#undelivered) reseed = true
      else if (!this.#stopping) await new Promise((resolve) => setTimeout(resolve, 1000))
    }
  }

  async #commit(consumer: Consumer, tracker: OffsetTracker): Promise<void> {
    if (this.#undelivered) return
    const positions = tracker.committable()
    if (positions.length === 0) return
    try {
      await consumer.commit(positions)
      tracker.committed(positions)
    } catch (error) {
      // Uncommitted records are read again after a restart; the engine skips those it already evaluated.
      this.#logger.warn({ err: error }, 'alert input offsets not committed')
    }
  }

  /** A delivery failed: stop committing and make the input loop re-read from the committed offsets. */
  #undeliverable(): void {
    if (this.#undelivered) return
    this.#undelivered = true
    void this.#input?.consumer.close().catch(() => undefined)
  }

  /**
   * Reads with a fresh consumer until stop. A consumer that fails (a broker or the group coordinator gone for
   * longer than its retries) is replaced after a second: the group resumes from its committed offsets, and the
   * engine skips what it already evaluated (older than the last sample per rule and entity), so nothing fires
   * twice. Commands are idempotent, so replaying them from the start is harmless.
   */
  async #keepReading(create: () => Consumer, handle: (record: ConsumedRecord) => void): Promise<void> {
    while (!this.#stopping) {
      const consumer = create()
      this.#consumers.add(consumer)
      try {
        for await (const record of consumer) handle(record)
      } catch (error) {
        if (!this.#stopping) this.#logger.warn({ err: error }, 'alert consumer failed; reconnecting')
      } finally {
        this.#consumers.delete(consumer)
        await consumer.close().catch(() => undefined)
      }
      if (!this.#stopping) await new Promise((resolve) => setTimeout(resolve, 1000))
    }
  }

  #handleInput(record: ConsumedRecord, tracker: OffsetTracker): void {
    let message: T | undefined
    try {
      message = this.#options.decode ? this.#options.decode(record) : (JSON.parse(record.value?.toString() ?? '') as T)
    } catch {
      message = undefined
    }
    const events = message === undefined ? [] : this.#options.engine.ingest(message)
    const acknowledged = tracker.add(record, events.length)
    this.#publish(events, acknowledged)
  }

  #command(record: ConsumedRecord): void {
    let result: CommandResult
    try {
      result = this.#options.engine.applyCommand(decodeAlertCommand(record.value))
    } catch (error) {
      this.#logger.warn({ err: error, offset: record.offset.toString() }, 'skipped a malformed alert command')
      this.#commandsTotal?.inc({ status: 'invalid' })
      return
    }
    this.#commandsTotal?.inc({ status: result.status })
    this.#options.onCommand?.(result)
    this.#publish(result.events)
  }

  /** `acknowledged` is called once per event Kafka acknowledged; any failure makes the input re-read. */
  #publish(events: AlertEvent[], acknowledged?: () => void): void {
    for (const event of events) {
      this.#eventsTotal?.inc({ change: event.change })
      let record
      try {
        record = alertEventRecord(this.alertsTopic, event, this.#options.encodeEvent)
      } catch (error) {
        // A value its schema refuses: counted and logged, never a crash (the engine state stays right).
        this.publishFailures++
        this.#logger.error({ err: error, key: `${event.ruleId}+${event.entityId}` }, 'alert event not encodable')
        acknowledged?.()
        continue
      }
      this.#batching?.produce(record, (error) => {
        if (!error) {
          acknowledged?.()
          return
        }
        this.publishFailures++
        this.#logger.error(
          { err: error, key: `${event.ruleId}+${event.entityId}` },
          'alert event not delivered; the input is read again from its committed offsets',
        )
        this.#undeliverable()
      })
    }
  }
}
