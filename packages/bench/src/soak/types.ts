/** What the soak run measures: one sample every few seconds, a summary at the end. */

/** A platform service the soak watches: its process (RSS) and, when it serves one, its /metrics (heap). */
export interface SoakService {
  name: string
  pid: number | undefined
  metricsUrl?: string
}

export interface ServiceSample {
  /** VmRSS of the process from /proc, null when the process is gone or /proc is unavailable. */
  rssBytes: number | null
  /** nodejs_heap_size_used_bytes from /metrics, null without a metrics endpoint. */
  heapUsedBytes: number | null
}

export interface SoakSample {
  /** Wall clock of the sample (ms since the epoch). */
  timeMs: number
  elapsedS: number
  services: Record<string, ServiceSample>
  /** Sum of the lag (records) over the partitions of each consumer group, null when the group has no commit yet. */
  lag: Record<string, number | null>
  /** End offsets summed over partitions: the readings topic, every dead-letter topic, every late topic. */
  offsets: { readings: number; deadLetters: number; late: number }
  /** Per second since the previous sample (0 on the first). */
  rates: { readingsPerS: number; deadLettersPerS: number; latePerS: number }
  /**
   * Event time minus the broker's append time (+ = the producer's clock runs ahead) over the newest readings of
   * every partition: the median (the simulator's clock), the 95th percentile and the maximum (sensors the
   * simulator skews on purpose as a fault show there).
   */
  skew: { medianMs: number | null; p95Ms: number | null; maxMs: number | null }
}

export interface SoakSummary {
  startedAt: string
  endedAt: string
  durationS: number
  samples: number
  /** The window compared for drift: the first and the last `driftWindowS` seconds of the run. */
  driftWindowS: number
  rss: Record<string, { firstMiB: number; lastMiB: number; driftPct: number; maxMiB: number }>
  /** Sum of every service's RSS, first vs last window. */
  totalRss: { firstMiB: number; lastMiB: number; driftPct: number }
  lag: Record<string, { max: number; last: number | null; maxLastWindow: number }>
  readings: { total: number; perS: number }
  deadLetters: { total: number; perS: number; shareOfReadingsPct: number }
  late: { total: number; perS: number; shareOfReadingsPct: number }
  skew: {
    firstMedianMs: number | null
    lastMedianMs: number | null
    maxMedianMs: number | null
    maxP95Ms: number | null
    maxMs: number | null
  }
}

export interface SoakReport {
  settings: Record<string, unknown>
  summary: SoakSummary
  samples: SoakSample[]
}
