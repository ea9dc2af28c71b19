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
