import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { assertPortsFree, DEFAULT_READY_TIMEOUT_MS } from './cluster.ts'
import { KafkaLocalError, KafkaLocalErrorCodes } from './errors.ts'
import { SERVER_LOG_FILE } from './log4j-config.ts'
import { readClientCredentials, type KafkaClientCredentials } from './security/credentials.ts'
import type { LocalPrincipal } from './security/principals.ts'
import { spawnNode, waitUntilReady } from './node-runner.ts'
import { canConnect, isOwnProcess, signalPid, terminatePids, waitForExit } from './processes.ts'
import {
  clusterDir,
  DEFAULT_CLUSTER_NAME,
  propertiesFile,
  readClusterRecord,
  readClusterRecordSync,
  removeClusterRecord,
  stdoutLogFile,
  writeClusterRecord,
} from './state.ts'
import type {
  ClusterRef,
  LocalKafkaCluster,
  LocalKafkaStatus,
  NodeInfo,
  NodeLogFiles,
  StopLocalKafkaOptions,
} from './types.ts'

const DEFAULT_STOP_TIMEOUT_MS = 30_000

function isNodeAlive(node: NodeInfo): boolean {
  return isOwnProcess(node.pid, propertiesFile(node))
}

function notRunning(name: string, dir: string): KafkaLocalError {
  return new KafkaLocalError(
    KafkaLocalErrorCodes.NOT_RUNNING,
    `Local Kafka "${name}" is not running (no ${join(dir, 'cluster.json')}). Start it with \`isobar kafka start\`.`,
    { details: { name, dir } },
  )
}

/** The running cluster of that name; NOT_RUNNING if it is stopped or any node is down or not listening. */
export async function getLocalKafka(ref: ClusterRef): Promise<LocalKafkaCluster> {
  const name = ref.name ?? DEFAULT_CLUSTER_NAME
  const status = await localKafkaStatus(ref)
  if (status.cluster === undefined) throw notRunning(name, clusterDir(ref.homeDir, name))
  if (!status.running) {
    const down = status.nodes.filter((node) => !node.alive || !node.listening).map((node) => node.nodeId)
    throw new KafkaLocalError(
      KafkaLocalErrorCodes.NOT_RUNNING,
      `Local Kafka "${name}" is not fully running (node ${down.join(', ')} down). Restart it with \`isobar kafka start\`.`,
      { details: { status } },
    )
  }
  return { ...status.cluster, reused: true }
}

/**
 * The bootstrap servers of the local cluster if at least one of its JVMs is alive, else undefined. Synchronous and
 * without network I/O (reads cluster.json and checks pids), so a CLI can call it while building its config.
 */
export function localBootstrapServers(ref: ClusterRef): string | undefined {
  const cluster = readClusterRecordSync(clusterDir(ref.homeDir, ref.name ?? DEFAULT_CLUSTER_NAME))
  return cluster?.nodes.some(isNodeAlive) === true ? cluster.bootstrapServers : undefined
}

/** A running local cluster's address and, when it is secured, the credentials of one principal. */
export interface LocalKafkaConnection {
  bootstrapServers: string
  credentials?: KafkaClientCredentials
}

/**
 * Like localBootstrapServers, plus the credentials of `principal` (default admin) when the cluster runs with
 * SASL_SSL: what a CLI or a supervisor needs to connect to the local cluster without asking the user.
 */
export function localKafkaConnection(
  ref: ClusterRef,
  principal: LocalPrincipal = 'admin',
): LocalKafkaConnection | undefined {
  const dir = clusterDir(ref.homeDir, ref.name ?? DEFAULT_CLUSTER_NAME)
  const cluster = readClusterRecordSync(dir)
  if (cluster?.nodes.some(isNodeAlive) !== true) return undefined
  if (cluster.security === undefined) return { bootstrapServers: cluster.bootstrapServers }
  return { bootstrapServers: cluster.bootstrapServers, credentials: readClientCredentials(cluster.dir, principal) }
}

/** The credentials of `principal` on a secured cluster (INVALID_OPTION if it is not secured). */
export function localKafkaCredentials(cluster: LocalKafkaCluster, principal: LocalPrincipal): KafkaClientCredentials {
  return readClientCredentials(cluster.dir, principal)
}

export async function localKafkaStatus(ref: ClusterRef): Promise<LocalKafkaStatus> {
  const cluster = await readClusterRecord(clusterDir(ref.homeDir, ref.name ?? DEFAULT_CLUSTER_NAME))
  if (cluster === undefined) return { running: false, nodes: [] }
  const nodes = await Promise.all(
    cluster.nodes.map(async (node) => {
      const alive = isNodeAlive(node)
      const listening = alive && (await canConnect(node.port))
      return { nodeId: node.nodeId, pid: node.pid, alive, port: node.port, listening }
    }),
  )
  return { running: nodes.every((node) => node.alive && node.listening), cluster, nodes }
}

