/**
 * Parsers for the summaries Kafka's perf tools print. From 4.2 on (KIP-1147) deprecation notices share stdout with
 * the results, so both parsers look for the line by its shape, never by its position.
 */

export interface ProducerPerformanceSummary {
  records: number
  recordsPerSec: number
  mbPerSec: number
  avgLatencyMs: number
  maxLatencyMs: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  p999Ms: number
}

// "200000 records sent, 28356.727634 records/sec (5.41 MB/sec), 2225.24 ms avg latency, 2685.00 ms max latency,
//  2355 ms 50th, 2647 ms 95th, 2682 ms 99th, 2684 ms 99.9th." Only the final line carries the percentiles.
const NUM = '([0-9]+(?:\\.[0-9]+)?)'
const PRODUCER_TOTAL = new RegExp(
  `^([0-9]+) records sent, ${NUM} records/sec \\(${NUM} MB/sec\\), ${NUM} ms avg latency, ${NUM} ms max latency, ` +
    `([0-9]+) ms 50th, ([0-9]+) ms 95th, ([0-9]+) ms 99th, ([0-9]+) ms 99\\.9th\\.?$`,
)
// The 5-second window lines: "33114 records sent, 6621.5 records/sec (1.26 MB/sec), 1364.4 ms avg latency, ..."
const PRODUCER_WINDOW = /^([0-9]+) records sent, [0-9.]+ records\/sec .* max latency\.$/

/** The final summary of ProducerPerformance (the steady-state line, when present, is ignored). */
export function parseProducerPerformance(stdout: string): ProducerPerformanceSummary {
  for (const line of stdout.split(/\r?\n/)) {
    const m = PRODUCER_TOTAL.exec(line.trim())
    if (!m) continue
    const n = m.slice(1).map(Number)
    return {
      records: n[0]!,
      recordsPerSec: n[1]!,
      mbPerSec: n[2]!,
      avgLatencyMs: n[3]!,
      maxLatencyMs: n[4]!,
      p50Ms: n[5]!,
      p95Ms: n[6]!,
      p99Ms: n[7]!,
      p999Ms: n[8]!,
    }
  }
  throw new Error(`No ProducerPerformance summary line in its output:\n${tail(stdout)}`)
}

/** Records counted by one 5-second progress line of ProducerPerformance, or undefined for any other line. */
export function producerWindowRecords(line: string): number | undefined {
  const m = PRODUCER_WINDOW.exec(line.trim())
  return m ? Number(m[1]) : undefined
}

export interface ConsumerPerformanceSummary {
  startTime: string
  endTime: string
  /** MiB of keys + values. */
  mb: number
  /** MiB/s over the whole run, group join included. */
  mbPerSec: number
  /** Records consumed; can exceed --num-records because the last poll is counted whole. */
  records: number
  /** Records/s over the whole run, group join included. */
  recordsPerSec: number
  /** Time until the first partitions were assigned. */
  rebalanceMs: number
  /** Whole run minus rebalanceMs. */
  fetchMs: number
  fetchMbPerSec: number
  fetchRecordsPerSec: number
}

const CONSUMER_HEADER = 'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec'

/** The summary row that follows ConsumerPerformance's CSV header (not the --show-detailed-stats format). */
export function parseConsumerPerformance(stdout: string): ConsumerPerformanceSummary {
  const lines = stdout.split(/\r?\n/).map((l) => l.trim())
  const header = lines.findIndex((l) => l.startsWith(CONSUMER_HEADER))
  if (header >= 0) {
    const names = lines[header]!.split(',').map((s) => s.trim())
    for (const line of lines.slice(header + 1)) {
      const cells = line.split(',').map((s) => s.trim())
      if (cells.length !== names.length) continue
      const get = (name: string): string => cells[names.indexOf(name)] ?? ''
      const num = (name: string): number => {
        const value = Number(get(name))
        if (get(name) === '' || !Number.isFinite(value))
          throw new Error(`ConsumerPerformance: bad ${name} in "${line}"`)
        return value
      }
      return {
        startTime: get('start.time'),
        endTime: get('end.time'),
        mb: num('data.consumed.in.MB'),
        mbPerSec: num('MB.sec'),
        records: num('data.consumed.in.nMsg'),
        recordsPerSec: num('nMsg.sec'),
        rebalanceMs: num('rebalance.time.ms'),
        fetchMs: num('fetch.time.ms'),
        fetchMbPerSec: num('fetch.MB.sec'),
        fetchRecordsPerSec: num('fetch.nMsg.sec'),
      }
    }
  }
  throw new Error(`No ConsumerPerformance summary in its output:\n${tail(stdout)}`)
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-10).join('\n') || '(empty)'
}
