import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { KafkaLocalError, KafkaLocalErrorCodes } from './errors.ts'
import { execCommand, lastLines } from './exec.ts'
import { TOOLS_LOG4J_XML, TOOLS_LOG4J_FILE } from './log4j-config.ts'
import { checkMaven } from './prerequisites.ts'
import { isPidAlive } from './processes.ts'

export const DEFAULT_KAFKA_VERSION = '4.2.2'
/** Written last into a lib dir (before it is renamed into place): its presence means every jar is there. */
export const JARS_MARKER_FILE = '.complete'

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url))
const POM_FILE = join(PACKAGE_DIR, 'pom.xml')
export const DEFAULT_LIB_ROOT = join(PACKAGE_DIR, 'lib')

/**
 * log4j2 version shipped in Kafka's own tarball per minor release (from its LICENSE-binary). Any 2.24/2.25 works
 * with all 4.x brokers; matching Kafka just avoids surprises.
 */
const LOG4J2_BY_KAFKA_MINOR: Readonly<Record<string, string>> = {
  '4.1': '2.25.3',
  '4.2': '2.25.4',
  '4.3': '2.25.4',
  '4.4': '2.25.5',
}
const DEFAULT_LOG4J2_VERSION = '2.25.4'

export function log4j2VersionFor(kafkaVersion: string): string {
  const minor = /^(\d+\.\d+)\./.exec(kafkaVersion)?.[1]
  return (minor === undefined ? undefined : LOG4J2_BY_KAFKA_MINOR[minor]) ?? DEFAULT_LOG4J2_VERSION
}

/** Rejects anything that is not a plain release version: it becomes a directory name and a Maven property. */
export function assertKafkaVersion(kafkaVersion: string): void {
  if (!/^\d+\.\d+\.\d+(-[A-Za-z0-9.]+)?$/.test(kafkaVersion)) {
    throw new KafkaLocalError(
      KafkaLocalErrorCodes.INVALID_OPTION,
      `Invalid Kafka version "${kafkaVersion}" (expected e.g. ${DEFAULT_KAFKA_VERSION})`,
    )
  }
}

export interface EnsureKafkaJarsOptions {
  kafkaVersion?: string
  /** Parent of the per-version lib dirs; defaults to this package's `lib/` (git-ignored). */
  libRoot?: string
  mvn?: string
  /** Bounds the Maven download; the first one fetches ~55 MB. */
  timeoutMs?: number
  onProgress?: (message: string) => void
}

/**
 * Returns `<libRoot>/<kafkaVersion>`, a directory holding exactly one Kafka version's jars (the JVM expands
 * `lib/*` in an unspecified order, so two versions side by side would mix classes). Maven fills a private temp
 * dir that is renamed into place only when complete, so concurrent callers and interrupted downloads never
 * leave a half-filled lib dir behind.
 */
export async function ensureKafkaJars(options: EnsureKafkaJarsOptions = {}): Promise<string> {
  const kafkaVersion = options.kafkaVersion ?? DEFAULT_KAFKA_VERSION
  assertKafkaVersion(kafkaVersion)
  const libRoot = options.libRoot ?? DEFAULT_LIB_ROOT
  const libDir = join(libRoot, kafkaVersion)
  if (existsSync(join(libDir, JARS_MARKER_FILE))) return libDir

  await checkMaven(options.mvn === undefined ? {} : { mvn: options.mvn })
  await mkdir(libRoot, { recursive: true })
  await removeAbandonedTempDirs(libRoot, kafkaVersion)
  const tempDir = join(libRoot, `.${kafkaVersion}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`)
  const log4j2Version = log4j2VersionFor(kafkaVersion)
  options.onProgress?.(`Downloading Kafka ${kafkaVersion} jars with Maven into ${libDir} (once)`)
  try {
    await downloadInto(tempDir, kafkaVersion, log4j2Version, options)
    await writeFile(join(tempDir, TOOLS_LOG4J_FILE), TOOLS_LOG4J_XML)
    const marker = { kafkaVersion, log4j2Version, downloadedAt: new Date().toISOString() }
    await writeFile(join(tempDir, JARS_MARKER_FILE), JSON.stringify(marker, null, 2) + '\n')
    await moveIntoPlace(tempDir, libDir)
  } finally {
    await rm(tempDir, { recursive: true, force: true })
  }
  return libDir
}

async function downloadInto(
  tempDir: string,
  kafkaVersion: string,
  log4j2Version: string,
  options: EnsureKafkaJarsOptions,
): Promise<void> {
  const mvn = options.mvn ?? 'mvn'
  const args = [
    '-q',
    '-B',
    '-f',
    POM_FILE,
    'dependency:copy-dependencies',
    `-Dkafka.version=${kafkaVersion}`,
    `-Dlog4j2.version=${log4j2Version}`,
    `-Dlib.dir=${tempDir}`,
  ]
  const result = await execCommand(mvn, args, { timeoutMs: options.timeoutMs ?? 600_000, cwd: PACKAGE_DIR })
  const jars = existsSync(tempDir) ? (await readdir(tempDir)).filter((file) => file.endsWith('.jar')) : []
  const broker = `kafka_2.13-${kafkaVersion}.jar`
  if (result.exitCode === 0 && jars.includes(broker)) return
  const why = result.timedOut
    ? `timed out after ${options.timeoutMs ?? 600_000} ms`
    : result.exitCode === 0
      ? `${broker} is missing from the result`
      : `exit code ${result.exitCode}`
  const output = lastLines((result.stdout + '\n' + result.stderr).replace(/\u001b\[[0-9;]*m/g, ''), 20)
  throw new KafkaLocalError(
    KafkaLocalErrorCodes.JARS_FAILED,
    `Downloading the Kafka ${kafkaVersion} jars with Maven failed (${why}). Check network access to Maven Central.` +
      (output === '' ? '' : `\n${output}`),
    { retriable: true, details: { kafkaVersion, command: [mvn, ...args].join(' ') } },
  )
}

async function moveIntoPlace(tempDir: string, libDir: string): Promise<void> {
  try {
    await rename(tempDir, libDir)
    return
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'EPERM') throw error
  }
  // A concurrent caller won the race: its dir got the marker before its rename, so it is complete.
  if (existsSync(join(libDir, JARS_MARKER_FILE))) return
  // Otherwise the dir is debris not written by this code (no marker): replace it.
  await rm(libDir, { recursive: true, force: true })
  await rename(tempDir, libDir)
}

/** Temp dirs of downloads whose process died (Ctrl-C during the first start) are removed. */
async function removeAbandonedTempDirs(libRoot: string, kafkaVersion: string): Promise<void> {
  const prefix = `.${kafkaVersion}.tmp-`
  for (const entry of await readdir(libRoot)) {
    if (!entry.startsWith(prefix)) continue
    const pid = Number(entry.slice(prefix.length).split('-')[0])
    if (Number.isInteger(pid) && !isPidAlive(pid)) await rm(join(libRoot, entry), { recursive: true, force: true })
  }
}
