import { join } from 'node:path'
import { KafkaLocalError, KafkaLocalErrorCodes } from './errors.ts'

export const HOST = '127.0.0.1'
export const DEFAULT_BASE_PORT_SINGLE = 9092
export const DEFAULT_BASE_PORT_TRIPLE = 19092
/** Ephemeral ports start at 32768 on Linux: staying below keeps clients' outgoing sockets off our ports. */
const MAX_PORT = 32767

export type NodeCount = 1 | 3

export type BrokerConfigValue = string | number | boolean

export interface NodeLayout {
  nodeId: number
  /** PLAINTEXT (client) port. */
  port: number
  controllerPort: number
  /** node-N/: server.properties, log4j2.xml, logs. */
  dir: string
  /** node-N/data: log.dirs (and the metadata log). */
  dataDir: string
}

export function defaultBasePort(nodes: NodeCount): number {
  return nodes === 1 ? DEFAULT_BASE_PORT_SINGLE : DEFAULT_BASE_PORT_TRIPLE
}

export function assertNodeCount(nodes: number): asserts nodes is NodeCount {
  if (nodes !== 1 && nodes !== 3) {
    throw new KafkaLocalError(KafkaLocalErrorCodes.INVALID_OPTION, `nodes must be 1 or 3 (got ${nodes})`)
  }
}

/** Node n (1-based) gets broker port basePort + 2(n-1) and controller port one above it. */
export function clusterLayout(clusterDir: string, nodes: NodeCount, basePort: number): NodeLayout[] {
  assertNodeCount(nodes)
  if (!Number.isInteger(basePort) || basePort < 1024 || basePort + 2 * nodes - 1 > MAX_PORT) {
    throw new KafkaLocalError(
      KafkaLocalErrorCodes.INVALID_OPTION,
      `basePort must be an integer with all ${2 * nodes} ports in 1024..${MAX_PORT} (got ${basePort})`,
    )
  }
  return Array.from({ length: nodes }, (_, index) => {
    const nodeId = index + 1
    const dir = join(clusterDir, `node-${nodeId}`)
    return {
      nodeId,
      port: basePort + 2 * index,
      controllerPort: basePort + 2 * index + 1,
      dir,
      dataDir: join(dir, 'data'),
    }
  })
}

export function bootstrapServers(layout: readonly NodeLayout[]): string {
  return layout.map((node) => `${HOST}:${node.port}`).join(',')
}

/** `--initial-controllers` for `kafka-storage format`: `id@host:port:directoryId`, identical on every node. */
export function initialControllers(layout: readonly NodeLayout[], directoryIds: readonly string[]): string {
  return layout
    .map((node, index) => `${node.nodeId}@${HOST}:${node.controllerPort}:${directoryIds[index] ?? ''}`)
    .join(',')
}

/**
 * server.properties for one combined broker+controller node. Dynamic quorum (KIP-853,
 * `controller.quorum.bootstrap.servers`): the storage format must then use `--standalone` (1 node) or
 * `--initial-controllers` (3 nodes). Internal topics get RF/min-ISR 1 on one node (RF 3 could never be created, so
 * no consumer group would ever work) and 3/2 on three; the thread and buffer trims fit 3 JVMs on a 2-core box.
 */
export function serverProperties(
  layout: readonly NodeLayout[],
  nodeId: number,
  extra: Readonly<Record<string, BrokerConfigValue>> = {},
  /** Listener, TLS, SASL and ACL entries of a secured cluster; replace the PLAINTEXT listeners. */
  security: Readonly<Record<string, BrokerConfigValue>> = {},
): string {
  const node = layout.find((candidate) => candidate.nodeId === nodeId)
  if (node === undefined) {
    throw new KafkaLocalError(
      KafkaLocalErrorCodes.INVALID_OPTION,
      `No node ${nodeId} in a ${layout.length}-node layout`,
    )
  }
  const single = layout.length === 1
  const replication = single ? 1 : 3
  const minIsr = single ? 1 : 2
  const settings: Record<string, BrokerConfigValue> = {
    'process.roles': 'broker,controller',
    'node.id': node.nodeId,
    'controller.quorum.bootstrap.servers': layout.map((n) => `${HOST}:${n.controllerPort}`).join(','),
    listeners: `PLAINTEXT://${HOST}:${node.port},CONTROLLER://${HOST}:${node.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${HOST}:${node.port},CONTROLLER://${HOST}:${node.controllerPort}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': node.dataDir,
    'num.partitions': 1,
    'default.replication.factor': replication,
    'min.insync.replicas': minIsr,
    'offsets.topic.replication.factor': replication,
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': replication,
    'transaction.state.log.min.isr': minIsr,
    'transaction.state.log.num.partitions': 4,
    'share.coordinator.state.topic.replication.factor': replication,
    'share.coordinator.state.topic.min.isr': minIsr,
    'share.coordinator.state.topic.num.partitions': 4,
    'group.initial.rebalance.delay.ms': 0,
    'auto.create.topics.enable': false,
    // The cleaner allocates its dedupe map on heap per thread (128 MiB default) against a 512 MiB heap.
    'log.cleaner.dedupe.buffer.size': 33554432,
    // A crashed node restarting within the session timeout is refused (DUPLICATE_BROKER_REGISTRATION) until its old
    // registration expires, and a killed node keeps its leaderships until then: 9 s by default, 6 s here.
    'broker.heartbeat.interval.ms': 1000,
    'broker.session.timeout.ms': 6000,
    'num.network.threads': 2,
    'num.io.threads': 4,
    'background.threads': 4,
    'num.recovery.threads.per.data.dir': 2,
    ...security,
    ...extra,
  }
  const lines = Object.entries(settings).map(([key, value]) => `${key}=${escapePropertyValue(String(value))}`)
  return `# Generated by @isobar/kafka-local for node ${node.nodeId} of ${layout.length}; rewritten on every start.\n${lines.join('\n')}\n`
}

/**
 * java.util.Properties escaping for values: Kafka reads the file as ISO-8859-1, so backslashes (Windows paths),
 * a leading space and anything non-ASCII must be escaped or the path that reaches the broker is not ours.
 */
export function escapePropertyValue(value: string): string {
  let out = ''
  for (const [index, char] of [...value].entries()) {
    const code = char.codePointAt(0) ?? 0
    if (char === '\\') out += '\\\\'
    else if (char === '\n') out += '\\n'
    else if (char === '\r') out += '\\r'
    else if (char === '\t') out += '\\t'
    else if (char === ' ' && index === 0) out += '\\ '
    else if (code < 0x20 || code > 0x7e) out += toUnicodeEscapes(char)
    else out += char
  }
  return out
}

function toUnicodeEscapes(char: string): string {
  let out = ''
  for (let i = 0; i < char.length; i++) out += `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`
  return out
}
