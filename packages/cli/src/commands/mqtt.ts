/** `isobar mqtt start|stop|status`: the local Mosquitto under the Isobar home (logic in @isobar/kafka-local). */
import { DEFAULT_MQTT_PORT, mosquittoStatus, provisionMqttDevices, stopMosquitto } from '@isobar/kafka-local'
import { flag, intOption, listOption } from '../args.ts'
import { commandGroup, type Command } from '../command.ts'
import { writeJson, writeLine } from '../context.ts'
import { localServerCommands, runningAt } from './local-service.ts'
import { startMqttEdge } from './mqtt-edge.ts'

const start: Command = {
  name: 'start',
  summary: 'Start Mosquitto on 127.0.0.1 (config, passwords and ACLs generated under the Isobar home)',
  options: {
    port: { type: 'string', value: 'P', description: `listener port on 127.0.0.1`, default: `${DEFAULT_MQTT_PORT}` },
    device: {
      type: 'string',
      multiple: true,
      value: 'NAME',
      description: "provision a device (its sensor id with ':' as '_'); repeatable",
    },
    json: { type: 'boolean', description: 'print the result as JSON' },
  },
  notes: [
    'Runs `mosquitto -c <home>/mqtt/mosquitto.conf` in the background (reused if running): no anonymous access,',
    'one username/password per device (hashed by mosquitto_passwd), ACLs letting a device publish only',
    'isobar/<site>/<zone>/<its name>/readings and the bridge read them. Passwords: <home>/mqtt/credentials.json.',
  ].join('\n'),
  async run(args, ctx) {
    const port = intOption(args, 'mqtt start', 'port', DEFAULT_MQTT_PORT)
    const running = await startMqttEdge({ homeDir: ctx.homeDir, port })
    const devices = listOption(args, 'device')
    if (devices.length > 0) await provisionMqttDevices({ homeDir: ctx.homeDir, devices })
    const result = { url: running.url, pid: running.pid, reused: running.reused, dir: running.dir, devices }
    if (flag(args, 'json')) writeJson(ctx.stdout, result)
    else writeLine(ctx.stdout, `Mosquitto ${running.reused ? 'already running' : 'started'} ${runningAt(running)}`)
    return 0
  },
}

const { status, stop } = localServerCommands({
  group: 'mqtt',
  label: 'Mosquitto',
  statusSummary: "Is the home's Mosquitto running (exit 0) or not (exit 3)",
  stopSummary: "Stop the home's Mosquitto by its pid (it saves its queued messages first)",
  status: (homeDir) => mosquittoStatus({ homeDir }),
  stop: (homeDir) => stopMosquitto({ homeDir }),
})

export const mqttCommand = commandGroup('mqtt', 'The local Mosquitto MQTT broker (the device edge)', [
  start,
  status,
  stop,
])
