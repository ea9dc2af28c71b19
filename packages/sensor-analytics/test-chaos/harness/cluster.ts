/**
 * The chaos suite's own 3-node KRaft cluster (ports 29392–29397, state under <repo>/.isobar/chaos). Another suite
 * can have its own (`ChaosCluster`, other name and ports) and so run beside it.
 */
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

export class ChaosCluster {
  readonly #ref: { homeDir: string; name: string }
  readonly #start: Parameters<typeof startLocalKafka>[0]

  constructor(name: string, basePort: number) {
    this.#ref = { homeDir: join(REPO_ROOT, '.isobar', name), name }
    this.#start = { ...this.#ref, nodes: 3, basePort, heapMb: 384, readyTimeoutMs: 180_000 }
  }

  /** Starts a fresh cluster (a leftover of an interrupted run is stopped and wiped first). */
  async start(): Promise<LocalKafkaCluster> {
    await this.stop()
    return startLocalKafka(this.#start)
  }

  /** Stops every node by pid (a SIGSTOPped one is continued first) and removes the data. Safe to call twice. */
  async stop(): Promise<void> {
    const status = await localKafkaStatus(this.#ref)
    for (const node of status.nodes) {
      try {
        if (node.alive) process.kill(node.pid, 'SIGCONT')
      } catch {
        // already gone
      }
    }
    await stopLocalKafka({ ...this.#ref, removeData: true, timeoutMs: 20_000 })
  }

  /** The cluster as recorded now (pids change when a node restarts). */
  async current(): Promise<LocalKafkaCluster> {
    const status = await localKafkaStatus(this.#ref)
    if (status.cluster === undefined) throw new Error(`the ${this.#ref.name} cluster is not running`)
    return status.cluster
  }

  async nodePid(nodeId: number): Promise<number> {
    const node = (await this.current()).nodes.find((n) => n.nodeId === nodeId)
    if (node === undefined) throw new Error(`no node ${nodeId}`)
    return node.pid
  }

  async killNode(nodeId: number): Promise<void> {
    await stopNode(await this.current(), nodeId, { signal: 'SIGKILL' })
  }

  async restartNode(nodeId: number): Promise<void> {
    await restartNode(await this.current(), nodeId, { readyTimeoutMs: 180_000 })
  }

  /** Every node stopped (SIGTERM, data kept), then the same cluster started again from its data. */
  async restartAll(): Promise<{ downMs: number }> {
    const started = Date.now()
    await stopLocalKafka({ ...this.#ref, timeoutMs: 30_000 })
    const downMs = Date.now() - started
    await startLocalKafka(this.#start)
    return { downMs }
  }
}

const chaos = new ChaosCluster('chaos', CHAOS_BASE_PORT)

export const startChaosCluster = (): Promise<LocalKafkaCluster> => chaos.start()
export const stopChaosCluster = (): Promise<void> => chaos.stop()
export const currentCluster = (): Promise<LocalKafkaCluster> => chaos.current()
export const nodePid = (nodeId: number): Promise<number> => chaos.nodePid(nodeId)
export const killNode = (nodeId: number): Promise<void> => chaos.killNode(nodeId)
export const restartChaosNode = (nodeId: number): Promise<void> => chaos.restartNode(nodeId)
export const restartWholeCluster = (): Promise<{ downMs: number }> => chaos.restartAll()
