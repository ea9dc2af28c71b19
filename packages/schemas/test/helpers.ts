import type { TestContext } from 'node:test'
import { SchemaRegistryClient } from '@isobar/core'
import { MemorySchemaLog, Registry, buildRegistryApp } from '@isobar/registry'

/**
 * The compatibility checker (the registry's worker pool) of the first registry, shared by the later ones: each
 * registry still checks in a worker thread, but the worker starts once per test process, not once per test.
 */
let sharedChecker: Registry['checker'] | undefined

/** The real registry server over an in-memory log, listening on a random 127.0.0.1 port (no Kafka needed). */
export async function memoryRegistry(
  t: Pick<TestContext, 'after'>,
): Promise<{ url: string; client: SchemaRegistryClient }> {
  const registry = new Registry(new MemorySchemaLog(), {
    timeoutMs: 2000,
    ...(sharedChecker ? { checker: sharedChecker } : {}),
  })
  sharedChecker ??= registry.checker
  await registry.start()
  const app = buildRegistryApp({ registry })
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  t.after(() => app.close())
  // Generous: the first compatibility check starts the (shared) worker pool, slow on a loaded machine with
  // coverage on (a timeout here failed a CI run; what is asserted is the outcome, never the speed).
  return { url, client: new SchemaRegistryClient({ url, timeoutMs: 120_000 }) }
}

export const observation = {
  stationId: 'metar:KDAL',
  source: 'metar',
  eventTimeMs: 1_764_064_380_000,
  ingestTimeMs: 1_764_064_392_123,
  location: { latitudeDeg: 32.85, longitudeDeg: -96.85, elevationM: 148 },
  temperatureC: 26.1,
  relativeHumidityPct: 76.8,
  pressurePa: 100_910,
  windSpeedMps: 6.7,
  windDirectionDeg: 150,
} as const

export const reading = {
  sensorId: 'mote:1',
  sequence: 42,
  eventTimeMs: 1_764_064_380_000,
  ingestTimeMs: 1_764_064_380_250,
  temperatureC: 23.4,
  relativeHumidityPct: 41.2,
  batteryV: 2.9,
} as const
