/** The streamer's Prometheus metrics, on the process registry (served on /metrics). */
import { Counter, Gauge, Histogram, type Registry } from '@isobar/core'

export class WeatherMetrics {
  readonly produced: Counter<'source'>
  readonly delivered: Counter<'source'>
  readonly produceErrors: Counter<'source'>
  readonly validationFailures: Counter<'source' | 'code'>
  readonly deadLettered: Counter<'source'>
  readonly batchSize: Histogram
  readonly deliveryLatency: Histogram<'source'>
  readonly inFlight: Gauge
  readonly lastDelivered: Gauge<'source'>
  readonly alerts: Counter<'rule' | 'status'>

  constructor(registry: Registry) {
    const registers = [registry]
    this.produced = new Counter({
      name: 'isobar_weather_records_produced_total',
      help: 'Observations handed to the producer, per source',
      labelNames: ['source'],
      registers,
    })
    this.delivered = new Counter({
      name: 'isobar_weather_records_delivered_total',
      help: 'Observations acknowledged by Kafka, per source',
      labelNames: ['source'],
      registers,
    })
    this.produceErrors = new Counter({
      name: 'isobar_weather_produce_errors_total',
      help: 'Records whose delivery failed for good (after the client retries), per source',
      labelNames: ['source'],
      registers,
    })
    this.validationFailures = new Counter({
      name: 'isobar_weather_validation_failures_total',
      help: 'Records refused before producing (parse or schema errors), per source and reason code',
      labelNames: ['source', 'code'],
      registers,
    })
    this.deadLettered = new Counter({
      name: 'isobar_weather_dead_lettered_total',
      help: 'Records written to the dead-letter topic, per source',
      labelNames: ['source'],
      registers,
    })
    this.batchSize = new Histogram({
      name: 'isobar_weather_batch_size_records',
      help: 'Records per produce request',
      buckets: [1, 5, 10, 50, 100, 250, 500, 1000, 2500, 5000],
      registers,
    })
    this.deliveryLatency = new Histogram({
      name: 'isobar_weather_delivery_latency_seconds',
      help: 'From handing an observation to the producer to its acknowledgement',
      labelNames: ['source'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    })
    this.inFlight = new Gauge({
      name: 'isobar_weather_in_flight_records',
      help: 'Observations produced but not yet acknowledged or failed',
      registers,
    })
    this.lastDelivered = new Gauge({
      name: 'isobar_weather_last_delivery_timestamp_seconds',
      help: 'Wall time of the last acknowledged observation, per source (for "no data" alerts)',
      labelNames: ['source'],
      registers,
    })
    this.alerts = new Counter({
      name: 'isobar_weather_alerts_total',
      help: 'Alert events produced to the alerts topic, per rule and status (fired, resolved, flapping-started, ...)',
      labelNames: ['rule', 'status'],
      registers,
    })
  }
}
