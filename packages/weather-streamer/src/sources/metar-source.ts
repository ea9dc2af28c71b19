/**
 * The METAR source: reads reports from a file, stdin or an HTTP endpoint serving the aviationweather.gov raw text
 * format (`/api/data/metar?ids=…&format=raw`), polling the endpoint at an interval. A report already sent
 * (same station and observation time, e.g. a repeated poll) is not sent again.
 */
import { readFile } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { WeatherHttpError } from '../errors.ts'
import { metarToObservation, splitReports } from './metar-parse.ts'
import { sleep, type SourceContext, type WeatherSource } from './source.ts'
import type { StationTable } from './stations.ts'

const MAX_REMEMBERED = 100_000

export type MetarInput =
  | { kind: 'file'; path: string }
  | { kind: 'stream'; stream: Readable }
  | { kind: 'http'; url: string; intervalMs: number }

export interface MetarSourceOptions {
  input: MetarInput
  stations: StationTable
  /** Anchor for day-of-month times; default the receive time. Fixed in tests of archived reports. */
  receivedMs?: number
  fetch?: typeof fetch
}

async function readStream(stream: Readable): Promise<string> {
  let text = ''
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8')
  return text
}

export function metarSource(options: MetarSourceOptions): WeatherSource {
  const seen = new Set<string>()

  async function publish(ctx: SourceContext, text: string): Promise<void> {
    for (const report of splitReports(text)) {
      if (ctx.signal.aborted) return
      const now = ctx.now()
      const result = metarToObservation(report, options.stations, options.receivedMs ?? now, now)
      if (!result.ok) {
        await ctx.reject(
          { raw: report },
          result.reasons,
          report.split(' ').find((w) => /^[A-Z][A-Z0-9]{3}$/.test(w)),
        )
        continue
      }
      const id = `${result.observation.stationId}@${result.observation.eventTimeMs}`
      if (seen.has(id)) continue
      seen.add(id)
      // Bounded memory: forget the oldest ids (reports older than a few days are never re-polled).
      if (seen.size > MAX_REMEMBERED) seen.delete(seen.values().next().value!)
      await ctx.emit(result.observation)
    }
  }

  return {
    name: 'metar',
    async run(ctx) {
      const input = options.input
      if (input.kind === 'file') return publish(ctx, await readFile(input.path, 'utf8'))
      if (input.kind === 'stream') return publish(ctx, await readStream(input.stream))
      const doFetch = options.fetch ?? fetch
      let failures = 0
      while (!ctx.signal.aborted) {
        try {
          const response = await doFetch(input.url, { signal: ctx.signal })
          if (!response.ok) throw new WeatherHttpError(input.url, response.status)
          await publish(ctx, await response.text())
          failures = 0
        } catch (error) {
          if (ctx.signal.aborted) return
          failures++
          ctx.logger.warn({ err: error, url: input.url, failures }, 'METAR poll failed')
        }
        const backoff = failures === 0 ? input.intervalMs : Math.min(300_000, 1000 * 2 ** failures)
        if (!(await sleep(backoff, ctx.signal))) return
      }
    },
  }
}
