/** The ingest service's Prometheus metrics (served on /metrics with /health and /ready). */
import { Counter, Gauge, Histogram, type Registry } from '@isobar/core'

export type Transport = 'mqtt' | 'http'

export class IngestMetrics {
  /** Messages (MQTT) or records (HTTP) received. */
  readonly received: Counter<'transport'>
  /** Readings acknowledged by Kafka. */
  readonly produced: Counter<'transport'>
  /** Payloads refused: DLQ (MQTT) or a per-record error (HTTP), by error code. */
  readonly rejected: Counter<'transport' | 'code'>
  readonly deliveryFailures: Counter<'transport'>
  /** MQTT PUBACKs sent (each only after Kafka acknowledged the message, or its dead letter). */
  readonly mqttAcks: Counter
  readonly mqttInFlight: Gauge
  readonly mqttConnected: Gauge
  /** Mosquitto's $SYS/broker/clients/connected. */
  readonly mqttClients: Gauge
  /** Reading event time → Kafka acknowledgement, seconds. */
  readonly latency: Histogram<'transport'>
  readonly httpRequests: Counter<'status'>

  constructor(registry: Registry) {
    const registers = [registry]
    this.received = new Counter({
      name: 'isobar_ingest_messages_received_total',
      help: 'Messages (MQTT) or records (HTTP) received from devices',
      labelNames: ['transport'],
      registers,
    })
    this.produced = new Counter({
      name: 'isobar_ingest_readings_produced_total',
      help: 'Readings acknowledged by Kafka',
      labelNames: ['transport'],
      registers,
    })
    this.rejected = new Counter({
      name: 'isobar_ingest_readings_rejected_total',
      help: 'Payloads refused: dead-lettered (MQTT) or answered with a per-record error (HTTP)',
      labelNames: ['transport', 'code'],
      registers,
    })
    this.deliveryFailures = new Counter({
      name: 'isobar_ingest_delivery_failures_total',
      help: 'Produce requests Kafka did not acknowledge (MQTT: the messages are redelivered; HTTP: 503)',
      labelNames: ['transport'],
      registers,
    })
    this.mqttAcks = new Counter({
      name: 'isobar_ingest_mqtt_acks_total',
      help: 'PUBACKs sent to Mosquitto, each after Kafka acknowledged the message',
      registers,
    })
    this.mqttInFlight = new Gauge({
      name: 'isobar_ingest_mqtt_in_flight',
      help: 'MQTT messages received and not yet acknowledged',
      registers,
    })
    this.mqttConnected = new Gauge({
      name: 'isobar_ingest_mqtt_connected',
      help: '1 while the bridge is connected to Mosquitto',
      registers,
    })
    this.mqttClients = new Gauge({
      name: 'isobar_ingest_mqtt_clients_connected',
      help: 'Clients connected to Mosquitto ($SYS/broker/clients/connected), the bridge included',
      registers,
    })
    this.latency = new Histogram({
      name: 'isobar_ingest_latency_seconds',
      help: 'Reading event time to Kafka acknowledgement',
      labelNames: ['transport'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    })
    this.httpRequests = new Counter({
      name: 'isobar_ingest_http_requests_total',
      help: 'HTTP produce requests by status',
      labelNames: ['status'],
      registers,
    })
  }
}
