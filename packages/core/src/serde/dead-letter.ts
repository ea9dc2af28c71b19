/**
 * Dead-letter routing. A message that can never be decoded (or a value a producer refuses to send) is written to
 * its topic's dead-letter topic with the original bytes and `isobar.dlq.*` headers saying why and where it came
 * from, and counted in `isobar_dead_letters_total`. Nothing is dropped silently and a poison message never stops
 * a consumer; transient failures (registry unreachable) are rethrown instead, because retrying will succeed.
 */
import type { Counter as CounterType, Registry } from 'prom-client'
import { Counter } from 'prom-client'
import type { Logger } from '../logger.ts'
import type { ConsumedRecord, Headers, Producer, ProducerRecord } from '../kafka/types.ts'
import { DeadLetterFailedError, isPoisonError } from './errors.ts'
import type { Deserialized, JsonSerde } from './json-serde.ts'
import type { SubjectSchemaIds } from './subject-ids.ts'
import { decodeFrame } from './wire-format.ts'
import { fitDeadLetter, sha256Hex } from './dead-letter-record.ts'
import { DeadLetterLog } from './dead-letter-log.ts'

/** Header names; values are UTF-8 strings. Documented in docs/topics.md. */
export const DLQ_HEADERS = {
  errorCode: 'isobar.dlq.error.code',
  errorMessage: 'isobar.dlq.error.message',
  schemaId: 'isobar.dlq.schema.id',
  originalTopic: 'isobar.dlq.original.topic',
  originalPartition: 'isobar.dlq.original.partition',
  originalOffset: 'isobar.dlq.original.offset',
  originalTimestamp: 'isobar.dlq.original.timestamp',
  /** 'consume' (failed to decode) or 'produce' (refused before sending). */
  stage: 'isobar.dlq.stage',
  /** Bytes of the original value, and its SHA-256 (hex): a truncated dead letter can be matched to it. */
  originalSize: 'isobar.dlq.original.size',
  originalSha256: 'isobar.dlq.original.sha256',
  /** Present when the dead letter does not carry the whole original: 'value' (cut) or 'reference' (no value). */
  truncated: 'isobar.dlq.truncated',
} as const

/** Kafka's default max.message.bytes (1 MiB + 12): the dead-letter topic's limit unless told otherwise. */
export const DEFAULT_MAX_DEAD_LETTER_BYTES = 1_048_588

export const DEAD_LETTERS_METRIC = 'isobar_dead_letters_total'

/** `weather.observations` → `weather.dlq`: one dead-letter topic per domain (the first name segment). */
export function defaultDeadLetterTopic(topic: string): string {
  const dot = topic.indexOf('.')
  return `${dot > 0 ? topic.slice(0, dot) : topic}.dlq`
}

export interface DeadLetterRouterOptions {
  producer: Producer
  /** The process's metrics registry (see createMetricsRegistry). */
  metrics: Registry
  /** Maps a source topic to its dead-letter topic. Default `defaultDeadLetterTopic`. */
  deadLetterTopic?: (topic: string) => string
  logger?: Logger
  /** Interval of the dead-letter summary log line (the first of each kind is logged in full). Default 60 s. */
  logSummaryIntervalMs?: number
  /** Longest error message kept in the header (bytes of UTF-16 text). Default 1000. */
  maxMessageLength?: number
  /** The clock that stamps dead letters (ms since the epoch). Default Date.now. */
  now?: () => number
  /**
   * The dead-letter topic's max.message.bytes: a dead letter that would not fit carries a truncated copy of the
   * value (see fitDeadLetter). Default 1,048,588 (Kafka's default).
   */
  maxRecordBytes?: number
}

export interface ProducerRejection {
  topic: string
  key?: Buffer | null
  /** The value that could not be serialised (written as JSON; a Buffer is written as is). */
  value: unknown
  error: unknown
  /** Event time of the record, when known (ms since the epoch). */
  timestamp?: number
}

export type DecodeResult<T> =
  | ({ ok: true; record: ConsumedRecord } & Deserialized<T>)
  | { ok: false; record: ConsumedRecord; error: Error; deadLetterTopic: string }

function describe(error: unknown): { code: string; message: string; schemaId: number | undefined } {
  const e = error as { code?: unknown; message?: unknown; details?: { schemaId?: unknown } }
  return {
    code: typeof e?.code === 'string' ? e.code : 'ISOBAR_UNKNOWN',
    message: typeof e?.message === 'string' ? e.message : String(error),
    schemaId: typeof e?.details?.schemaId === 'number' ? e.details.schemaId : undefined,
  }
}

