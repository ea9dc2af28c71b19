/**
 * The dead letter of an MQTT message: the payload as received, the usual isobar.dlq.* headers (why, which
 * topic it was meant for, size and SHA-256 of the original) plus where it came from on the MQTT side.
 * MQTT does not tell a subscriber the publisher's client id; the device's username is in the topic and the ACL
 * guarantees it, so `isobar.mqtt.client.id` carries that.
 */
import { DLQ_HEADERS, fitDeadLetter, sha256Hex, type ProducerRecord } from '@isobar/core'

export const MQTT_DLQ_HEADERS = {
  topic: 'isobar.mqtt.topic',
  clientId: 'isobar.mqtt.client.id',
} as const

export function mqttDeadLetter(options: {
  deadLetterTopic: string
  originalTopic: string
  mqttTopic: string
  device: string | undefined
  payload: Buffer
  error: Error
  now: number
  maxBytes?: number
}): ProducerRecord {
  const code = (options.error as { code?: string }).code ?? 'ISOBAR_UNKNOWN'
  const fitted = fitDeadLetter({
    key: options.device === undefined ? null : Buffer.from(options.device),
    value: options.payload,
    originalHeaders: {},
    dlqHeaders: {
      [DLQ_HEADERS.errorCode]: Buffer.from(code),
      [DLQ_HEADERS.errorMessage]: Buffer.from(options.error.message.slice(0, 1000)),
      [DLQ_HEADERS.stage]: Buffer.from('produce'),
      [DLQ_HEADERS.originalTopic]: Buffer.from(options.originalTopic),
      [DLQ_HEADERS.originalTimestamp]: Buffer.from(String(options.now)),
      [DLQ_HEADERS.originalSize]: Buffer.from(String(options.payload.length)),
      [DLQ_HEADERS.originalSha256]: Buffer.from(sha256Hex(options.payload)),
      [MQTT_DLQ_HEADERS.topic]: Buffer.from(options.mqttTopic),
      ...(options.device === undefined ? {} : { [MQTT_DLQ_HEADERS.clientId]: Buffer.from(options.device) }),
    },
    maxBytes: options.maxBytes ?? 1_048_588,
    reference: false,
    truncationHeader: DLQ_HEADERS.truncated,
  })
  return {
    topic: options.deadLetterTopic,
    key: fitted.key,
    value: fitted.value,
    headers: fitted.headers,
    timestamp: options.now,
  }
}
