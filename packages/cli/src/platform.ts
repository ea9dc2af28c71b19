import { join } from 'node:path'
import type { RunningMosquitto } from '@isobar/kafka-local'
import { ingestServiceSpec } from './commands/mqtt-edge.ts'
import type { ServiceSpec } from './supervisor.ts'

export interface PlatformSettings {
  repoRoot: string
  bootstrapServers: string
  registryPort: number
  consolePort: number
  /** Bearer token of the Admin API. */
  consoleToken: string
  /**
   * Per service name, KAFKA_SASL_* / KAFKA_TLS_* of its own principal on a secured local cluster
   * (kafka-security.ts serviceCredentialEnv); absent: services inherit the caller's Kafka variables.
   */
  kafkaEnv?: Readonly<Record<string, Record<string, string>>>
  /** The running Mosquitto: sensors publish through MQTT and the ingest bridge carries them to Kafka. */
  mqtt?: { mosquitto: RunningMosquitto; homeDir: string }
}

/** The services `npm start` runs, in start order, each as its own process (as it would be deployed). */
export function platformServices(settings: PlatformSettings): ServiceSpec[] {
  const specs = services(settings)
  const kafkaEnv = settings.kafkaEnv
  if (kafkaEnv === undefined) return specs
  return specs.map((spec) => ({ ...spec, env: { ...spec.env, ...kafkaEnv[spec.name] } }))
}

function services(settings: PlatformSettings): ServiceSpec[] {
  const registryUrl = `http://127.0.0.1:${settings.registryPort}`
  const common = { KAFKA_BOOTSTRAP_SERVERS: settings.bootstrapServers, SCHEMA_REGISTRY_URL: registryUrl }
  return [
    {
      name: 'registry',
      script: join(settings.repoRoot, 'packages', 'registry', 'src', 'main.ts'),
      env: {
        ...common,
        ISOBAR_REGISTRY_HOST: '127.0.0.1',
        ISOBAR_REGISTRY_PORT: String(settings.registryPort),
        ISOBAR_REGISTRY_ADVERTISED_URL: registryUrl,
      },
      readyUrl: `${registryUrl}/ready`, // 200 once _schemas is read and a leader is known (writes would 500 before)
    },
    {
      name: 'console',
      script: join(settings.repoRoot, 'packages', 'admin-api', 'src', 'main.ts'),
      env: {
        ...common, // SCHEMA_REGISTRY_URL: the registry the console decodes through
        ISOBAR_CONSOLE_HOST: '127.0.0.1',
        ISOBAR_CONSOLE_PORT: String(settings.consolePort),
        ISOBAR_CONSOLE_TOKEN: settings.consoleToken,
      },
      readyUrl: `http://127.0.0.1:${settings.consolePort}/health`,
    },
    {
      name: 'weather',
      script: join(settings.repoRoot, 'packages', 'weather-streamer', 'src', 'main.ts'),
      // Simulated stations live, plus NOAA's Seattle daily history replayed at one day per second.
      env: { ...common, WEATHER_SOURCES: 'sim,replay', WEATHER_STATIONS: '20', METRICS_PORT: '9464' },
      readyUrl: 'http://127.0.0.1:9464/ready',
    },
    {
      name: 'analytics',
      script: join(settings.repoRoot, 'packages', 'sensor-analytics', 'src', 'analytics', 'main.ts'),
      // Exactly-once windowed statistics and alerts over sensors.readings; one instance, more scale out.
      env: { ...common, ANALYTICS_INSTANCE_ID: 'analytics-1', METRICS_PORT: '9465' },
      readyUrl: 'http://127.0.0.1:9465/ready',
    },
    ...(settings.mqtt === undefined
      ? []
      : [
          ingestServiceSpec({
            repoRoot: settings.repoRoot,
            mosquitto: settings.mqtt.mosquitto,
            registryUrl,
            env: common,
          }),
        ]),
    {
      name: 'sensors',
      script: join(settings.repoRoot, 'packages', 'cli', 'bin', 'isobar.js'),
      // 1,000 simulated sensors, one reading each per second, until Ctrl-C (which flushes); with the MQTT edge each
      // sensor is a device publishing at QoS 1 to Mosquitto, and the ingest bridge produces to sensors.readings.
      args: [
        'simulate',
        'sensors',
        '--sensors',
        '1000',
        '--rate',
        '1000',
        '--duration',
        '3650d',
        ...(settings.mqtt === undefined ? [] : ['--transport', 'mqtt']),
      ],
      env: settings.mqtt === undefined ? common : { ...common, ISOBAR_HOME: settings.mqtt.homeDir },
    },
  ]
}
