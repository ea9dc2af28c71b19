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
  readonly #commandsTotal: Counter | undefined
  publishFailures = 0

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
    const { client, engine } = this.#options
    if (this.#options.restore ?? true) {
      const admin = client.admin()
      try {
        const restored = engine.restore(await readLatestAlerts(admin, this.alertsTopic))
        this.#logger.info({ restored }, 'restored open alerts')
      } finally {
        await admin.close()
      }
    }
    this.#producer = client.producer()
    this.#batching = new BatchingProducer(this.#producer, {
      maxRecords: 500,
      maxBytes: 1 << 20,
      lingerMs: 5,
      maxInFlight: 5,
    })
    const { inputTopics, groupId } = this.#options
    const from = this.#options.from ?? 'latest'
    this.#stopping = false
    this.#loops = [
      this.#keepReading(
        () => client.consumer({ topics: [this.commandsTopic], from: 'earliest' }),
        (r) => this.#command(r),
      ),
      this.#keepReading(
        () => client.consumer({ topics: inputTopics, groupId, from }),
        (r) => this.#input(r),
      ),
    ]
    this.#timer = setInterval(() => this.#publish(engine.tick()), this.#options.tickMs ?? 1000)
  }

  /** Stops reading, publishes what is pending and closes everything. */
  async stop(): Promise<void> {
    this.#stopping = true
    clearInterval(this.#timer)
    await Promise.all([...this.#consumers].map((c) => c.close().catch(() => undefined)))
    await Promise.all(this.#loops)
    await this.#batching?.flush()
    await this.#producer?.close()
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

  #input(record: ConsumedRecord): void {
    let message: T | undefined
    try {
      message = this.#options.decode ? this.#options.decode(record) : (JSON.parse(record.value?.toString() ?? '') as T)
    } catch {
      message = undefined
    }
    if (message !== undefined) this.#publish(this.#options.engine.ingest(message))
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

  #publish(events: AlertEvent[]): void {
    for (const event of events) {
      this.#eventsTotal?.inc({ change: event.change })
      let record
      try {
        record = alertEventRecord(this.alertsTopic, event, this.#options.encodeEvent)
      } catch (error) {
        // A value its schema refuses: counted and logged, never a crash (the engine state stays right).
        this.publishFailures++
        this.#logger.error({ err: error, key: `${event.ruleId}+${event.entityId}` }, 'alert event not encodable')
        continue
      }
      this.#batching?.produce(record, (error) => {
        if (!error) return
        this.publishFailures++
        this.#logger.error({ err: error, key: `${event.ruleId}+${event.entityId}` }, 'alert event not delivered')
      })
    }
  }
}
