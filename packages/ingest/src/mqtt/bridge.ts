/**
 * The MQTT → Kafka bridge. One persistent MQTT 5 session (clean start off, session expiry 7 days) subscribed at
 * QoS 1 to isobar/<site>/<zone>/<sensor>/readings; each message becomes a registry-framed sensors.readings record
 * (or a dead letter) and is acknowledged (PUBACK) only after Kafka acknowledged that record.
 *
 * No loss: a bridge killed between Kafka's ack and its PUBACK gets the message again from Mosquitto when it
 * reconnects (a duplicate, never a gap); duplicates are bounded by the in-flight window and carry the device's
 * per-sensor sequence number, by which the analytics drops them. PUBACKs go out in the order the messages
 * came (MQTT 4.6), so one slow record holds back the acks behind it, never the other way round.
 *
 * Backpressure: MQTT 5 Receive Maximum = maxInFlight tells Mosquitto to send no more unacknowledged messages,
 * and the bridge stops reading its socket while the window or the producer is full: no unbounded queue.
 *
 * mqtt.js acknowledges a QoS 1 message when its `handleMessage` callback succeeds and reads the next packet
 * only then; the bridge fails that callback on purpose (so mqtt.js sends no PUBACK and reads on) and writes the
 * PUBACK itself once Kafka acknowledged (mqtt.js 5.16, pinned; see puback.ts).
 */
import type { BatchingProducer, Logger, ProducerRecord } from '@isobar/core'
import mqtt, { type IPublishPacket, type MqttClient, type Packet } from 'mqtt'
import { MqttBridgeError } from '../errors.ts'
import type { IngestMetrics } from '../metrics.ts'
import type { ReadingCodec } from '../reading-codec.ts'
import { mqttDeadLetter } from './dead-letter.ts'
import { parseReadingsTopic } from './topic.ts'
import { DEFERRED_ACK, sendPuback } from './puback.ts'

const CLIENTS_TOPIC = '$SYS/broker/clients/connected'

export interface MqttBridgeOptions {
  url: string
  username: string
  password: string
  /** The session's identity: the same id after a restart resumes the session and its queued messages. */
  clientId: string
  topicFilter: string
  /** Messages received and not yet acknowledged, at most. */
  maxInFlight: number
  codec: ReadingCodec
  producer: BatchingProducer
  deadLetterTopic: string
  metrics: IngestMetrics
  logger: Logger
  now?: () => number
  connectTimeoutMs?: number
}

interface Pending {
  messageId: number
  settled: boolean
}

export class MqttBridge {
  readonly #o: MqttBridgeOptions
  readonly #now: () => number
  #client: MqttClient | undefined
  /** Unacknowledged QoS 1 messages of the current connection, in arrival order. */
  #pending: Pending[] = []
  /** handleMessage callbacks held back while the window or the producer is full (the socket is not read). */
  #held: Array<() => void> = []
  #producerFull = false
  #connection = 0
  #stopping = false

  constructor(options: MqttBridgeOptions) {
    this.#o = options
    this.#now = options.now ?? Date.now
  }

  get connected(): boolean {
    return this.#client?.connected === true
  }

