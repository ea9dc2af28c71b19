import type { ConsumeBenchResult } from './consume.ts'
import type { ProduceBenchResult } from './produce.ts'
import type { PeerClient } from './peers/clients.ts'
import { formatCount } from './progress.ts'

/** The human report of `isobar bench`: settings, a two-row table, the ratio and the hardware. */
export function formatBenchResult(result: ProduceBenchResult | ConsumeBenchResult): string {
  const s = result.settings
  const h = result.hardware
  const settings =
    `${formatCount(s.records)} records x ${s.recordSize} B, ${s.partitions} partition${s.partitions === 1 ? '' : 's'}, ` +
    `RF ${s.replicationFactor} (min.insync ${s.minInsyncReplicas}), compression ${s.compression}` +
    (result.kind === 'produce'
      ? `, acks=all, ${s.idempotence ? 'idempotent' : 'not idempotent'}, batch.size ${s.batchSize}, linger.ms ${s.lingerMs}, ` +
        (result.payload === 'shared-file' ? 'same payloads both sides' : 'Java generates its payloads')
      : ', fresh groups, from earliest')
  const header = ['', 'records/s', 'MB/s', 'seconds', '']
  const rows: string[][] = []
  if (result.kind === 'produce') {
    const { isobar, kafka } = result
    rows.push([
      'Isobar',
      rate(isobar.recordsPerSec),
      isobar.mbPerSec.toFixed(2),
      isobar.seconds.toFixed(2),
      `CPU ${isobar.cpuSeconds.toFixed(2)} s (${isobar.cpuCores.toFixed(2)} cores), peak RSS ${Math.round(isobar.peakRssMiB)} MiB`,
    ])
    rows.push([
      'Kafka (Java)',
      rate(kafka.recordsPerSec),
      kafka.mbPerSec.toFixed(2),
      kafka.seconds.toFixed(2),
      `latency avg ${kafka.avgLatencyMs} ms, p50 ${kafka.p50Ms} ms, p99 ${kafka.p99Ms} ms`,
    ])
  } else {
    const { isobar, kafka } = result
    rows.push([
      'Isobar',
      rate(isobar.recordsPerSec),
      isobar.mbPerSec.toFixed(2),
      isobar.seconds.toFixed(2),
      `with join: ${rate(isobar.totalRecordsPerSec)}/s; CPU ${isobar.cpuSeconds.toFixed(2)} s, peak RSS ${Math.round(isobar.peakRssMiB)} MiB`,
    ])
    rows.push([
      'Kafka (Java)',
      rate(kafka.recordsPerSec),
      kafka.mbPerSec.toFixed(2),
      kafka.seconds.toFixed(2),
      `with join: ${rate(kafka.totalRecordsPerSec)}/s; join ${kafka.rebalanceMs} ms`,
    ])
  }
  for (const peer of result.peers) {
    rows.push([
      PEER_NAMES[peer.client],
      rate(peer.recordsPerSec),
      peer.mbPerSec.toFixed(2),
      peer.seconds.toFixed(2),
      `${peer.ratio.toFixed(2)}x Java; CPU ${peer.cpuSeconds.toFixed(2)} s, peak RSS ${Math.round(peer.peakRssMiB)} MiB`,
    ])
  }
  const table = [header, ...rows]
  const widths = header.map((_, col) => Math.max(...table.map((r) => r[col]!.length)))
  const line = (r: string[]): string =>
    r
      .map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : col < 4 ? cell.padStart(widths[col]!) : cell))
      .join('  ')
      .trimEnd()
  const ratio =
    result.kind === 'produce'
      ? `Isobar/Kafka: ${result.ratio.toFixed(2)}x`
      : `Isobar/Kafka: ${result.ratio.toFixed(2)}x (fetch phase, fetch.nMsg.sec); ${result.totalRatio.toFixed(2)}x with group join`
  const peerRatios = result.peers.map(
    (p) =>
      `${PEER_NAMES[p.client]}/Kafka: ${p.ratio.toFixed(2)}x` +
      (p.ratios.length > 1 ? ` (rounds ${p.ratios.map((r) => r.toFixed(2)).join(', ')})` : ''),
  )
  const rounds =
    result.rounds.length > 1
      ? [
          `Rounds: ${result.rounds.length}, order ${result.peers.length > 0 ? 'rotating' : 'alternating'}; ratios ${result.rounds.map((r) => r.ratio.toFixed(2)).join(', ')}; ` +
            'the table shows the round with the median ratio',
        ]
      : []
  return [
    `bench ${result.kind}: ${settings}`,
    '',
    ...table.map(line),
    '',
    ratio,
    ...peerRatios,
    ...rounds,
    `Hardware: ${h.cpus} x ${h.cpuModel}, ${h.memGiB} GiB RAM, Node ${h.node}, Kafka tools ${h.kafkaVersion}`,
  ].join('\n')
}

const PEER_NAMES: Record<PeerClient, string> = { kafkajs: 'kafkajs', confluent: 'confluent (librdkafka)' }

function rate(value: number): string {
  return formatCount(Math.round(value))
}
