import { KafkaLocalError, KafkaLocalErrorCodes } from './errors.ts'
import { execCommand, isEnoent } from './exec.ts'

/** Kafka's broker, tools and storage modules are compiled with `--release 17`. */
export const MIN_JAVA_MAJOR = 17
/** maven-dependency-plugin 3.8.1 (pinned in pom.xml) needs Maven 3.6.3. */
export const MIN_MAVEN_VERSION = '3.6.3'

const ALTERNATIVE = 'or set KAFKA_BOOTSTRAP_SERVERS to an existing cluster.'
const INSTALL_JAVA = 'Install it (Debian: apt-get install openjdk-17-jre-headless; macOS: brew install openjdk@17)'
const INSTALL_MAVEN = 'Install it (Debian: apt-get install maven; macOS: brew install maven)'

export interface JavaInfo {
  major: number
  version: string
}

export interface MavenInfo {
  version: string
}

/**
 * Parses the output of `java -version` (printed on stderr). Handles the pre-9 scheme (`"1.8.0_292"` is 8) and
 * short forms such as `"21"` or `"24-ea"`. Returns undefined when no version string is found.
 */
export function parseJavaVersion(output: string): JavaInfo | undefined {
  const match = /version "([^"]+)"/.exec(output)
  const version = match?.[1]
  if (version === undefined) return undefined
  const parts = /^(\d+)(?:\.(\d+))?/.exec(version)
  if (parts === null) return undefined
  const first = Number(parts[1])
  const major = first === 1 && parts[2] !== undefined ? Number(parts[2]) : first
  return { major, version }
}

/** Parses `mvn -v` output; Maven colours its banner even in batch mode, so ANSI escapes are dropped first. */
export function parseMavenVersion(output: string): MavenInfo | undefined {
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '')
  const version = /Apache Maven (\d+\.\d+\.\d+)/.exec(plain)?.[1]
  return version === undefined ? undefined : { version }
}

/** Compares dotted numeric versions: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number)
  const right = b.split('.').map(Number)
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0)
    if (diff !== 0) return diff
  }
  return 0
}

export interface CheckJavaOptions {
  /** The java executable; defaults to `java` on the PATH. */
  java?: string
}

export async function checkJava(options: CheckJavaOptions = {}): Promise<JavaInfo> {
  const java = options.java ?? 'java'
  const missing = (found: string, cause?: unknown) =>
    new KafkaLocalError(
      KafkaLocalErrorCodes.JAVA_MISSING,
      `Java ${MIN_JAVA_MAJOR}+ is required to run the local Kafka (${found}). ${INSTALL_JAVA} ${ALTERNATIVE}`,
      { cause, details: { java } },
    )
  let output: string
  try {
    const result = await execCommand(java, ['-version'], { timeoutMs: 30_000 })
    output = result.stderr + result.stdout
  } catch (error) {
    throw missing(isEnoent(error) ? `"${java}" not found` : `"${java} -version" failed`, error)
  }
  const info = parseJavaVersion(output)
  if (info === undefined) throw missing(`could not read the version of "${java}"`)
  if (info.major < MIN_JAVA_MAJOR) throw missing(`found ${info.major}`)
  return info
}

export interface CheckMavenOptions {
  /** The Maven executable; defaults to `mvn` on the PATH. */
  mvn?: string
}

export async function checkMaven(options: CheckMavenOptions = {}): Promise<MavenInfo> {
  const mvn = options.mvn ?? 'mvn'
  const missing = (found: string, cause?: unknown) =>
    new KafkaLocalError(
      KafkaLocalErrorCodes.MAVEN_MISSING,
      `Maven ${MIN_MAVEN_VERSION}+ is required once to download the Kafka jars (${found}). ${INSTALL_MAVEN} ${ALTERNATIVE}`,
      { cause, details: { mvn } },
    )
  let output: string
  try {
    const result = await execCommand(mvn, ['-v', '-B'], { timeoutMs: 60_000 })
    output = result.stdout + result.stderr
  } catch (error) {
    throw missing(isEnoent(error) ? `"${mvn}" not found` : `"${mvn} -v" failed`, error)
  }
  const info = parseMavenVersion(output)
  if (info === undefined) throw missing(`could not read the version of "${mvn}"`)
  if (compareVersions(info.version, MIN_MAVEN_VERSION) < 0) throw missing(`found ${info.version}`)
  return info
}
