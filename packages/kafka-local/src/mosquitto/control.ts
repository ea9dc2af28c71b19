/**
 * A local Mosquitto (the broker users run) under the Isobar home: `startMosquitto` generates its config, password
 * and ACL files and runs `mosquitto -c <conf>` detached on 127.0.0.1 with a pid file; `stopMosquitto` stops it
 * by that pid; `provisionMqttDevices` gives devices credentials and makes a running Mosquitto reload them.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises'
import { KafkaLocalError, KafkaLocalErrorCodes } from '../errors.ts'
import { lastLines } from '../exec.ts'
import { ManagedProcess, assertPortFree, type ManagedStatus } from '../managed-process.ts'
import { canConnect, isOwnProcess, signalPid, sleep } from '../processes.ts'
import { DEFAULT_MQTT_PORT, mosquittoAcl, mosquittoConf, mosquittoPaths, type MosquittoPaths } from './config.ts'
import {
  addDeviceCredentials,
  loadOrCreateCredentials,
  readCredentials,
  writePasswordFile,
  type MqttCredentials,
} from './credentials.ts'

export interface MosquittoOptions {
  homeDir: string
  /** Default 1883. */
  port?: number
  /** Default 1,000,000 (see MosquittoSettings.maxQueuedMessages). */
  maxQueuedMessages?: number
  /** Devices to provision before the start (username = sensor id). */
  devices?: readonly string[]
  mosquittoBin?: string
  mosquittoPasswdBin?: string
  timeoutMs?: number
}

export type MosquittoStatus = ManagedStatus

export interface RunningMosquitto extends Required<Pick<MosquittoStatus, 'pid' | 'port' | 'url'>> {
  reused: boolean
  dir: string
  credentials: MqttCredentials
}

function binary(name: string, given: string | undefined): string {
  if (given) return given
  // Debian installs the broker in /usr/sbin, which a normal user's PATH may lack.
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin'])) {
    if (dir && existsSync(`${dir}/${name}`)) return `${dir}/${name}`
  }
  throw new KafkaLocalError(
    KafkaLocalErrorCodes.MOSQUITTO_MISSING,
    `${name} not found: install Mosquitto (Debian/Ubuntu: apt-get install mosquitto)`,
  )
}

/** Mosquitto as a managed process: ours when its command line names its mosquitto.conf. */
function broker(paths: MosquittoPaths): ManagedProcess {
  return new ManagedProcess(paths, { marker: paths.conf, portPattern: /^listener (\d+) /m, scheme: 'mqtt' })
}

export async function mosquittoStatus(options: { homeDir: string }): Promise<MosquittoStatus> {
  return broker(mosquittoPaths(options.homeDir)).status()
}

/** The last lines of a log, on one line (exec.ts's lastLines). */
async function logTail(file: string): Promise<string> {
  return lastLines(await readFile(file, 'utf8').catch(() => ''), 5).replaceAll('\n', ' | ')
}

