import { readFileSync } from 'node:fs'
import { silentLogger } from '@isobar/core'
import type { RejectReason, SourceContext, WeatherObservation } from '@isobar/weather-streamer'

export * from '@isobar/weather-streamer'

export interface RecordingContext extends SourceContext {
  emitted: WeatherObservation[]
  rejected: Array<{ raw: unknown; reasons: RejectReason[]; key: string | undefined }>
}

/** A source context that records what a source emits, without Kafka. */
export function silentSourceContext(signal: AbortSignal = new AbortController().signal): RecordingContext {
  const emitted: WeatherObservation[] = []
  const rejected: RecordingContext['rejected'] = []
  return {
    emitted,
    rejected,
    signal,
    now: Date.now,
    logger: silentLogger(),
    emit(observation) {
      emitted.push(observation)
      return Promise.resolve()
    },
    reject(raw, reasons, key) {
      rejected.push({ raw, reasons, key })
      return Promise.resolve()
    },
  }
}

/** Sources of the vendored real METAR reports under test/fixtures/metar/ (see each file's header). */
export type MetarFixture = 'aewx-metar-parser' | 'metar' | 'metar-parser'

/** Real METAR reports, deduplicated, from the vendored fixture files (one report per line, # comments). */
export function vendoredMetarReports(
  fixtures: readonly MetarFixture[] = ['aewx-metar-parser', 'metar', 'metar-parser'],
): string[] {
  const reports = new Set<string>()
  for (const name of fixtures) {
    const text = readFileSync(new URL(`./fixtures/metar/${name}.txt`, import.meta.url), 'utf8')
    for (const line of text.split('\n')) if (line !== '' && !line.startsWith('#')) reports.add(line)
  }
  return [...reports]
}
