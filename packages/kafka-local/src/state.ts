import { readFileSync } from 'node:fs'
import { open, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { KafkaLocalError, KafkaLocalErrorCodes } from './errors.ts'
import { isPidAlive, sleep } from './processes.ts'
import type { LocalKafkaCluster, NodeInfo } from './types.ts'

export const DEFAULT_CLUSTER_NAME = 'dev'
const CLUSTER_FILE = 'cluster.json'
const FORMAT_FILE = 'format.json'
const LOCK_FILE = 'start.lock'

export function clusterDir(homeDir: string, name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new KafkaLocalError(
      KafkaLocalErrorCodes.INVALID_OPTION,
      `Invalid cluster name "${name}" (letters, digits, '.', '_', '-')`,
    )
  }
  return join(homeDir, 'kafka', name)
}

export function propertiesFile(node: Pick<NodeInfo, 'dir'>): string {
  return join(node.dir, 'server.properties')
}

export function stdoutLogFile(node: Pick<NodeInfo, 'dir'>): string {
  return join(node.dir, 'stdout.log')
}

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown
  } catch {
    return undefined // missing or torn: both mean "no usable record"
  }
}

/** Write-then-rename, so a reader never sees half a file. */
async function writeJson(file: string, value: unknown): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`
  await writeFile(temp, JSON.stringify(value, null, 2) + '\n')
  await rename(temp, file)
}

export async function readClusterRecord(dir: string): Promise<LocalKafkaCluster | undefined> {
  return asClusterRecord(await readJson(join(dir, CLUSTER_FILE)))
}

/** Sync variant for callers that cannot await (a CLI resolving its default bootstrap servers). */
export function readClusterRecordSync(dir: string): LocalKafkaCluster | undefined {
  try {
    return asClusterRecord(JSON.parse(readFileSync(join(dir, CLUSTER_FILE), 'utf8')))
  } catch {
    return undefined
  }
}

function asClusterRecord(value: unknown): LocalKafkaCluster | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const record = value as Partial<LocalKafkaCluster>
  if (!Array.isArray(record.nodes) || typeof record.bootstrapServers !== 'string') return undefined
  return value as LocalKafkaCluster
}

export async function writeClusterRecord(cluster: LocalKafkaCluster): Promise<void> {
  await writeJson(join(cluster.dir, CLUSTER_FILE), { ...cluster, reused: false })
}

export async function removeClusterRecord(dir: string): Promise<void> {
  await rm(join(dir, CLUSTER_FILE), { force: true })
}

/**
 * What the data dirs were formatted for. The voters' controller endpoints are written into the metadata log at
 * format time and storage is not forward-compatible across every version, so data is kept only for an identical
 * version, node count and port layout.
 */
export interface FormatRecord {
  clusterId: string
  kafkaVersion: string
  nodes: number
  basePort: number
  formattedAt: string
  /** Absent in records written before security existed: `none`. */
  security?: 'none' | 'sasl_ssl'
}

export async function readFormatRecord(dir: string): Promise<FormatRecord | undefined> {
  const value = await readJson(join(dir, FORMAT_FILE))
  if (typeof value !== 'object' || value === null) return undefined
  return typeof (value as Partial<FormatRecord>).clusterId === 'string' ? (value as FormatRecord) : undefined
}

export async function writeFormatRecord(dir: string, record: FormatRecord): Promise<void> {
  await writeJson(join(dir, FORMAT_FILE), record)
}

export async function removeFormatRecord(dir: string): Promise<void> {
  await rm(join(dir, FORMAT_FILE), { force: true })
}

/** Parses a meta.properties file (`cluster.id`, `node.id`, `directory.id`); undefined if absent. */
export async function readMetaProperties(dataDir: string): Promise<Record<string, string> | undefined> {
  let text: string
  try {
    text = await readFile(join(dataDir, 'meta.properties'), 'latin1')
  } catch {
    return undefined
  }
  const entries = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const)
  return Object.fromEntries(entries)
}

/**
 * Serializes starts of one cluster across processes (a CLI and a test run starting 'dev' at the same moment would
 * both format and fight over the ports). The lock file holds the owner's pid, so a crashed owner's lock is broken.
 */
export async function acquireStartLock(dir: string, timeoutMs: number): Promise<() => Promise<void>> {
  const file = join(dir, LOCK_FILE)
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const handle = await open(file, 'wx')
      await handle.writeFile(String(process.pid))
      await handle.close()
      return () => rm(file, { force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim())
    if (owner !== process.pid && owner > 0 && !isPidAlive(owner)) {
      await rm(file, { force: true })
      continue
    }
    if (Date.now() > deadline) {
      throw new KafkaLocalError(
        KafkaLocalErrorCodes.START_TIMEOUT,
        `Another process (pid ${owner || 'unknown'}) is still starting the local Kafka in ${dir}; gave up waiting after ${timeoutMs} ms`,
        { retriable: true, details: { lockFile: file } },
      )
    }
    await sleep(250)
  }
}