export async function startMosquitto(options: MosquittoOptions): Promise<RunningMosquitto> {
  const paths = mosquittoPaths(options.homeDir)
  const port = options.port ?? DEFAULT_MQTT_PORT
  const passwdBin = binary('mosquitto_passwd', options.mosquittoPasswdBin)
  const existing = await broker(paths).pid()
  if (existing !== undefined) {
    const credentials = await loadOrCreateCredentials(paths)
    await provision(paths, credentials, options.devices ?? [], passwdBin, existing)
    const running = (await broker(paths).port()) ?? port
    return {
      reused: true,
      pid: existing,
      port: running,
      url: `mqtt://127.0.0.1:${running}`,
      dir: paths.dir,
      credentials,
    }
  }
  const mosquittoBin = binary('mosquitto', options.mosquittoBin)
  await assertPortFree(port)
  await mkdir(paths.data, { recursive: true, mode: 0o700 })
  const credentials = await loadOrCreateCredentials(paths)
  await provisionAll(paths, credentials, options.devices ?? [], passwdBin)
  await writeFile(paths.acl, mosquittoAcl(), { mode: 0o600 })
  const settings = {
    port,
    maxQueuedMessages: options.maxQueuedMessages ?? 1_000_000,
    ...(process.getuid?.() === 0 ? { runAsUser: 'root' } : {}),
  }
  await writeFile(paths.conf, mosquittoConf(paths, settings), { mode: 0o600 })
  const log = await open(`${paths.log}.stdout`, 'a')
  const child = spawn(mosquittoBin, ['-c', paths.conf], { detached: true, stdio: ['ignore', log.fd, log.fd] })
  await log.close()
  const pid = child.pid
  child.unref()
  if (pid === undefined) throw new KafkaLocalError(KafkaLocalErrorCodes.MOSQUITTO_FAILED, 'mosquitto did not start')
  await writeFile(paths.pid, `${pid}\n`)
  const deadline = Date.now() + (options.timeoutMs ?? 15_000)
  while (!(await canConnect(port))) {
    if (child.exitCode !== null || !isOwnProcess(pid, paths.conf) || Date.now() > deadline) {
      signalPid(pid, 'SIGKILL')
      await rm(paths.pid, { force: true })
      const why = (await logTail(paths.log)) || (await logTail(`${paths.log}.stdout`))
      throw new KafkaLocalError(KafkaLocalErrorCodes.MOSQUITTO_FAILED, `mosquitto did not come up: ${why}`)
    }
    await sleep(100)
  }
  return { reused: false, pid, port, url: `mqtt://127.0.0.1:${port}`, dir: paths.dir, credentials }
}

/** Rewrites the password file with every known device (`devices` added with new passwords). */
async function provisionAll(
  paths: MosquittoPaths,
  credentials: MqttCredentials,
  devices: readonly string[],
  passwdBin: string,
): Promise<void> {
  await writePasswordFile(paths, credentials, passwdBin)
  await addDeviceCredentials(paths, credentials, devices, passwdBin)
}

async function provision(
  paths: MosquittoPaths,
  credentials: MqttCredentials,
  devices: readonly string[],
  passwdBin: string,
  pid: number,
): Promise<void> {
  const added = await addDeviceCredentials(paths, credentials, devices, passwdBin)
  // SIGHUP: Mosquitto reloads its password and ACL files; give it a moment before devices connect.
  if (added.length > 0) {
    signalPid(pid, 'SIGHUP')
    await sleep(300)
  }
}

/**
 * Gives each device a password (kept ones unchanged) and, when Mosquitto runs, makes it reload; returns the
 * passwords of the asked devices. For provisioning tools and the simulator.
 */
export async function provisionMqttDevices(options: {
  homeDir: string
  devices: readonly string[]
  mosquittoPasswdBin?: string
}): Promise<Record<string, string>> {
  const paths = mosquittoPaths(options.homeDir)
  const passwdBin = binary('mosquitto_passwd', options.mosquittoPasswdBin)
  await mkdir(paths.data, { recursive: true, mode: 0o700 })
  const credentials = await loadOrCreateCredentials(paths)
  const pid = await broker(paths).pid()
  if (pid === undefined) await provisionAll(paths, credentials, options.devices, passwdBin)
  else await provision(paths, credentials, options.devices, passwdBin, pid)
  return Object.fromEntries(options.devices.map((d) => [d, credentials.devices[d] ?? '']))
}

/** The bridge's username and password (undefined before the first start). */
export async function mqttBridgeCredentials(options: {
  homeDir: string
}): Promise<{ username: string; password: string } | undefined> {
  return (await readCredentials(mosquittoPaths(options.homeDir)))?.bridge
}

/** Stops the home's Mosquitto by its pid (SIGTERM saves its persistence file); true if one was running. */
export async function stopMosquitto(options: { homeDir: string; timeoutMs?: number }): Promise<boolean> {
  return broker(mosquittoPaths(options.homeDir)).stop({
    signal: 'SIGTERM',
    timeoutMs: options.timeoutMs ?? 10_000,
    removePidFile: true,
  })
}
