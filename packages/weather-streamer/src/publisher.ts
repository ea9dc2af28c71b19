/**
 * Turns observations into Kafka records: validates/serialises through the encoder, produces through core's
 * BatchingProducer (batching, bounded in-flight, back-pressure), retries failed batches with exponential
 * backoff, and writes refused records to the dead-letter topic with one header per reason. `flush()` returns
 * only when every record, retry and dead letter is acknowledged or has finally failed.
 */
import {
  DLQ_HEADERS,
  SchemaViolationError,
  describeCause,
  type BatchingProducer,
  type Headers,
  type Logger,
  type ProducerRecord,
} from '@isobar/core'
import type { ObservationEncoder } from './encoder.ts'
import type { WeatherMetrics } from './metrics.ts'
import type { RejectReason, SourceName, WeatherObservation } from './observation.ts'

export const REASON_HEADER_PREFIX = 'isobar.dlq.reason.'
export const SOURCE_HEADER = 'isobar.weather.source'

export interface SourceStats {
  produced: number
  delivered: number
  failed: number
  retried: number
  deadLettered: number
}

/** Where sources put observations; the app's publisher, or a test double. */
export interface ObservationSink {
  publish(source: SourceName, observation: WeatherObservation): boolean
  reject(source: SourceName, raw: unknown, reasons: RejectReason[], key?: string): boolean
  ready(): Promise<void>
  flush(): Promise<void>
}

/** Per-stream statistics: one per source, plus 'alerts' for the alert events. */
export type StreamName = SourceName | 'alerts'

export interface PublisherOptions {
  producer: BatchingProducer
  encoder: ObservationEncoder
  metrics: WeatherMetrics
  topic: string
  deadLetterTopic: string
  /** Re-sends of a failed batch before a record counts as failed. */
  maxRetries: number
  retryBackoffMs: number
  now?: () => number
  logger?: Logger
  /** Called with every observation that passed validation and was handed to the producer (alerting). */
  onAccepted?: (source: SourceName, observation: WeatherObservation) => void
}

/** How far back an event time may be and still serve as the Kafka record timestamp. */
export const RECENT_EVENT_MS = 6 * 3_600_000

/**
 * The Kafka record timestamp: the event time when it is recent, else now. Retention works on record timestamps
 * (a replayed 2012 record would be deleted at once) and brokers refuse timestamps more than
 * message.timestamp.after.max.ms ahead (a sped-up simulation runs ahead); the value always keeps the event time.
 */
export function recordTimestamp(eventTimeMs: number, nowMs: number): number {
  return eventTimeMs <= nowMs && eventTimeMs >= nowMs - RECENT_EVENT_MS ? eventTimeMs : nowMs
}

function emptyStats(): SourceStats {
  return { produced: 0, delivered: 0, failed: 0, retried: 0, deadLettered: 0 }
}

export class ObservationPublisher implements ObservationSink {
  readonly #o: PublisherOptions
  readonly #now: () => number
  readonly #stats = new Map<StreamName, SourceStats>()
  readonly #retries = new Set<Promise<void>>()
  #inFlight = 0

  constructor(options: PublisherOptions) {
    this.#o = options
    this.#now = options.now ?? Date.now
  }

  stats(source: StreamName): SourceStats {
    let s = this.#stats.get(source)
    if (!s) this.#stats.set(source, (s = emptyStats()))
    return s
  }

