/** Builds the configured sources (file and network inputs are opened here, not in the sources). */
import type { Readable } from 'node:stream'
import type { WeatherStreamerConfig } from '../config.ts'
import { metarSource, type MetarInput } from './metar-source.ts'
import { openMeteoSource } from './open-meteo.ts'
import { replaySource } from './replay.ts'
import { simulatorSource } from './simulator.ts'
import type { WeatherSource } from './source.ts'
import { loadStationTable } from './stations.ts'

export async function createSources(
  config: WeatherStreamerConfig,
  io: { stdin?: Readable; fetch?: typeof fetch } = {},
): Promise<WeatherSource[]> {
  const sources: WeatherSource[] = []
  for (const name of config.sources) {
    if (name === 'sim') sources.push(simulatorSource(config.sim))
    if (name === 'metar') {
      const input = config.metar.input!
      const metarInput: MetarInput = /^https?:\/\//.test(input)
        ? { kind: 'http', url: input, intervalMs: config.metar.pollIntervalMs }
        : input === '-'
          ? { kind: 'stream', stream: io.stdin ?? process.stdin }
          : { kind: 'file', path: input }
      const stations = await loadStationTable(config.metar.stationsFile!)
      sources.push(metarSource({ input: metarInput, stations, ...(io.fetch ? { fetch: io.fetch } : {}) }))
    }
    if (name === 'replay') {
      sources.push(
        replaySource({
          path: config.replay.file!,
          location: config.replay.location,
          timeScale: config.replay.timeScale,
          maxRecords: config.replay.maxRecords,
        }),
      )
    }
    if (name === 'openmeteo') {
      sources.push(
        openMeteoSource({
          url: config.openmeteo.url,
          locations: [...config.openmeteo.locations],
          intervalMs: config.openmeteo.intervalMs,
          backoffMs: config.openmeteo.backoffMs,
          maxBackoffMs: config.openmeteo.maxBackoffMs,
          ...(io.fetch ? { fetch: io.fetch } : {}),
        }),
      )
    }
  }
  return sources
}
