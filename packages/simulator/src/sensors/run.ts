import { setImmediate as yieldToLoop, setTimeout as sleep } from 'node:timers/promises'
import { Counter, type BatchingProducer, type Registry } from '@isobar/core'
import { readingRecord, type ReadingEncoder } from './encode.ts'
import type { FaultKind } from './faults.ts'
import type { SensorSimulator } from './generator.ts'

export interface SimulationRunOptions {
  simulator: SensorSimulator
  producer: BatchingProducer
  topic: string
  /**
   * Finite: paced on the wall clock — a reading is published once its sensor's turn on the simulator's timeline
   * is due (so the simulator's fleet size and interval set the rate, and event time never runs ahead of the
   * clock however long the run). Infinity: as fast as the producer's back-pressure allows.
   */
  rate: number
  /** Stop after this many readings (sent + invalid) … */
  count?: number
  /** … or after this long (whichever comes first; at least one must be given). */
  durationMs?: number
  encode?: ReadingEncoder
  metrics?: Registry
  /** Called about once a second, and once at the end. */
  onProgress?: (progress: SimulationProgress) => void
  signal?: AbortSignal
  /** Wall clock (ms since the epoch) and the wait between polls of it; injectable for tests. */
  clock?: () => number
  sleep?: (ms: number) => Promise<void>
}

export interface SimulationProgress {
  sent: number
  acked: number
  failed: number
  /** Readings the encoder refused (e.g. a schema violation): counted, reported, never sent. */
  invalid: number
  seconds: number
}

export interface SimulationSummary extends SimulationProgress {
  topic: string
  /** Records sent per second of the whole run (until the last acknowledgement). */
  recordsPerSecond: number
  /** Readings lost to simulated dropouts (never sent). */
  dropped: number
  faults: Record<FaultKind, number>
  /** Up to five distinct delivery or encoding errors. */
  errors: string[]
}

const CHUNK = 2000

/**
 * Publishes simulated readings through the batching producer, paced on the clock, with per-record delivery callbacks.
 * Retries are the Kafka client's (idempotent, until its delivery timeout); a delivery that fails anyway is final and
 * ends the run: going on (or re-sending) would leave the failed readings' sensors with gaps behind later readings.
 */
export async function runSimulation(options: SimulationRunOptions): Promise<SimulationSummary> {
  const { simulator, producer, topic, rate } = options
  if (options.count === undefined && options.durationMs === undefined) throw new RangeError('count or durationMs')
  const limit = options.count ?? Number.POSITIVE_INFINITY
  const metrics = options.metrics ? simulationMetrics(options.metrics) : undefined
  const errors = new Set<string>()
  let sent = 0
  let acked = 0
  let failed = 0
  let invalid = 0
  const report = (error: unknown): void => {
    if (errors.size < 5) errors.add(error instanceof Error ? error.message : String(error))
  }
  const onDelivery = (error: Error | null): void => {
    if (error) {
      failed++
      metrics?.failed.inc()
      report(error)
    } else {
      acked++
      metrics?.acked.inc()
    }
  }
  const clock = options.clock ?? Date.now
  const wait = options.sleep ?? ((ms: number) => sleep(ms))
  const started = clock()
  const elapsed = (): number => (clock() - started) / 1000
  const deadline = options.durationMs === undefined ? Infinity : options.durationMs / 1000
  const paced = Number.isFinite(rate)
  let lastProgress = 0
  const progress = (): SimulationProgress => ({ sent, acked, failed, invalid, seconds: round(elapsed(), 3) })

  // Readings taken (sent or refused by the encoder) count against the limit.
  const taken = (): number => sent + invalid
  while (taken() < limit && elapsed() < deadline && !options.signal?.aborted && failed === 0) {
    // Paced: only turns due by now (event time follows the clock, never a count of records, which dropouts and
    // duplicates would make drift: the bug behind readings dead-lettered as EVENT_TIME_AHEAD after a long run).
    const now = paced ? clock() : Number.POSITIVE_INFINITY
    let batch = 0
    while (batch < CHUNK && taken() < limit && failed === 0) {
      const reading = simulator.nextDue(now)
      if (!reading) break
      batch++
      for (const fault of reading.faults) metrics?.faults.inc({ fault })
      let record
      try {
        record = readingRecord(topic, reading, options.encode)
      } catch (error) {
        // One bad reading must not end the run: count it against the limit, report it, go on.
        invalid++
        metrics?.invalid.inc()
        report(error)
        continue
      }
      sent++
      metrics?.sent.inc()
      if (!producer.produce(record, onDelivery)) await producer.ready()
    }
    if (batch === 0) {
      await wait(Math.min(100, Math.max(1, simulator.nextTurnMs - clock())))
      continue
    }
    // Let delivery callbacks and timers run between chunks.
    await yieldToLoop()
    if (options.onProgress && elapsed() - lastProgress >= 1) {
      lastProgress = elapsed()
      options.onProgress(progress())
    }
  }
  await producer.flush()
  const seconds = elapsed()
  options.onProgress?.(progress())
  return {
    topic,
    sent,
    acked,
    failed,
    invalid,
    seconds: round(seconds, 3),
    recordsPerSecond: Math.round(sent / seconds),
    dropped: simulator.stats.dropped,
    faults: { ...simulator.stats.faults },
    errors: [...errors],
  }
}

interface SimulationMetrics {
  sent: Counter
  acked: Counter
  failed: Counter
  invalid: Counter
  faults: Counter
}

function simulationMetrics(registry: Registry): SimulationMetrics {
  const counter = (name: string, help: string, labelNames: string[] = []): Counter =>
    new Counter({ name: `isobar_simulator_${name}`, help, labelNames, registers: [registry] })
  return {
    sent: counter('readings_sent_total', 'Simulated readings handed to the producer'),
    acked: counter('readings_acked_total', 'Simulated readings acknowledged by Kafka'),
    failed: counter('readings_failed_total', 'Simulated readings whose delivery failed'),
    invalid: counter('readings_invalid_total', 'Simulated readings the encoder refused (never sent)'),
    faults: counter('faults_total', 'Simulated readings carrying each fault', ['fault']),
  }
}

function round(n: number, decimals: number): number {
  return Math.round(n * 10 ** decimals) / 10 ** decimals
}
