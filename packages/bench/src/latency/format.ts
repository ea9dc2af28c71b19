import type { LatencyBenchResult } from './bench.ts'

/** The human report of `isobar bench latency`: settings, one row per rate, Kafka's tool, load and hardware. */
export function formatLatencyBench(result: LatencyBenchResult): string {
  const s = result.settings
  const lines = [
    `bench latency: profile ${result.profile} (linger ${s.batch.lingerMs} ms, batches of ${s.batch.maxRecords}, ` +
      `compression ${s.compression}, fetch.min.bytes ${s.fetch.minBytes}, fetch.max.wait ${s.fetch.maxWaitMs} ms), ` +
      `${s.recordSize} B records, ${s.seconds} s per rate, 1 partition`,
    '',
    pad(['', 'rate/s', 'offered/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'max ms']),
  ]
  for (const row of result.isobar) {
    lines.push(
      pad([
        'Isobar',
        String(row.rate),
        String(Math.round(row.offeredPerSec)),
        row.p50Ms.toFixed(1),
        row.p99Ms.toFixed(1),
        row.p999Ms.toFixed(1),
        row.maxMs.toFixed(1),
      ]),
    )
  }
  if (result.kafka) {
    const k = result.kafka
    lines.push(
      pad(['Kafka (Java)', '1 in flight', '', String(k.p50Ms), String(k.p99Ms), String(k.p999Ms), `avg ${k.avgMs}`]),
    )
  }
  const h = result.hardware
  lines.push(
    '',
    `Load average ${result.loadAverage.start.join(' ')} at the start, ${result.loadAverage.end.join(' ')} at the end`,
    `Hardware: ${h.cpus} x ${h.cpuModel}, ${h.memGiB} GiB RAM, Node ${h.node}, Kafka tools ${h.kafkaVersion}`,
  )
  return lines.join('\n')
}

function pad(cells: string[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(12) : c.padStart(i === 1 ? 12 : 10))).join(' ')
}
