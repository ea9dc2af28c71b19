/**
 * The MQTT device edge for `npm start`: Mosquitto under the Isobar home and the ingest service's spec (the CLI
 * spawns packages/ingest/src/main.ts; it never imports the service).
 */
import { join } from 'node:path'
import { DEFAULT_MQTT_PORT, startMosquitto, type RunningMosquitto } from '@isobar/kafka-local'
import type { ServiceSpec } from '../supervisor.ts'

export const DEFAULT_INGEST_METRICS_PORT = 9466

/** Starts (or reuses) the home's Mosquitto; the bridge's credentials come back with it. */
export function startMqttEdge(options: { homeDir: string; port?: number }): Promise<RunningMosquitto> {
  return startMosquitto({ homeDir: options.homeDir, port: options.port ?? DEFAULT_MQTT_PORT })
}

/** The ingest service as `npm start` runs it: the MQTT bridge on the running Mosquitto, ready on /ready. */
export function ingestServiceSpec(settings: {
  repoRoot: string
  mosquitto: RunningMosquitto
  registryUrl: string
  metricsPort?: number
  env?: Record<string, string>
}): ServiceSpec {
  const metricsPort = settings.metricsPort ?? DEFAULT_INGEST_METRICS_PORT
  return {
    name: 'ingest',
    script: join(settings.repoRoot, 'packages', 'ingest', 'src', 'main.ts'),
    env: {
      ...settings.env,
      SCHEMA_REGISTRY_URL: settings.registryUrl,
      MQTT_URL: settings.mosquitto.url,
      MQTT_USERNAME: settings.mosquitto.credentials.bridge.username,
      MQTT_PASSWORD: settings.mosquitto.credentials.bridge.password,
      METRICS_PORT: String(metricsPort),
    },
    readyUrl: `http://127.0.0.1:${metricsPort}/ready`,
  }
}
