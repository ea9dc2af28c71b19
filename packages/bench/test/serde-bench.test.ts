import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { MemorySchemaLog, Registry, buildRegistryApp } from '@isobar/registry'
import { weatherObservationV2 } from '@isobar/schemas'
import { formatSerdeBench, runSerdeBench } from '../src/serde-bench.ts'

describe('serde bench', () => {
  it('measures serialize, deserialize and lookups against a registry and formats them', async (t) => {
    const registry = new Registry(new MemorySchemaLog(), { timeoutMs: 2000 })
    await registry.start()
    const app = buildRegistryApp({ registry })
    t.after(() => app.close())
    const registryUrl = await app.listen({ port: 0, host: '127.0.0.1' })
    const sample = {
      stationId: 'metar:KDAL',
      source: 'metar',
      eventTimeMs: 1_764_064_380_000,
      ingestTimeMs: 1_764_064_392_123,
      location: { latitudeDeg: 32.85, longitudeDeg: -96.85 },
      temperatureC: 26.1,
    }
    const result = await runSerdeBench({
      registryUrl,
      subject: 'bench.observations-value',
      schema: weatherObservationV2,
      sample,
      iterations: 500,
      coldLookups: 5,
    })
    assert.equal(result.payloadBytes, JSON.stringify(sample).length)
    for (const figure of [result.serializeNsPerMsg, result.deserializeNsPerMsg, result.coldLookup.p50Us]) {
      assert.ok(Number.isFinite(figure) && figure > 0)
    }
    assert.ok(result.cachedLookup.p50Us <= result.cachedLookup.p99Us)
    assert.match(formatSerdeBench(result), /serialize \(validate \+ JSON \+ frame\) +\d+\.\d\d µs\/msg/)
  })
})