  /** Connects and subscribes; rejects if the first connection fails (bad credentials, no broker). */
  async start(): Promise<void> {
    const o = this.#o
    const client = mqtt.connect(o.url, {
      protocolVersion: 5,
      clientId: o.clientId,
      clean: false,
      username: o.username,
      password: o.password,
      reconnectPeriod: 1000,
      connectTimeout: o.connectTimeoutMs ?? 10_000,
      resubscribe: false,
      properties: { sessionExpiryInterval: 7 * 86_400, receiveMaximum: o.maxInFlight },
    })
    this.#client = client
    client.handleMessage = (packet: Packet, callback: (error?: Error) => void) => {
      this.#onPacket(packet as IPublishPacket, callback)
    }
    client.on('connect', (connack) => {
      this.#connection++
      this.#pending = []
      this.#o.metrics.mqttConnected.set(1)
      this.#o.metrics.mqttInFlight.set(0)
      this.#o.logger.info({ sessionPresent: connack.sessionPresent }, 'connected to Mosquitto')
      client.subscribe({ [o.topicFilter]: { qos: 1 }, [CLIENTS_TOPIC]: { qos: 0 } }, (error, granted) => {
        const refused = granted?.find((g) => g.qos >= 128 && g.topic === o.topicFilter)
        if (error || refused) this.#o.logger.error({ err: error, granted }, 'subscription refused')
      })
    })
    client.on('close', () => {
      this.#o.metrics.mqttConnected.set(0)
      // The messages of the closed connection are redelivered on the next one; held callbacks belong to it.
      this.#pending = []
      this.#releaseHeld()
    })
    client.on('error', (error) => this.#o.logger.warn({ err: error }, 'MQTT error'))
    await new Promise<void>((resolve, reject) => {
      const onConnect = () => {
        client.off('error', onError)
        resolve()
      }
      const onError = (error: Error) => {
        client.off('connect', onConnect)
        client.end(true)
        reject(new MqttBridgeError(`cannot connect to ${o.url} as ${o.username}: ${error.message}`, error))
      }
      client.once('connect', onConnect)
      client.once('error', onError)
    })
  }

  /** Stops reading, waits until every received message is in Kafka and acknowledged, then disconnects. */
  async stop(): Promise<void> {
    this.#stopping = true
    await this.#o.producer.flush()
    const client = this.#client
    if (client) await new Promise<void>((resolve) => client.end(false, {}, () => resolve()))
    this.#o.metrics.mqttConnected.set(0)
  }

  #onPacket(packet: IPublishPacket, callback: (error?: Error) => void): void {
    if (packet.topic === CLIENTS_TOPIC) {
      const clients = Number(packet.payload.toString())
      if (Number.isFinite(clients)) this.#o.metrics.mqttClients.set(clients)
      callback()
      return
    }
    const o = this.#o
    o.metrics.received.inc({ transport: 'mqtt' })
    const connection = this.#connection
    const entry: Pending | undefined =
      packet.qos > 0 && packet.messageId !== undefined ? { messageId: packet.messageId, settled: false } : undefined
    if (entry) {
      this.#pending.push(entry)
      o.metrics.mqttInFlight.set(this.#pending.length)
    }
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload)
    const record = this.#toRecord(packet.topic, payload)
    const accepted = o.producer.produce(record.record, (error) => {
      if (connection !== this.#connection) return // that connection's messages come again
      if (error) {
        this.#deliveryFailed(error)
        return
      }
      if (record.rejectedCode) o.metrics.rejected.inc({ transport: 'mqtt', code: record.rejectedCode })
      else {
        o.metrics.produced.inc({ transport: 'mqtt' })
        if (record.eventTimeMs !== undefined) {
          o.metrics.latency.observe({ transport: 'mqtt' }, Math.max(0, this.#now() - record.eventTimeMs) / 1000)
        }
      }
      if (entry) {
        entry.settled = true
        this.#flushAcks()
      }
    })
    const next = entry ? () => callback(DEFERRED_ACK) : () => callback()
    if (!accepted) {
      this.#producerFull = true
      void o.producer.ready().then(() => {
        this.#producerFull = false
        this.#releaseHeld()
      })
    }
    if (this.#hasRoom()) next()
    else this.#held.push(next)
  }

  #toRecord(topic: string, payload: Buffer): { record: ProducerRecord; rejectedCode?: string; eventTimeMs?: number } {
    const origin = parseReadingsTopic(topic)
    const decoded = origin.ok
      ? this.#o.codec.fromBytes(payload, origin.origin)
      : { ok: false as const, error: origin.error }
    if (decoded.ok) {
      const eventTimeMs = decoded.record.timestamp
      return { record: decoded.record, ...(eventTimeMs === undefined ? {} : { eventTimeMs }) }
    }
    const code = (decoded.error as { code?: string }).code ?? 'ISOBAR_UNKNOWN'
    this.#o.logger.warn({ topic, code, reason: decoded.error.message }, 'MQTT message dead-lettered')
    const device = origin.ok ? origin.origin.device : undefined
    return {
      record: mqttDeadLetter({
        deadLetterTopic: this.#o.deadLetterTopic,
        originalTopic: this.#o.codec.topic,
        mqttTopic: topic,
        device,
        payload,
        error: decoded.error,
        now: this.#now(),
      }),
      rejectedCode: code,
    }
  }

  #hasRoom(): boolean {
    return !this.#stopping && !this.#producerFull && this.#pending.length < this.#o.maxInFlight
  }

  #releaseHeld(): void {
    while (this.#held.length > 0 && (this.#hasRoom() || !this.connected)) this.#held.shift()?.()
  }

  #flushAcks(): void {
    const client = this.#client
    while (this.#pending[0]?.settled === true) {
      const done = this.#pending.shift()
      if (done && client?.connected) {
        sendPuback(client, done.messageId)
        this.#o.metrics.mqttAcks.inc()
      }
    }
    this.#o.metrics.mqttInFlight.set(this.#pending.length)
    this.#releaseHeld()
  }

  /** Kafka refused a record after the producer's retries: drop the connection, Mosquitto redelivers. */
  #deliveryFailed(error: Error): void {
    this.#o.metrics.deliveryFailures.inc({ transport: 'mqtt' })
    this.#o.logger.error({ err: error }, 'Kafka did not acknowledge; reconnecting so Mosquitto redelivers')
    this.#connection++
    this.#client?.stream.destroy()
  }
}
