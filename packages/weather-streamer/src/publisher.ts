/**
 * Turns observations into Kafka records: validates/serialises through the encoder, produces through core's
 * BatchingProducer (batching, bounded in-flight, back-pressure) and writes refused records to the dead-letter
 * topic with one header per reason. `flush()` returns only when every record and dead letter is acknowledged or
 * has finally failed.
 *
 * Retries are the Kafka client's job (idempotent producer, same sequence numbers, until the delivery timeout): a
 * re-send from here would overtake nothing but be overtaken by every record sent since — a key's observations
 * out of order. So a delivery failure is final and handled once:
 * - the broker refused the records themselves (too large, invalid, bad timestamp: `recordRefusalCode`): they go
 *   to the dead-letter topic with the reason — re-sending can never succeed and the other records are fine;
 * - anything else (the delivery timeout ran out, authorization, a missing topic): the publisher stops (`onFatal`,
 *   every later publish refused) — going on would leave a gap in each affected key's sequence behind later
 *   records, and a DLQ on the same unreachable cluster would not hold them either.
 */
import {
  DLQ_HEADERS,
  SchemaViolationError,
  describeCause,
  recordRefusalCode,
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
  /** Always 0: retries happen inside the Kafka client (kept for the summary's shape). */
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
  now?: () => number
  logger?: Logger
  /** Called with every observation that passed validation and was handed to the producer (alerting). */
  onAccepted?: (source: SourceName, observation: WeatherObservation) => void
  /** Called once, with the first delivery failure that stops the publisher (see the file comment). */
  onFatal?: (error: Error) => void
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
  #inFlight = 0
  #fatal: Error | undefined

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

  /** The delivery failure that stopped the publisher, if any. */
  get fatalError(): Error | undefined {
    return this.#fatal
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
    return this.#produce('alerts', record, () => stats.delivered++)
  }

  reject(source: SourceName, raw: unknown, reasons: RejectReason[], key?: string): boolean {
    for (const r of reasons) this.#o.metrics.validationFailures.inc({ source, code: r.code })
    return this.#deadLetter(source, Buffer.from(JSON.stringify(raw) ?? 'null'), reasons, 'produce', key)
  }

  #deadLetter(source: StreamName, value: Buffer | null, reasons: RejectReason[], stage: string, key?: string): boolean {
    const now = this.#now()
    const headers: Headers = {
      [DLQ_HEADERS.errorCode]: Buffer.from(reasons[0]?.code ?? 'ISOBAR_UNKNOWN'),
      [DLQ_HEADERS.errorMessage]: Buffer.from(
        reasons
          .map((r) => r.message)
          .join('; ')
          .slice(0, 1000),
      ),
      [DLQ_HEADERS.stage]: Buffer.from(stage),
      [DLQ_HEADERS.originalTopic]: Buffer.from(this.#o.topic),
      [DLQ_HEADERS.originalTimestamp]: Buffer.from(String(now)),
      [SOURCE_HEADER]: Buffer.from(source),
    }
    reasons.forEach((r, i) => (headers[`${REASON_HEADER_PREFIX}${i}`] = Buffer.from(`${r.code}: ${r.message}`)))
    const stats = this.stats(source)
    const record = { topic: this.#o.deadLetterTopic, key: key === undefined ? null : Buffer.from(key), value, headers }
    return this.#produce(source, { ...record, timestamp: now }, () => {
      stats.deadLettered++
      this.#o.metrics.deadLettered.inc({ source })
    })
  }

  #send(source: SourceName, record: { key: Buffer; value: Buffer; timestamp: number; headers: Headers }): boolean {
    const startedAt = this.#now()
    const stats = this.stats(source)
    return this.#produce(source, { topic: this.#o.topic, ...record }, () => {
      stats.delivered++
      const now = this.#now()
      this.#o.metrics.delivered.inc({ source })
      this.#o.metrics.deliveryLatency.observe({ source }, (now - startedAt) / 1000)
      this.#o.metrics.lastDelivered.set({ source }, now / 1000)
    })
  }

  #produce(source: StreamName, record: ProducerRecord, onDelivered: () => void): boolean {
    if (this.#fatal) {
      this.#failed(source)
      return false
    }
    this.#inFlight++
    this.#o.metrics.inFlight.set(this.#inFlight)
    return this.#o.producer.produce(record, (error) => {
      this.#inFlight--
      this.#o.metrics.inFlight.set(this.#inFlight)
      if (!error) return onDelivered()
      const refusal = recordRefusalCode(error)
      if (refusal && record.topic !== this.#o.deadLetterTopic && !this.#fatal) {
        // The broker refused these records: dead-letter them with its reason; the other records are fine.
        const reason = { code: refusal, message: describeCause(error) }
        this.#deadLetter(source, record.value, [reason], 'deliver', record.key?.toString())
        return
      }
      this.#failed(source)
      this.#stop(source, record.topic, error)
    })
  }

  #failed(source: StreamName): void {
    this.stats(source).failed++
    this.#o.metrics.produceErrors.inc({ source })
  }

  #stop(source: StreamName, topic: string, error: Error): void {
    if (this.#fatal) return
    this.#fatal = error
    this.#o.logger?.error(
      { source, topic, error: describeCause(error) },
      'delivery failed after the client retries; stopping (a re-send would reorder records)',
    )
    this.#o.onFatal?.(error)
  }

  ready(): Promise<void> {
    return this.#o.producer.ready()
  }

  /** Waits for every record, including dead letters queued while flushing. */
  async flush(): Promise<void> {
    for (;;) {
      await this.#o.producer.flush()
      if (this.#inFlight === 0) return
      await new Promise((resolve) => setImmediate(resolve))
    }
  }
}
