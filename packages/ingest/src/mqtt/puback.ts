/**
 * The one place that reaches into mqtt.js (5.16.0, pinned). Its QoS 1 path runs `handleMessage(packet, cb)` and
 * sends the PUBACK only if `cb()` succeeds; `cb(error)` makes it send none and read on. The bridge passes
 * DEFERRED_ACK there and later writes the PUBACK through the client's own packet writer.
 */
import type { MqttClient } from 'mqtt'

export const DEFERRED_ACK = new Error('PUBACK deferred until Kafka acknowledges the record')

interface PacketWriter {
  _sendPacket(packet: { cmd: 'puback'; messageId: number; reasonCode: number }): void
}

export function sendPuback(client: MqttClient, messageId: number): void {
  ;(client as unknown as PacketWriter)._sendPacket({ cmd: 'puback', messageId, reasonCode: 0 })
}
