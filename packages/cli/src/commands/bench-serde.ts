import { join } from 'node:path'
import { formatSerdeBench, runSerdeBench, startRegistryProcess } from '@isobar/bench'
import { weatherObservationV2 } from '@isobar/schemas'
import { flag, intOption, stringOption } from '../args.ts'
import type { Command } from '../command.ts'
import { writeJson, writeLine } from '../context.ts'

// A realistic ~200 B weather observation (the serde target is measured on this size).
const SAMPLE_OBSERVATION = {
  stationId: 'metar:KSEA',
  source: 'metar',
  eventTimeMs: 1_764_064_380_000,
  ingestTimeMs: 1_764_064_392_123,
  location: { latitudeDeg: 47.45, longitudeDeg: -122.31 },
  temperatureC: 8.3,
  dewPointC: 5.1,
}

export const serdeBench: Command = {
  name: 'serde',
  summary: 'Serializer + validator cost per message and schema lookup latency',
  options: {
    iterations: {
      type: 'string',
      value: 'N',
      description: 'records encoded and decoded per format',
      default: '200000',
    },
    'registry-url': {
      type: 'string',
      value: 'URL',
      description: 'the Schema Registry',
      default: 'an in-memory registry run for the bench',
    },
    json: { type: 'boolean', description: 'print JSON' },
  },
  notes: [
    'Measures validate+serialize and deserialize+validate per message for a weather observation, and the',
    'latency of schema-by-id lookups (in-process cache hit, and uncached over HTTP keep-alive). Without',
    "--registry-url it runs an in-memory registry (the registry's main.ts, no Kafka) as its own process.",
  ].join('\n'),
  async run(args, ctx) {
    const iterations = intOption(args, 'bench serde', 'iterations', 200_000)
    let registryUrl = stringOption(args, 'registry-url')
    let close = async (): Promise<void> => {}
    if (!registryUrl) {
      // The registry is a service: its own main.ts, in memory, as its own process.
      const registry = await startRegistryProcess(join(ctx.repoRoot, 'packages', 'registry', 'src', 'main.ts'))
      registryUrl = registry.url
      close = () => registry.close()
    }
    try {
      const result = await runSerdeBench({
        registryUrl,
        subject: 'bench.observations-value',
        schema: weatherObservationV2,
        sample: SAMPLE_OBSERVATION,
        iterations,
      })
      if (flag(args, 'json')) writeJson(ctx.stdout, result)
      else writeLine(ctx.stdout, formatSerdeBench(result))
    } finally {
      await close()
    }
    return 0
  },
}
