/**
 * A Kafka Connect worker in distributed mode (Apache Kafka's own runtime, from the same Maven jars as the broker)
 * under the Isobar home: `startConnect` writes its properties and runs `ConnectDistributed` detached with a pid
 * file, ready when its REST API on 127.0.0.1 answers `GET /connectors`; `stopConnect` stops it by that pid.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { KafkaLocalError, KafkaLocalErrorCodes } from '../errors.ts'
import { lastLines } from '../exec.ts'
import { DEFAULT_KAFKA_VERSION, DEFAULT_LIB_ROOT, JARS_MARKER_FILE } from '../jars.ts'
import { ManagedProcess, assertPortFree, type ManagedStatus } from '../managed-process.ts'
import { isOwnProcess, signalPid, sleep, waitForPortsFree } from '../processes.ts'
import {
  DEFAULT_CONNECT_GROUP,
  DEFAULT_CONNECT_HEAP_MB,
  DEFAULT_CONNECT_PORT,
  connectJvmArgs,
  connectLog4jXml,
  connectPaths,
  connectWorkerProperties,
  type ConnectPaths,
} from './config.ts'
import { CONVERTER_JAR, connectPluginPath } from './plugins.ts'

export interface ConnectOptions {
  homeDir: string
  bootstrapServers: string
  /** REST port on 127.0.0.1 (default 8083). */
  port?: number
  /** Worker group and internal topic prefix (default isobar-connect). */
  groupId?: string
  heapMb?: number
  kafkaVersion?: string
  libRoot?: string
  java?: string
  extraWorkerConfig?: Readonly<Record<string, string>>
  timeoutMs?: number
}

export type ConnectStatus = ManagedStatus

export interface RunningConnect {
  reused: boolean
  pid: number
  port: number
  url: string
  dir: string
  log: string
}

const LISTENER_PORT = /^listeners=http:\/\/127\.0\.0\.1:(\d+)$/m

/** The worker as a managed process: ours when its command line names its worker.properties. */
function worker(paths: ConnectPaths): ManagedProcess {
  return new ManagedProcess(paths, { marker: paths.properties, portPattern: LISTENER_PORT, scheme: 'http' })
}

export async function connectStatus(options: { homeDir: string }): Promise<ConnectStatus> {
  return worker(connectPaths(options.homeDir)).status()
}

/** True when the worker's REST API lists connectors (it answers 503 until the worker joined its group). */
async function restReady(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/connectors`, { signal: AbortSignal.timeout(5_000) })
    await response.body?.cancel()
    return response.status === 200
  } catch {
    return false
  }
}

export async function startConnect(options: ConnectOptions): Promise<RunningConnect> {
  const paths = connectPaths(options.homeDir)
  const existing = await worker(paths).pid()
  if (existing !== undefined) {
    const port = (await worker(paths).port()) ?? options.port ?? DEFAULT_CONNECT_PORT
    const url = `http://127.0.0.1:${port}`
    await waitReady(url, existing, paths, options.timeoutMs ?? 180_000)
    return { reused: true, pid: existing, port, url, dir: paths.dir, log: paths.log }
  }
  const libRoot = options.libRoot ?? DEFAULT_LIB_ROOT
  const libDir = join(libRoot, options.kafkaVersion ?? DEFAULT_KAFKA_VERSION)
  const pluginPath = connectPluginPath(libRoot)
  const missing = [
    existsSync(join(libDir, JARS_MARKER_FILE)) ? undefined : `the Kafka jars (${libDir}): npm run kafka:jars`,
    existsSync(join(pluginPath, 'debezium-jdbc', JARS_MARKER_FILE)) ? undefined : 'the Debezium JDBC sink',
    existsSync(join(pluginPath, 'isobar-converter', CONVERTER_JAR)) ? undefined : 'the registry converter',
  ].filter((m) => m !== undefined)
  if (missing.length > 0) {
    throw new KafkaLocalError(
      KafkaLocalErrorCodes.CONNECT_FAILED,
      `missing ${missing.join(', ')}: run npm run connect:jars first`,
    )
  }
  const port = options.port ?? DEFAULT_CONNECT_PORT
  // A worker of this home that just died (kill -9) may hold its REST socket a moment longer: wait for it.
  if (existsSync(paths.pid)) await waitForPortsFree([port], 15_000)
  await assertPortFree(port)
  await mkdir(paths.dir, { recursive: true, mode: 0o700 })
  await writeFile(
    paths.properties,
    connectWorkerProperties({
      bootstrapServers: options.bootstrapServers,
      port,
      groupId: options.groupId ?? DEFAULT_CONNECT_GROUP,
      pluginPath,
      ...(options.extraWorkerConfig === undefined ? {} : { extra: options.extraWorkerConfig }),
    }),
    { mode: 0o600 },
  )
  await writeFile(paths.log4j, connectLog4jXml(paths))
  const out = await open(paths.stdout, 'a')
  const args = connectJvmArgs(paths, libDir, options.heapMb ?? DEFAULT_CONNECT_HEAP_MB)
  const child = spawn(options.java ?? 'java', args, { detached: true, stdio: ['ignore', out.fd, out.fd] })
  await out.close()
  const pid = child.pid
  child.unref()
  if (pid === undefined) throw new KafkaLocalError(KafkaLocalErrorCodes.CONNECT_FAILED, 'the Connect JVM did not start')
  await writeFile(paths.pid, `${pid}\n`)
  const url = `http://127.0.0.1:${port}`
  try {
    await waitReady(url, pid, paths, options.timeoutMs ?? 180_000)
  } catch (error) {
    signalPid(pid, 'SIGKILL')
    await rm(paths.pid, { force: true })
    throw error
  }
  return { reused: false, pid, port, url, dir: paths.dir, log: paths.log }
}

async function waitReady(url: string, pid: number, paths: ConnectPaths, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await restReady(url))) {
    const dead = !isOwnProcess(pid, paths.properties)
    if (dead || Date.now() > deadline) {
      const log = await readFile(paths.log, 'utf8').catch(() => '')
      const errors = log.split('\n').filter((line) => / (ERROR|FATAL) /.test(line))
      const stdout = await readFile(paths.stdout, 'utf8').catch(() => '')
      const why = lastLines(errors.join('\n'), 3) || lastLines(stdout, 3) || '(no log)'
      throw new KafkaLocalError(
        KafkaLocalErrorCodes.CONNECT_FAILED,
        `Kafka Connect ${dead ? 'exited' : `was not ready after ${timeoutMs} ms`}: ${why.replaceAll('\n', ' | ')}`,
        { retriable: !dead },
      )
    }
    await sleep(500)
  }
}

/** Stops the home's worker by its pid (SIGTERM: it leaves its group and commits offsets); true if one ran. */
export async function stopConnect(options: { homeDir: string; timeoutMs?: number }): Promise<boolean> {
  return worker(connectPaths(options.homeDir)).stop({
    signal: 'SIGTERM',
    timeoutMs: options.timeoutMs ?? 30_000,
    removePidFile: true,
  })
}
