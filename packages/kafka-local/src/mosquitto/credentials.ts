/**
 * MQTT credentials of the local Mosquitto: the bridge's and one per device (username = sensor id), generated
 * here, kept in `<home>/mqtt/credentials.json` (mode 0600) for the bridge and the simulator, and given to
 * Mosquitto only as PBKDF2-SHA512 hashes made by `mosquitto_passwd -U`.
 */
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { appendFile, chmod, readFile, rm, writeFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { KafkaLocalError, KafkaLocalErrorCodes } from '../errors.ts'
import { BRIDGE_USERNAME, isValidMqttUsername, type MosquittoPaths } from './config.ts'

const exec = promisify(execFile)

export interface MqttCredentials {
  bridge: { username: string; password: string }
  /** Sensor id → password. */
  devices: Record<string, string>
}

export function newPassword(): string {
  return randomBytes(18).toString('base64url')
}

export async function readCredentials(paths: MosquittoPaths): Promise<MqttCredentials | undefined> {
  try {
    return JSON.parse(await readFile(paths.credentials, 'utf8')) as MqttCredentials
  } catch {
    return undefined
  }
}

export async function writeCredentials(paths: MosquittoPaths, credentials: MqttCredentials): Promise<void> {
  await writeFile(paths.credentials, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 })
  await chmod(paths.credentials, 0o600)
}

export async function loadOrCreateCredentials(paths: MosquittoPaths): Promise<MqttCredentials> {
  const existing = await readCredentials(paths)
  if (existing) return existing
  const created = { bridge: { username: BRIDGE_USERNAME, password: newPassword() }, devices: {} }
  await writeCredentials(paths, created)
  return created
}

export function assertValidUsernames(usernames: readonly string[]): void {
  const bad = usernames.find((u) => !isValidMqttUsername(u) || u === BRIDGE_USERNAME)
  if (bad !== undefined) {
    throw new KafkaLocalError(
      KafkaLocalErrorCodes.INVALID_OPTION,
      `"${bad}" cannot be an MQTT device name (letters, digits and . _ , ~ - only, at most 128, not the bridge's)`,
    )
  }
}

/** Hashes `user:password` lines with `mosquitto_passwd -U` in a scratch file and returns the hashed lines. */
export async function hashedPasswordLines(
  scratchFile: string,
  entries: ReadonlyArray<[string, string]>,
  mosquittoPasswd: string,
): Promise<string> {
  if (entries.length === 0) return ''
  await writeFile(scratchFile, entries.map(([user, password]) => `${user}:${password}\n`).join(''), { mode: 0o600 })
  try {
    await exec(mosquittoPasswd, ['-U', scratchFile], { timeout: 120_000 })
    return await readFile(scratchFile, 'utf8')
  } catch (error) {
    throw new KafkaLocalError(KafkaLocalErrorCodes.MOSQUITTO_MISSING, `${mosquittoPasswd} -U failed`, { cause: error })
  } finally {
    await rm(scratchFile, { force: true })
  }
}

/** Rewrites the whole password file from the credentials. */
export async function writePasswordFile(
  paths: MosquittoPaths,
  credentials: MqttCredentials,
  mosquittoPasswd: string,
): Promise<void> {
  const entries: Array<[string, string]> = [
    [credentials.bridge.username, credentials.bridge.password],
    ...Object.entries(credentials.devices),
  ]
  const hashed = await hashedPasswordLines(`${paths.passwd}.new`, entries, mosquittoPasswd)
  await writeFile(paths.passwd, hashed, { mode: 0o600 })
}

/** Adds devices missing from the credentials (random passwords) to both files; returns the new ones. */
export async function addDeviceCredentials(
  paths: MosquittoPaths,
  credentials: MqttCredentials,
  usernames: readonly string[],
  mosquittoPasswd: string,
): Promise<string[]> {
  assertValidUsernames(usernames)
  const added = [...new Set(usernames)].filter((u) => credentials.devices[u] === undefined)
  if (added.length === 0) return []
  for (const username of added) credentials.devices[username] = newPassword()
  const hashed = await hashedPasswordLines(
    `${paths.passwd}.add`,
    added.map((u): [string, string] => [u, credentials.devices[u] ?? '']),
    mosquittoPasswd,
  )
  await appendFile(paths.passwd, hashed, { mode: 0o600 })
  await writeCredentials(paths, credentials)
  return added
}
