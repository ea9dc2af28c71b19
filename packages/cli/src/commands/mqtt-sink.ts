/**
 * The MQTT transport of `simulate sensors`: a Producer that publishes each reading (plain JSON) at QoS 1 on
 * isobar/<site>/<zone>/<device>/readings, one MQTT connection per device with its own credentials (provisioned
 * in the home's Mosquitto on first sight), and resolves when Mosquitto acknowledged (PUBACK) every message.
 */
import { mqttDeviceName, mqttReadingsTopic, provisionMqttDevices } from '@isobar/kafka-local'
import type { DeliveryReport, Producer, ProducerRecord } from '@isobar/core'
import mqtt, { type MqttClient } from 'mqtt'

export function mqttReadingProducer(options: { url: string; homeDir: string }): Producer {
  const clients = new Map<string, Promise<MqttClient>>()

  // One provisioning at a time: concurrent sends would race on Mosquitto's password and credentials files.
  let provisioning: Promise<void> = Promise.resolve()

  function clientFor(devices: string[]): Promise<void> {
    const run = provisioning.then(async () => {
      const unknown = [...new Set(devices.filter((d) => !clients.has(d)))]
      if (unknown.length === 0) return
      const passwords = await provisionMqttDevices({ homeDir: options.homeDir, devices: unknown })
      for (const device of unknown) {
        clients.set(
          device,
          mqtt.connectAsync(options.url, {
            protocolVersion: 5,
            clientId: `isobar-sim-${device}`,
            username: device,
            password: passwords[device] ?? '',
            reconnectPeriod: 1000,
          }),
        )
      }
    })
    provisioning = run.catch(() => undefined)
    return run
  }

  return {
    async send(records: ProducerRecord[]): Promise<DeliveryReport[]> {
      const routed = records.map((record) => {
        const value = JSON.parse(record.value?.toString('utf8') ?? '{}') as Record<string, string>
        const sensorId = value.sensorId ?? ''
        return {
          device: mqttDeviceName(sensorId),
          topic: mqttReadingsTopic(value.siteId ?? 'default', value.zoneId ?? 'default', sensorId),
          payload: record.value ?? Buffer.alloc(0),
        }
      })
      await clientFor([...new Set(routed.map((r) => r.device))])
      await Promise.all(
        routed.map(async (r) => {
          const client = await clients.get(r.device)
          await client?.publishAsync(r.topic, r.payload, { qos: 1 })
        }),
      )
      return [{ topic: records[0]?.topic ?? '', partition: 0, baseOffset: 0n }]
    },
    async close() {
      await Promise.all([...clients.values()].map(async (c) => (await c.catch(() => undefined))?.endAsync()))
    },
  }
}
