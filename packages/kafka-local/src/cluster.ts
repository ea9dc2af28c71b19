import { chmod, mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  assertNodeCount,
  bootstrapServers,
  clusterLayout,
  defaultBasePort,
  serverProperties,
  type BrokerConfigValue,
  type NodeLayout,
} from './config.ts'
import { KafkaLocalError, KafkaLocalErrorCodes } from './errors.ts'
import { assertKafkaVersion, DEFAULT_KAFKA_VERSION, ensureKafkaJars } from './jars.ts'
import { BROKER_LOG4J_FILE, BROKER_LOG4J_XML } from './log4j-config.ts'
import { runningNode, spawnNode, waitUntilReady, type JvmSettings, type SpawnedNode } from './node-runner.ts'
import { checkJava } from './prerequisites.ts'
import { isOwnProcess, signalPid, terminatePids, waitForPortsFree } from './processes.ts'
import {
  acquireStartLock,
  clusterDir,
  DEFAULT_CLUSTER_NAME,
  propertiesFile,
  readClusterRecord,
  readFormatRecord,
  removeClusterRecord,
  writeClusterRecord,
} from './state.ts'
import { applyAcls } from './security/acls.ts'
import { secureBrokerSettings } from './security/broker-settings.ts'
import {
  addScramArgs,
  caFile,
  clientPropertiesFile,
  createClusterSecrets,
  readClientCredentials,
  readClusterSecrets,
  securityDir,
  type ClusterSecrets,
} from './security/credentials.ts'
import { LOCAL_PRINCIPALS, serviceAcls, type LocalPrincipal } from './security/principals.ts'
import { formatStorage, reusableClusterId } from './storage.ts'
import type {
  KafkaLocalProgress,
  LocalKafkaCluster,
  LocalKafkaSecurity,
  LocalKafkaSecurityMode,
  StartLocalKafkaOptions,
} from './types.ts'

export const DEFAULT_HEAP_MB = 512
export const DEFAULT_READY_TIMEOUT_MS = 90_000

/**
 * Starts a local Kafka (KRaft, combined broker+controller nodes on 127.0.0.1) and resolves once every node is
 * ready, or returns the one already running under this name (`reused: true`). The JVMs are detached: they keep
 * running after this process exits, until stopLocalKafka. Data survives restarts when the layout is unchanged.
 */
export async function startLocalKafka(options: StartLocalKafkaOptions): Promise<LocalKafkaCluster> {
  const name = options.name ?? DEFAULT_CLUSTER_NAME
  const nodes = options.nodes ?? 1
  assertNodeCount(nodes)
  const basePort = options.basePort ?? defaultBasePort(nodes)
  const kafkaVersion = options.kafkaVersion ?? DEFAULT_KAFKA_VERSION
  assertKafkaVersion(kafkaVersion)
  const heapMb = options.heapMb ?? DEFAULT_HEAP_MB
  if (!Number.isInteger(heapMb) || heapMb < 128) {
    throw new KafkaLocalError(KafkaLocalErrorCodes.INVALID_OPTION, `heapMb must be an integer >= 128 (got ${heapMb})`)
  }
  const readyTimeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS
  const dir = clusterDir(options.homeDir, name)
  const layout = clusterLayout(dir, nodes, basePort)
  await mkdir(dir, { recursive: true })
  const release = await acquireStartLock(dir, readyTimeoutMs)
  try {
    const existing = await readClusterRecord(dir)
    const resumed = existing === undefined ? undefined : await resume(existing, options, readyTimeoutMs)
    if (resumed !== undefined) return resumed
    const security = options.security ?? (await readFormatRecord(dir))?.security ?? 'none'
    assertSecurityMode(security)
    const fresh = { ...options, name, kafkaVersion, heapMb, security }
    return await startFresh(fresh, dir, layout, basePort, readyTimeoutMs)
  } finally {
    await release()
  }
}

interface FreshStart extends StartLocalKafkaOptions {
  name: string
  kafkaVersion: string
  heapMb: number
  security: LocalKafkaSecurityMode
}

function assertSecurityMode(mode: string): asserts mode is LocalKafkaSecurityMode {
  if (mode !== 'none' && mode !== 'sasl_ssl') {
    throw new KafkaLocalError(KafkaLocalErrorCodes.INVALID_OPTION, `security must be none or sasl_ssl (got ${mode})`)
  }
}

