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
import { decodeFrame } from './wire-format.ts'

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
} as const

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
  /** Longest error message kept in the header (bytes of UTF-16 text). Default 1000. */
  maxMessageLength?: number
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
  readonly #logger: Logger | undefined
  readonly #maxMessage: number

  constructor(options: DeadLetterRouterOptions) {
    this.#producer = options.producer
    this.#topicFor = options.deadLetterTopic ?? defaultDeadLetterTopic
    this.#counter = counterOn(options.metrics)
    this.#logger = options.logger
    this.#maxMessage = options.maxMessageLength ?? 1000
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
    this.#logger?.warn({ topic: original, dlq: record.topic, code, stage }, 'message dead-lettered')
  }

  /** Consumer side: forwards the record's original bytes, key and headers, plus the dlq headers. */
  async consumed(record: ConsumedRecord, error: unknown): Promise<string> {
    const topic = this.#topicFor(record.topic)
    let schemaIdHint: number | undefined
    try {
      schemaIdHint = decodeFrame(record.value).schemaId
    } catch {
      schemaIdHint = undefined
    }
    await this.#send(record.topic, 'consume', error, {
      topic,
      key: record.key,
      value: record.value,
      timestamp: record.timestamp,
      headers: {
        ...record.headers,
        ...this.#headers(error, 'consume', schemaIdHint),
        [DLQ_HEADERS.originalTopic]: Buffer.from(record.topic),
        [DLQ_HEADERS.originalPartition]: Buffer.from(String(record.partition)),
        [DLQ_HEADERS.originalOffset]: Buffer.from(String(record.offset)),
        [DLQ_HEADERS.originalTimestamp]: Buffer.from(String(record.timestamp)),
      },
    })
    return topic
  }

  /** Producer side: a value refused before sending (e.g. SchemaViolationError), written as plain JSON. */
  async rejected(rejection: ProducerRejection): Promise<string> {
    const topic = this.#topicFor(rejection.topic)
    const value = Buffer.isBuffer(rejection.value)
      ? rejection.value
      : Buffer.from(JSON.stringify(rejection.value) ?? 'null')
    const timestamp = rejection.timestamp ?? Date.now()
    await this.#send(rejection.topic, 'produce', rejection.error, {
      topic,
      key: rejection.key ?? null,
      value,
      timestamp,
      headers: {
        ...this.#headers(rejection.error, 'produce'),
        [DLQ_HEADERS.originalTopic]: Buffer.from(rejection.topic),
        [DLQ_HEADERS.originalTimestamp]: Buffer.from(String(timestamp)),
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
  async decode<T = unknown>(serde: JsonSerde, record: ConsumedRecord): Promise<DecodeResult<T>> {
    try {
      const decoded = await serde.deserialize<T>(record.value)
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
): AsyncGenerator<DecodeResult<T>> {
  for await (const record of records) yield await router.decode<T>(serde, record)
}

/** Reads a dead-letter header as a string (undefined when absent). */
export function deadLetterHeader(headers: Headers, name: keyof typeof DLQ_HEADERS): string | undefined {
  return headers[DLQ_HEADERS[name]]?.toString('utf8')
}
