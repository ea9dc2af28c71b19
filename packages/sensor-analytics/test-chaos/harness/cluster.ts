/** The chaos suite's own 3-node KRaft cluster (ports 29392–29397, state under <repo>/.isobar/chaos). */
import { join } from 'node:path'
import {
  localKafkaStatus,
  restartNode,
  startLocalKafka,
  stopLocalKafka,
  stopNode,
  type LocalKafkaCluster,
} from '@isobar/kafka-local'
import { REPO_ROOT } from '@isobar/testing'

export const CHAOS_BASE_PORT = 29392
const ref = { homeDir: join(REPO_ROOT, '.isobar', 'chaos'), name: 'chaos' }
const START = { ...ref, nodes: 3 as const, basePort: CHAOS_BASE_PORT, heapMb: 384, readyTimeoutMs: 180_000 }

/** Starts a fresh cluster (a leftover of an interrupted run is stopped and wiped first). */
export async function startChaosCluster(): Promise<LocalKafkaCluster> {
  await stopChaosCluster()
  return startLocalKafka(START)
}

/** Stops every node by pid (a SIGSTOPped one is continued first) and removes the data. Safe to call twice. */
export async function stopChaosCluster(): Promise<void> {
  const status = await localKafkaStatus(ref)
  for (const node of status.nodes) {
    try {
      if (node.alive) process.kill(node.pid, 'SIGCONT')
    } catch {
      // already gone
    }
  }
  await stopLocalKafka({ ...ref, removeData: true, timeoutMs: 20_000 })
}

/** The cluster as recorded now (pids change when a node restarts). */
export async function currentCluster(): Promise<LocalKafkaCluster> {
  const status = await localKafkaStatus(ref)
  if (status.cluster === undefined) throw new Error('the chaos cluster is not running')
  return status.cluster
}

export async function nodePid(nodeId: number): Promise<number> {
  const node = (await currentCluster()).nodes.find((n) => n.nodeId === nodeId)
  if (node === undefined) throw new Error(`no node ${nodeId}`)
  return node.pid
}

export async function killNode(nodeId: number): Promise<void> {
  await stopNode(await currentCluster(), nodeId, { signal: 'SIGKILL' })
}

export async function restartChaosNode(nodeId: number): Promise<void> {
  await restartNode(await currentCluster(), nodeId, { readyTimeoutMs: 180_000 })
}

/** Every node stopped (SIGTERM, data kept), then the same cluster started again from its data. */
export async function restartWholeCluster(): Promise<{ downMs: number }> {
  const started = Date.now()
  await stopLocalKafka({ ...ref, timeoutMs: 30_000 })
  const downMs = Date.now() - started
  await startLocalKafka(START)
  return { downMs }
}
