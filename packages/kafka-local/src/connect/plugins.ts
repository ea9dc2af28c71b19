/**
 * The Kafka Connect plugins the history sink runs, under `<lib>/connect-plugins/` (git-ignored, like the Kafka
 * jars): `debezium-jdbc/` (the Debezium JDBC sink connector, its dependencies and the PostgreSQL driver, fetched
 * by Maven from connect/pom.xml) and `isobar-converter/` (Isobar's registry converter, built and unit-tested by
 * Maven from packages/connect-converter). Each directory is filled in a temp dir and renamed into place.
 */
import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { KafkaLocalError, KafkaLocalErrorCodes } from '../errors.ts'
import { execCommand, lastLines } from '../exec.ts'
import { DEFAULT_LIB_ROOT, JARS_MARKER_FILE } from '../jars.ts'
import { checkMaven } from '../prerequisites.ts'

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url))
const PLUGINS_POM = join(PACKAGE_DIR, 'connect', 'pom.xml')
export const CONVERTER_DIR = fileURLToPath(new URL('../../../connect-converter', import.meta.url))
export const CONVERTER_JAR = 'isobar-connect-converter.jar'
export const CONVERTER_CLASS = 'dev.isobar.connect.RegistryJsonSchemaConverter'
/** 3.6.1.Final does not resolve from Maven Central; 3.4.0.Final does, with every dependency. */
export const DEBEZIUM_VERSION = '3.4.0.Final'
export const POSTGRESQL_JDBC_VERSION = '42.7.13'
/** What the debezium-jdbc marker holds: a plugin dir filled by another pom or version is fetched again. */
export const DEBEZIUM_MARKER = `${JSON.stringify({ debezium: DEBEZIUM_VERSION, postgresql: POSTGRESQL_JDBC_VERSION, layout: 2 })}\n`

export interface EnsureConnectPluginsOptions {
  /** Parent of connect-plugins/ (default this package's lib/). */
  libRoot?: string
  mvn?: string
  /** Rebuild the converter even if its jar is there (after editing its sources). */
  rebuildConverter?: boolean
  timeoutMs?: number
  onProgress?: (message: string) => void
}

export function connectPluginPath(libRoot: string = DEFAULT_LIB_ROOT): string {
  return join(libRoot, 'connect-plugins')
}

/** Returns the plugin path (the directory to give Connect's `plugin.path`), filling what is missing. */
export async function ensureConnectPlugins(options: EnsureConnectPluginsOptions = {}): Promise<string> {
  const pluginPath = connectPluginPath(options.libRoot)
  const mvn = options.mvn ?? 'mvn'
  const timeoutMs = options.timeoutMs ?? 600_000
  const debezium = join(pluginPath, 'debezium-jdbc')
  const converter = join(pluginPath, 'isobar-converter')
  const marker = await readFile(join(debezium, JARS_MARKER_FILE), 'utf8').catch(() => '')
  const needDebezium = marker !== DEBEZIUM_MARKER
  const needConverter = options.rebuildConverter === true || !existsSync(join(converter, CONVERTER_JAR))
  if (!needDebezium && !needConverter) return pluginPath
  await checkMaven(options.mvn === undefined ? {} : { mvn: options.mvn })
  await mkdir(pluginPath, { recursive: true })
  if (needDebezium) {
    options.onProgress?.(`Downloading the Debezium JDBC sink ${DEBEZIUM_VERSION} with Maven into ${debezium} (once)`)
    await fillDir(debezium, async (tmp) => {
      await maven(
        mvn,
        [
          '-f',
          PLUGINS_POM,
          'dependency:copy-dependencies',
          `-Ddebezium.version=${DEBEZIUM_VERSION}`,
          `-Dpostgresql.version=${POSTGRESQL_JDBC_VERSION}`,
          `-Dplugin.dir=${tmp}`,
        ],
        timeoutMs,
        'Downloading the Debezium JDBC sink',
      )
      await writeFile(join(tmp, JARS_MARKER_FILE), DEBEZIUM_MARKER)
    })
  }
  if (needConverter) {
    options.onProgress?.(`Building and testing the registry converter (${CONVERTER_DIR}) with Maven`)
    await maven(mvn, ['-f', join(CONVERTER_DIR, 'pom.xml'), 'package'], timeoutMs, 'Building the converter')
    await fillDir(converter, (tmp) => copyFile(join(CONVERTER_DIR, 'target', CONVERTER_JAR), join(tmp, CONVERTER_JAR)))
  }
  return pluginPath
}

async function maven(mvn: string, args: string[], timeoutMs: number, what: string): Promise<void> {
  const all = ['-q', '-B', ...args]
  const result = await execCommand(mvn, all, { timeoutMs, cwd: PACKAGE_DIR })
  if (result.exitCode === 0) return
  const output = lastLines((result.stdout + '\n' + result.stderr).replace(/\u001b\[[0-9;]*m/g, ''), 20)
  throw new KafkaLocalError(
    KafkaLocalErrorCodes.JARS_FAILED,
    `${what} with Maven failed (${result.timedOut ? 'timed out' : `exit code ${result.exitCode}`})` +
      (output === '' ? '' : `\n${output}`),
    { retriable: true, details: { command: [mvn, ...all].join(' ') } },
  )
}

async function fillDir(target: string, fill: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
  await mkdir(tmp, { recursive: true })
  try {
    await fill(tmp)
    await rm(target, { recursive: true, force: true })
    await rename(tmp, target)
  } finally {
    await rm(tmp, { recursive: true, force: true })
  }
}

/** Jars in a plugin directory (for status output and tests). */
export async function pluginJars(pluginPath: string, plugin: string): Promise<string[]> {
  const dir = join(pluginPath, plugin)
  return existsSync(dir) ? (await readdir(dir)).filter((f) => f.endsWith('.jar')).sort() : []
}