  allStats(): Record<string, SourceStats> {
    return Object.fromEntries(this.#stats)
  }

  publish(source: SourceName, observation: WeatherObservation): boolean {
    let value: Buffer
    try {
      value = this.#o.encoder.encode(observation)
    } catch (error) {
      if (!(error instanceof SchemaViolationError)) throw error
      const reasons = error.violations.map((v) => ({ code: error.code, message: `${v.path || '/'} ${v.message}` }))
      return this.reject(source, observation, reasons, observation.stationId)
    }
    this.stats(source).produced++
    this.#o.metrics.produced.inc({ source })
    const timestamp = recordTimestamp(observation.eventTimeMs, this.#now())
    const accepted = this.#send(source, { key: Buffer.from(observation.stationId), value, timestamp, headers: {} })
    this.#o.onAccepted?.(source, observation)
    return accepted
  }

  /** Produces an alert event record with the same retries and flush guarantee as the observations. */
  publishAlert(record: ProducerRecord): boolean {
    const stats = this.stats('alerts')
    stats.produced++
    return this.#produce('alerts', record, 0, () => stats.delivered++)
  }

  reject(source: SourceName, raw: unknown, reasons: RejectReason[], key?: string): boolean {
    const now = this.#now()
    const headers: Headers = {
      [DLQ_HEADERS.errorCode]: Buffer.from(reasons[0]?.code ?? 'ISOBAR_UNKNOWN'),
      [DLQ_HEADERS.errorMessage]: Buffer.from(
        reasons
          .map((r) => r.message)
          .join('; ')
          .slice(0, 1000),
      ),
      [DLQ_HEADERS.stage]: Buffer.from('produce'),
      [DLQ_HEADERS.originalTopic]: Buffer.from(this.#o.topic),
      [DLQ_HEADERS.originalTimestamp]: Buffer.from(String(now)),
      [SOURCE_HEADER]: Buffer.from(source),
    }
    reasons.forEach((r, i) => (headers[`${REASON_HEADER_PREFIX}${i}`] = Buffer.from(`${r.code}: ${r.message}`)))
    for (const r of reasons) this.#o.metrics.validationFailures.inc({ source, code: r.code })
    const stats = this.stats(source)
    return this.#produce(
      source,
      {
        topic: this.#o.deadLetterTopic,
        key: key === undefined ? null : Buffer.from(key),
        value: Buffer.from(JSON.stringify(raw) ?? 'null'),
        headers,
        timestamp: now,
      },
      0,
      () => {
        stats.deadLettered++
        this.#o.metrics.deadLettered.inc({ source })
      },
    )
  }

  #send(source: SourceName, record: { key: Buffer; value: Buffer; timestamp: number; headers: Headers }): boolean {
    const startedAt = this.#now()
    const stats = this.stats(source)
    return this.#produce(source, { topic: this.#o.topic, ...record }, 0, () => {
      stats.delivered++
      const now = this.#now()
      this.#o.metrics.delivered.inc({ source })
      this.#o.metrics.deliveryLatency.observe({ source }, (now - startedAt) / 1000)
      this.#o.metrics.lastDelivered.set({ source }, now / 1000)
    })
  }

  #produce(
    source: StreamName,
    record: Parameters<BatchingProducer['produce']>[0],
    attempt: number,
    onDelivered: () => void,
  ): boolean {
    this.#inFlight++
    this.#o.metrics.inFlight.set(this.#inFlight)
    return this.#o.producer.produce(record, (error) => {
      this.#inFlight--
      this.#o.metrics.inFlight.set(this.#inFlight)
      if (!error) return onDelivered()
      this.#o.logger?.warn({ source, topic: record.topic, attempt, error: describeCause(error) }, 'delivery failed')
      if (attempt < this.#o.maxRetries) {
        this.stats(source).retried++
        this.#o.metrics.retries.inc({ source })
        const delay = this.#o.retryBackoffMs * 2 ** attempt
        const retry = new Promise<void>((resolve) => setTimeout(resolve, delay)).then(() => {
          this.#retries.delete(retry)
          this.#produce(source, record, attempt + 1, onDelivered)
        })
        this.#retries.add(retry)
        return
      }
      this.stats(source).failed++
      this.#o.metrics.produceErrors.inc({ source })
    })
  }

  ready(): Promise<void> {
    return this.#o.producer.ready()
  }

  /** Waits for every record, including retries scheduled while flushing. */
  async flush(): Promise<void> {
    for (;;) {
      await this.#o.producer.flush()
      if (this.#retries.size === 0 && this.#inFlight === 0) return
      if (this.#retries.size === 0) await new Promise((resolve) => setImmediate(resolve))
      else await Promise.all([...this.#retries])
    }
  }
}