/**
 * Stops every node (SIGTERM together, SIGKILL after `timeoutMs`) and forgets the cluster. Data is kept for the
 * next start unless `removeData`. Resolves true if at least one JVM was running.
 */
export async function stopLocalKafka(options: StopLocalKafkaOptions): Promise<boolean> {
  const dir = clusterDir(options.homeDir, options.name ?? DEFAULT_CLUSTER_NAME)
  const cluster = await readClusterRecord(dir)
  const alive = cluster?.nodes.filter(isNodeAlive) ?? []
  await terminatePids(
    alive.map((node) => node.pid),
    options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS,
  )
  await removeClusterRecord(dir)
  if (options.removeData === true) await rm(dir, { recursive: true, force: true })
  return alive.length > 0
}

/** The log files of each node that has a dir, for `isobar kafka logs` (files may not exist yet). */
export async function logFiles(ref: ClusterRef): Promise<NodeLogFiles[]> {
  const dir = clusterDir(ref.homeDir, ref.name ?? DEFAULT_CLUSTER_NAME)
  const entries = await readdir(dir).catch(() => [])
  return entries
    .map((entry) => /^node-(\d+)$/.exec(entry))
    .filter((match) => match !== null)
    .map((match) => {
      const nodeDir = join(dir, match[0])
      return {
        nodeId: Number(match[1]),
        serverLog: join(nodeDir, SERVER_LOG_FILE),
        stdoutLog: stdoutLogFile({ dir: nodeDir }),
      }
    })
    .sort((a, b) => a.nodeId - b.nodeId)
}

function findNode(cluster: LocalKafkaCluster, nodeId: number): NodeInfo {
  const node = cluster.nodes.find((candidate) => candidate.nodeId === nodeId)
  if (node === undefined) {
    throw new KafkaLocalError(
      KafkaLocalErrorCodes.INVALID_OPTION,
      `Local Kafka "${cluster.name}" has no node ${nodeId} (nodes: ${cluster.nodes.map((n) => n.nodeId).join(', ')})`,
    )
  }
  return node
}

export interface StopNodeOptions {
  /** SIGTERM: graceful (controlled shutdown). SIGKILL: a crash, for failover tests. */
  signal?: 'SIGTERM' | 'SIGKILL'
  /** After a SIGTERM, SIGKILL if the JVM is still alive after this long. */
  timeoutMs?: number
}

/**
 * The cluster as recorded on disk if it is the same cluster: after a restartNode, a caller may still hold an object
 * with the node's previous pid.
 */
async function latest(cluster: LocalKafkaCluster): Promise<LocalKafkaCluster | undefined> {
  const current = await readClusterRecord(cluster.dir)
  return current?.clusterId === cluster.clusterId ? current : undefined
}

/** Stops one node and waits until its JVM is gone. Resolves false if it was not running. */
export async function stopNode(
  cluster: LocalKafkaCluster,
  nodeId: number,
  options: StopNodeOptions = {},
): Promise<boolean> {
  const node = findNode((await latest(cluster)) ?? cluster, nodeId)
  if (!isNodeAlive(node)) return false
  if (options.signal === 'SIGKILL') {
    signalPid(node.pid, 'SIGKILL')
    await waitForExit([node.pid], 10_000)
  } else {
    await terminatePids([node.pid], options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS)
  }
  return true
}

export interface RestartNodeOptions {
  readyTimeoutMs?: number
}

/**
 * Starts one node again (stopping it first if it still runs) with its recorded settings and data, waits until it is
 * ready and records the new pid in cluster.json. Resolves the updated cluster.
 */
export async function restartNode(
  cluster: LocalKafkaCluster,
  nodeId: number,
  options: RestartNodeOptions = {},
): Promise<LocalKafkaCluster> {
  findNode(cluster, nodeId)
  // Without a record the cluster was stopped, and one node alone cannot form a quorum.
  const current = await latest(cluster)
  if (current === undefined) throw notRunning(cluster.name, cluster.dir)
  await stopNode(current, nodeId)
  const node = findNode(current, nodeId)
  await assertPortsFree([node], 10_000)
  const spawned = spawnNode(node, { java: current.java, libDir: current.libDir, heapMb: current.heapMb })
  const updated: LocalKafkaCluster = {
    ...current,
    nodes: current.nodes.map((candidate) => (candidate.nodeId === nodeId ? spawned.node : candidate)),
    reused: cluster.reused,
  }
  await writeClusterRecord(updated)
  await waitUntilReady([spawned], options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS)
  return updated
}
