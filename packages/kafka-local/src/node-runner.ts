import { spawn } from 'node:child_process'
import { appendFileSync, closeSync, openSync, statSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import type { NodeLayout } from './config.ts'
import { KafkaLocalError, KafkaLocalErrorCodes } from './errors.ts'
import { lastLines } from './exec.ts'
import { jmxAgentArg, type BrokerMetricsOptions } from './jmx.ts'
import { BROKER_LOG4J_FILE, SERVER_LOG_FILE } from './log4j-config.ts'
import { canConnect, isPidAlive, sleep } from './processes.ts'
import { propertiesFile, stdoutLogFile } from './state.ts'
import type { NodeInfo } from './types.ts'

/** Logged by KafkaRaftServer once the broker is unfenced and its client listener is open. */
const STARTED_MESSAGE = 'Kafka Server started'

export interface JvmSettings {
  java: string
  libDir: string
  heapMb: number
  /** Attach the JMX exporter agent (broker metrics on /metrics). */
  metrics?: BrokerMetricsOptions
}

/** Kafka's kafka-server-start.sh / kafka-run-class.sh JVM flags, with a fixed heap instead of 1 GiB. */
export function brokerJvmArgs(node: Pick<NodeInfo, 'dir' | 'nodeId'>, settings: JvmSettings): string[] {
  return [
    ...(settings.metrics ? [jmxAgentArg(settings.metrics, node.nodeId)] : []),
    `-Xms${settings.heapMb}m`,
    `-Xmx${settings.heapMb}m`,
    '-server',
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent',
    '-XX:MaxInlineLevel=15',
    // A broker that ran out of heap is useless; dying makes the failure visible in status and tests.
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    `-Dlog4j2.configurationFile=${join(node.dir, BROKER_LOG4J_FILE)}`,
    `-Dkafka.logs.dir=${node.dir}`,
    '-cp',
    join(settings.libDir, '*'),
    'kafka.Kafka',
    propertiesFile(node),
  ]
}

export interface SpawnedNode {
  node: NodeInfo
  /** Size of server.log before the spawn: only lines after it belong to this start. */
  logOffset: number
  /** Spawned by this call: only its own log line proves readiness (see hasStarted). */
  spawned: boolean
}

export function nodeInfo(layout: NodeLayout, pid: number): NodeInfo {
  const { nodeId, port, controllerPort, dir, dataDir } = layout
  return { nodeId, pid, port, controllerPort, dir, dataDir, logFile: join(dir, SERVER_LOG_FILE) }
}

/**
 * Starts one node's JVM detached from this process (own process group, no pipes to us), so it keeps running
 * after the CLI or test runner that started it exits. stdout/stderr go to node-N/stdout.log.
 */
export function spawnNode(layout: NodeLayout, settings: JvmSettings): SpawnedNode {
  const logFile = join(layout.dir, SERVER_LOG_FILE)
  const logOffset = fileSize(logFile)
  const stdoutFile = stdoutLogFile(layout)
  appendFileSync(stdoutFile, `--- ${new Date().toISOString()} starting node ${layout.nodeId}\n`)
  const out = openSync(stdoutFile, 'a')
  try {
    const child = spawn(settings.java, brokerJvmArgs(layout, settings), {
      cwd: layout.dir,
      detached: true,
      stdio: ['ignore', out, out],
    })
    child.on('error', () => {}) // reported through the missing pid below
    child.unref()
    if (child.pid === undefined) {
      throw new KafkaLocalError(
        KafkaLocalErrorCodes.START_FAILED,
        `Could not start "${settings.java}" for node ${layout.nodeId}`,
      )
    }
    return { node: nodeInfo(layout, child.pid), logOffset, spawned: true }
  } finally {
    closeSync(out)
  }
}

/** A node started earlier (its "started" line is already in the log): readiness is checked on its port. */
export function runningNode(node: NodeInfo): SpawnedNode {
  return { node, logOffset: fileSize(node.logFile), spawned: false }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size
  } catch {
    return 0
  }
}

/** Reads a file from `offset` (from 0 if it was rotated and is now shorter). */
async function readFrom(file: string, offset: number): Promise<string> {
  let handle
  try {
    handle = await open(file, 'r')
  } catch {
    return ''
  }
  try {
    const { size } = await handle.stat()
    const start = size < offset ? 0 : offset
    const buffer = Buffer.alloc(size - start)
    await handle.read(buffer, 0, buffer.length, start)
    return buffer.toString('utf8')
  } finally {
    await handle.close()
  }
}

/** The last lines of a node's logs for error messages: JVM-level failures only reach stdout.log. */
export async function describeNodeLogs(spawned: SpawnedNode, lines = 20): Promise<string> {
  const server = lastLines(await readFrom(spawned.node.logFile, spawned.logOffset), lines)
  const stdout = lastLines((await readFrom(stdoutLogFile(spawned.node), 0)).split('\n--- ').at(-1) ?? '', lines)
  const parts = [`--- ${spawned.node.logFile}\n${server || '(empty)'}`]
  if (stdout.split('\n').length > 1) parts.push(`--- ${stdoutLogFile(spawned.node)}\n${stdout}`)
  return parts.join('\n')
}

/**
 * A JVM we just spawned is ready when it logs the started line (after unfencing, right after opening its client
 * listener). Its port alone is not proof: if another process grabbed the port after our check, our JVM dies of a
 * BindException while that process answers. For nodes started earlier, the open port is the signal.
 */
async function hasStarted(item: SpawnedNode): Promise<boolean> {
  if (item.spawned) return (await readFrom(item.node.logFile, item.logOffset)).includes(STARTED_MESSAGE)
  return canConnect(item.node.port, 500)
}

/**
 * Resolves once every node is ready (see hasStarted) and its JVM alive. Throws
 * START_FAILED with the node's last log lines as soon as one JVM dies, START_TIMEOUT after `timeoutMs`.
 */
export async function waitUntilReady(spawned: readonly SpawnedNode[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  const pending = new Set(spawned)
  for (;;) {
    // Every node, ready or not: one that came up and then died (e.g. lost its quorum) fails the start too.
    const dead = spawned.find((item) => !isPidAlive(item.node.pid))
    if (dead !== undefined) throw await startFailure(dead)
    if (pending.size === 0) return
    for (const item of pending) if (await hasStarted(item)) pending.delete(item)
    if (pending.size === 0) continue
    if (Date.now() > deadline) {
      const first = [...pending][0] as SpawnedNode
      const waiting = [...pending].map((item) => item.node.nodeId).join(', ')
      throw new KafkaLocalError(
        KafkaLocalErrorCodes.START_TIMEOUT,
        `Local Kafka not ready within ${timeoutMs} ms (waiting for node ${waiting}).\n${await describeNodeLogs(first)}`,
        { retriable: true, details: { nodes: [...pending].map((item) => item.node) } },
      )
    }
    await sleep(250)
  }
}

async function startFailure(item: SpawnedNode): Promise<KafkaLocalError> {
  const logs = await describeNodeLogs(item)
  const bind = /BindException|Address already in use/.test(logs)
  return new KafkaLocalError(
    bind ? KafkaLocalErrorCodes.PORT_IN_USE : KafkaLocalErrorCodes.START_FAILED,
    bind
      ? `Kafka node ${item.node.nodeId} could not bind 127.0.0.1:${item.node.port} or :${item.node.controllerPort} (already in use).\n${logs}`
      : `Kafka node ${item.node.nodeId} (pid ${item.node.pid}) exited during start.\n${logs}`,
    { details: { node: item.node } },
  )
}
