/** The soak loop: a sample every interval until the duration passes or the signal aborts (Ctrl-C). */
import { takeSample, type SampleSources } from './sampler.ts'
import type { SoakSample } from './types.ts'

export interface RunSoakOptions {
  sources: SampleSources
  durationMs: number
  intervalMs: number
  /** Aborting ends the loop at once; the samples taken so far are returned. */
  signal?: AbortSignal
  onSample?: (sample: SoakSample) => void
  /** A sample that failed (Kafka unreachable for a moment): reported, the loop goes on. */
  onSampleError?: (error: unknown) => void
}

export interface SoakRun {
  samples: SoakSample[]
  startedMs: number
  endedMs: number
  failedSamples: number
  aborted: boolean
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done(): void {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })
}

export async function runSoak(options: RunSoakOptions): Promise<SoakRun> {
  const startedMs = Date.now()
  const samples: SoakSample[] = []
  let failedSamples = 0
  for (let tick = 0; ; tick++) {
    if (options.signal?.aborted) break
    try {
      const sample = await takeSample(options.sources, startedMs, samples.at(-1))
      samples.push(sample)
      options.onSample?.(sample)
    } catch (error) {
      failedSamples++
      options.onSampleError?.(error)
    }
    if (Date.now() - startedMs >= options.durationMs) break
    // Ticks stay on the grid of the start time, so a slow sample does not shift every later one.
    const next = Math.min(startedMs + (tick + 1) * options.intervalMs, startedMs + options.durationMs)
    await sleep(Math.max(0, next - Date.now()), options.signal)
  }
  return { samples, startedMs, endedMs: Date.now(), failedSamples, aborted: options.signal?.aborted === true }
}