function counterOn(registry: Registry): CounterType<'original_topic' | 'dlq_topic' | 'error_code' | 'stage'> {
  const existing = registry.getSingleMetric(DEAD_LETTERS_METRIC)
  if (existing) return existing as CounterType<'original_topic' | 'dlq_topic' | 'error_code' | 'stage'>
  return new Counter({
    name: DEAD_LETTERS_METRIC,
    help: 'Messages written to a dead-letter topic, by source topic and error code',
    labelNames: ['original_topic', 'dlq_topic', 'error_code', 'stage'] as const,
    registers: [registry],
  })
}

export class DeadLetterRouter {
  readonly #producer: Producer
  readonly #topicFor: (topic: string) => string
  readonly #counter: CounterType<'original_topic' | 'dlq_topic' | 'error_code' | 'stage'>
  readonly #log: DeadLetterLog
  readonly #maxMessage: number
  readonly #maxRecordBytes: number
  readonly #now: () => number

  constructor(options: DeadLetterRouterOptions) {
    this.#producer = options.producer
    this.#topicFor = options.deadLetterTopic ?? defaultDeadLetterTopic
    this.#counter = counterOn(options.metrics)
    this.#log = new DeadLetterLog({
      logger: options.logger,
      ...(options.logSummaryIntervalMs === undefined ? {} : { summaryIntervalMs: options.logSummaryIntervalMs }),
    })
    this.#maxMessage = options.maxMessageLength ?? 1000
    this.#maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_DEAD_LETTER_BYTES
    this.#now = options.now ?? Date.now
  }

  /** Logs the pending dead-letter summary (call on shutdown). */
  flushLog(): void {
    this.#log.flush()
  }

  deadLetterTopicFor(topic: string): string {
    return this.#topicFor(topic)
  }

  #headers(error: unknown, stage: 'consume' | 'produce', schemaIdHint?: number): Headers {
    const { code, message, schemaId } = describe(error)
    const id = schemaId ?? schemaIdHint
    return {
      [DLQ_HEADERS.errorCode]: Buffer.from(code),
      [DLQ_HEADERS.errorMessage]: Buffer.from(message.slice(0, this.#maxMessage)),
      [DLQ_HEADERS.stage]: Buffer.from(stage),
      ...(id === undefined ? {} : { [DLQ_HEADERS.schemaId]: Buffer.from(String(id)) }),
    }
  }

  async #send(original: string, stage: 'consume' | 'produce', error: unknown, record: ProducerRecord): Promise<void> {
    const { code } = describe(error)
    try {
      await this.#producer.send([record])
    } catch (sendError) {
      throw new DeadLetterFailedError(record.topic, sendError)
    }
    this.#counter.inc({ original_topic: original, dlq_topic: record.topic, error_code: code, stage })
    this.#log.record({ topic: original, dlq: record.topic, code, stage }, 'message dead-lettered')
  }

  /**
   * The dead letter of a consumed record: its key, value and headers plus the dlq headers (reason, source
   * position, original size and SHA-256), cut to fit the dead-letter topic when it would not (`attempt` ≥ 1: no
   * value at all, for a writer whose previous attempt failed anyway). Counted; the caller sends it (the stream
   * runner does, inside its transaction). A dead letter rebuilt after a failed commit is counted again.
   */
  deadLetter(record: ConsumedRecord, error: unknown, attempt = 0): ProducerRecord {
    const topic = this.#topicFor(record.topic)
    let schemaIdHint: number | undefined
    try {
      schemaIdHint = decodeFrame(record.value).schemaId
    } catch {
      schemaIdHint = undefined
    }
    const fitted = fitDeadLetter({
      key: record.key,
      value: record.value,
      originalHeaders: record.headers,
      dlqHeaders: {
        ...this.#headers(error, 'consume', schemaIdHint),
        [DLQ_HEADERS.originalTopic]: Buffer.from(record.topic),
        [DLQ_HEADERS.originalPartition]: Buffer.from(String(record.partition)),
        [DLQ_HEADERS.originalOffset]: Buffer.from(String(record.offset)),
        [DLQ_HEADERS.originalTimestamp]: Buffer.from(String(record.timestamp)),
        [DLQ_HEADERS.originalSize]: Buffer.from(String(record.value?.length ?? 0)),
        [DLQ_HEADERS.originalSha256]: Buffer.from(sha256Hex(record.value)),
      },
      maxBytes: this.#maxRecordBytes,
      reference: attempt > 0,
      truncationHeader: DLQ_HEADERS.truncated,
    })
    const { code } = describe(error)
    this.#counter.inc({ original_topic: record.topic, dlq_topic: topic, error_code: code, stage: 'consume' })
    this.#log.record(
      { topic: record.topic, partition: record.partition, offset: String(record.offset), dlq: topic, code },
      fitted.truncation === 'none' ? 'message dead-lettered' : `message dead-lettered (${fitted.truncation})`,
    )
    // Stamped with the time of dead-lettering, not the original's: retention works on record timestamps, and the
    // dead letter of an old record (a replay, a backlog) would otherwise be deleted at the next retention check.
    // The original time travels in its header.
    return { topic, key: fitted.key, value: fitted.value, timestamp: this.#now(), headers: fitted.headers }
  }

  /** Consumer side: sends the record's dead letter (see `deadLetter`) now; returns the dead-letter topic. */
  async consumed(record: ConsumedRecord, error: unknown): Promise<string> {
    const deadLetter = this.deadLetter(record, error)
    try {
      await this.#producer.send([deadLetter])
    } catch (sendError) {
      throw new DeadLetterFailedError(deadLetter.topic, sendError)
    }
    return deadLetter.topic
  }

  /** Producer side: a value refused before sending (e.g. SchemaViolationError), written as plain JSON. */
  async rejected(rejection: ProducerRejection): Promise<string> {
    const topic = this.#topicFor(rejection.topic)
    const value = Buffer.isBuffer(rejection.value)
      ? rejection.value
      : Buffer.from(JSON.stringify(rejection.value) ?? 'null')
    const now = this.#now()
    await this.#send(rejection.topic, 'produce', rejection.error, {
      topic,
      key: rejection.key ?? null,
      value,
      timestamp: now,
      headers: {
        ...this.#headers(rejection.error, 'produce'),
        [DLQ_HEADERS.originalTopic]: Buffer.from(rejection.topic),
        [DLQ_HEADERS.originalTimestamp]: Buffer.from(String(rejection.timestamp ?? now)),
      },
    })
    return topic
  }

  /**
   * Producer side in one call: validates and frames `value` for `<topic>-value` (the subject must be prepared)
   * and returns the record to send; an invalid value goes to the dead-letter topic instead and yields undefined.
   */
  async encode(
    serde: JsonSerde,
    record: Omit<ProducerRecord, 'value'> & { value: unknown },
  ): Promise<ProducerRecord | undefined> {
    try {
      return { ...record, value: serde.serialize(`${record.topic}-value`, record.value) }
    } catch (error) {
      if (!isPoisonError(error)) throw error
      await this.rejected({
        topic: record.topic,
        key: record.key ?? null,
        value: record.value,
        error,
        ...(record.timestamp === undefined ? {} : { timestamp: record.timestamp }),
      })
      return undefined
    }
  }

  /**
   * Deserialises a consumed record; a poison record goes to the dead-letter topic and comes back as
   * `{ ok: false }` so the caller can commit past it. Transient errors are thrown.
   */
  async decode<T = unknown>(
    serde: JsonSerde,
    record: ConsumedRecord,
    options: { subject?: SubjectSchemaIds } = {},
  ): Promise<DecodeResult<T>> {
    try {
      const decoded = await serde.deserialize<T>(record.value, options)
      return { ok: true, record, ...decoded }
    } catch (error) {
      if (!isPoisonError(error)) throw error
      const deadLetterTopic = await this.consumed(record, error)
      return { ok: false, record, error, deadLetterTopic }
    }
  }
}

/** Decodes every record of a consumer, dead-lettering poison ones; yields both kinds so offsets can be committed. */
export async function* decodeRecords<T = unknown>(
  records: AsyncIterable<ConsumedRecord>,
  serde: JsonSerde,
  router: DeadLetterRouter,
  options: { subject?: SubjectSchemaIds } = {},
): AsyncGenerator<DecodeResult<T>> {
  for await (const record of records) yield await router.decode<T>(serde, record, options)
}

/** Reads a dead-letter header as a string (undefined when absent). */
export function deadLetterHeader(headers: Headers, name: keyof typeof DLQ_HEADERS): string | undefined {
  return headers[DLQ_HEADERS[name]]?.toString('utf8')
}