/** Where clients find the CA and each principal's credentials. */
function clusterSecurity(dir: string): LocalKafkaSecurity {
  const principals = Object.keys(LOCAL_PRINCIPALS) as LocalPrincipal[]
  return {
    protocol: 'SASL_SSL',
    mechanism: 'SCRAM-SHA-512',
    caFile: caFile(dir),
    clients: Object.fromEntries(principals.map((p) => [p, clientPropertiesFile(dir, p)])) as Record<
      LocalPrincipal,
      string
    >,
  }
}

async function startFresh(
  options: FreshStart,
  dir: string,
  layout: NodeLayout[],
  basePort: number,
  readyTimeoutMs: number,
): Promise<LocalKafkaCluster> {
  const started = Date.now()
  const progress = (step: KafkaLocalProgress['step'], message: string) => options.onProgress?.({ step, message })
  const java = options.java ?? 'java'
  await checkJava({ java })
  const libDir = await ensureKafkaJars({
    kafkaVersion: options.kafkaVersion,
    ...(options.libRoot === undefined ? {} : { libRoot: options.libRoot }),
    ...(options.mvn === undefined ? {} : { mvn: options.mvn }),
    onProgress: (message) => progress('jars', message),
  })
  await assertPortsFree(layout)
  const secure = options.security === 'sasl_ssl'
  const storage = {
    clusterDir: dir,
    layout,
    kafkaVersion: options.kafkaVersion,
    basePort,
    libDir,
    java,
    security: options.security,
  }
  let clusterId = await reusableClusterId(storage)
  let secrets = secure ? await readClusterSecrets(dir) : undefined
  if (secure && secrets === undefined) clusterId = undefined
  if (clusterId === undefined) {
    // New SCRAM users and certificates with every format; a plain cluster keeps no stale secrets around.
    if (secure) {
      progress('format', 'Creating a CA, the broker certificate and SCRAM credentials (SASL_SSL)')
      secrets = await createClusterSecrets(dir, java)
    } else {
      await rm(securityDir(dir), { recursive: true, force: true })
    }
  }
  await writeNodeConfigs(layout, options.brokerConfig ?? {}, secrets)
  if (clusterId === undefined) {
    progress('format', `Formatting storage for a new ${layout.length}-node cluster in ${dir}`)
    clusterId = await formatStorage({ ...storage, ...(secrets ? { formatArgs: addScramArgs(secrets) } : {}) })
  }
  const servers = bootstrapServers(layout)
  progress('spawn', `Starting Kafka ${options.kafkaVersion} (${layout.length} node(s)) on ${servers}`)
  const metrics = options.metrics
  const spawned = spawnAll(layout, { java, libDir, heapMb: options.heapMb, ...(metrics ? { metrics } : {}) })
  const cluster: LocalKafkaCluster = {
    name: options.name,
    bootstrapServers: servers,
    nodes: spawned.map((item) => item.node),
    kafkaVersion: options.kafkaVersion,
    libDir,
    reused: false,
    dir,
    clusterId,
    heapMb: options.heapMb,
    java,
    ...(metrics ? { metrics } : {}),
    startedAt: new Date().toISOString(),
    ...(secure ? { security: clusterSecurity(dir) } : {}),
  }
  try {
    // Recorded before waiting, so a start interrupted by Ctrl-C can still be found and stopped.
    await writeClusterRecord(cluster)
    await waitUntilReady(spawned, readyTimeoutMs)
    if (secure) {
      progress('ready', 'Creating the ACLs of the service principals')
      await applyAcls(
        layout.map((node) => `127.0.0.1:${node.port}`),
        readClientCredentials(dir, 'admin'),
        serviceAcls(),
      )
    }
  } catch (error) {
    await terminatePids(
      spawned.map((item) => item.node.pid),
      5_000,
    )
    await removeClusterRecord(dir)
    throw error
  }
  progress('ready', `Kafka ready at ${servers} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  return cluster
}

/** All JVMs at once: a node logs "started" only once a quorum majority is up, so one by one would deadlock. */
function spawnAll(layout: readonly NodeLayout[], settings: JvmSettings): SpawnedNode[] {
  const spawned: SpawnedNode[] = []
  try {
    for (const node of layout) spawned.push(spawnNode(node, settings))
  } catch (error) {
    for (const item of spawned) signalPid(item.node.pid, 'SIGKILL')
    throw error
  }
  return spawned
}

/**
 * Handles an existing cluster.json. No live JVM: stale record, removed, undefined (start fresh). Otherwise the
 * cluster is reused: nodes that died are started again with their recorded settings, and all must become ready.
 */
async function resume(
  existing: LocalKafkaCluster,
  options: StartLocalKafkaOptions,
  readyTimeoutMs: number,
): Promise<LocalKafkaCluster | undefined> {
  const dead = existing.nodes.filter((node) => !isOwnProcess(node.pid, propertiesFile(node)))
  if (dead.length === existing.nodes.length) {
    await removeClusterRecord(existing.dir)
    return undefined
  }
  assertCompatible(existing, options)
  options.onProgress?.({
    step: 'reuse',
    message: `Local Kafka "${existing.name}" is running at ${existing.bootstrapServers}`,
  })
  await assertPortsFree(dead, 10_000)
  const settings = {
    java: existing.java,
    libDir: existing.libDir,
    heapMb: existing.heapMb,
    ...(existing.metrics ? { metrics: existing.metrics } : {}),
  }
  const respawned = new Map(dead.map((node) => [node.nodeId, spawnNode(node, settings)]))
  // Live nodes are waited for too (port check): one may be in the middle of its own start.
  const spawned = existing.nodes.map((node) => respawned.get(node.nodeId) ?? runningNode(node))
  const cluster: LocalKafkaCluster = { ...existing, nodes: spawned.map((item) => item.node), reused: true }
  if (respawned.size > 0) await writeClusterRecord(cluster)
  try {
    await waitUntilReady(spawned, readyTimeoutMs)
  } catch (error) {
    // Only the JVMs started here are stopped; the others were running before this call.
    await terminatePids(
      [...respawned.values()].map((item) => item.node.pid),
      5_000,
    )
    throw error
  }
  return cluster
}

function assertCompatible(existing: LocalKafkaCluster, options: StartLocalKafkaOptions): void {
  const first = existing.nodes[0]
  const mismatch =
    (options.nodes !== undefined && options.nodes !== existing.nodes.length) ||
    (options.basePort !== undefined && options.basePort !== first?.port) ||
    (options.kafkaVersion !== undefined && options.kafkaVersion !== existing.kafkaVersion) ||
    (options.security !== undefined && options.security !== (existing.security ? 'sasl_ssl' : 'none'))
  if (!mismatch) return
  const wanted = [
    options.nodes === undefined ? undefined : `${options.nodes} node(s)`,
    options.basePort === undefined ? undefined : `port ${options.basePort}`,
    options.kafkaVersion === undefined ? undefined : `Kafka ${options.kafkaVersion}`,
    options.security === undefined ? undefined : `security ${options.security}`,
  ].filter((part) => part !== undefined)
  throw new KafkaLocalError(
    KafkaLocalErrorCodes.CLUSTER_MISMATCH,
    `Local Kafka "${existing.name}" is already running with ${existing.nodes.length} node(s) at ` +
      `${existing.bootstrapServers} (Kafka ${existing.kafkaVersion}, security ${existing.security ? 'sasl_ssl' : 'none'}); stop it first to start it with ${wanted.join(', ')}.`,
    { details: { cluster: existing } },
  )
}

/**
 * PORT_IN_USE naming the first busy port. `graceMs` covers a JVM of ours that just died: the kernel frees its
 * listening sockets only once all its threads are gone.
 */
export async function assertPortsFree(
  layout: readonly Pick<NodeLayout, 'nodeId' | 'port' | 'controllerPort'>[],
  graceMs = 0,
): Promise<void> {
  const busy = await waitForPortsFree(
    layout.flatMap((node) => [node.port, node.controllerPort]),
    graceMs,
  )
  const port = busy[0]
  if (port === undefined) return
  const node = layout.find((candidate) => candidate.port === port || candidate.controllerPort === port)
  const role = node?.port === port ? 'client' : 'controller'
  throw new KafkaLocalError(
    KafkaLocalErrorCodes.PORT_IN_USE,
    `Port ${port} on 127.0.0.1 (node ${node?.nodeId} ${role} port) is already in use by another process. ` +
      'Stop that process or choose another basePort.',
    { details: { port, nodeId: node?.nodeId, role, busy } },
  )
}

/** Rewritten on every fresh start, so a new version of this package applies its settings to existing data. */
async function writeNodeConfigs(
  layout: readonly NodeLayout[],
  extra: Readonly<Record<string, BrokerConfigValue>>,
  secrets: ClusterSecrets | undefined,
): Promise<void> {
  for (const node of layout) {
    await mkdir(node.dir, { recursive: true })
    const security = secrets ? secureBrokerSettings(node, secrets) : {}
    // 0600: a secured node's file holds its keystore password and inter-broker login.
    await writeFile(propertiesFile(node), serverProperties(layout, node.nodeId, extra, security), { mode: 0o600 })
    await chmod(propertiesFile(node), 0o600)
    await writeFile(join(node.dir, BROKER_LOG4J_FILE), BROKER_LOG4J_XML)
  }
}
