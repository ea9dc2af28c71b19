import { existsSync } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { KafkaLocalError, KafkaLocalErrorCodes } from './errors.ts'
import { execCommand, lastLines } from './exec.ts'
import { DEFAULT_LIB_ROOT } from './jars.ts'
import { checkMaven } from './prerequisites.ts'

/** Prometheus' JMX exporter Java agent (Maven Central `io.prometheus.jmx:jmx_prometheus_javaagent`). */
export const JMX_EXPORTER_VERSION = '1.0.1'
/** Default metrics port of node 1 (node n: 7070 + n), like `kafka-n:7071` in the compose deployment. */
export const DEFAULT_METRICS_BASE_PORT = 7071

/** Broker metrics through the JMX exporter agent, served on 127.0.0.1:<basePort + nodeId - 1>/metrics. */
export interface BrokerMetricsOptions {
  /** The agent jar (ensureJmxExporterJar). */
  agentJar: string
  /** The exporter's rules (the repository's deploy/jmx/kafka.yml). */
  configFile: string
  /** Port of node 1; default 7071. */
  basePort?: number
}

export function brokerMetricsPort(metrics: Pick<BrokerMetricsOptions, 'basePort'>, nodeId: number): number {
  return (metrics.basePort ?? DEFAULT_METRICS_BASE_PORT) + nodeId - 1
}

/** `-javaagent:<jar>=127.0.0.1:<port>:<config>` for a node. */
export function jmxAgentArg(metrics: BrokerMetricsOptions, nodeId: number): string {
  return `-javaagent:${metrics.agentJar}=127.0.0.1:${brokerMetricsPort(metrics, nodeId)}:${metrics.configFile}`
}

/**
 * Returns `<libRoot>/jmx/jmx_prometheus_javaagent.jar`, fetching it with Maven once (`npm run kafka:jars`);
 * written under a temporary name and renamed, so an interrupted download never looks complete.
 */
export async function ensureJmxExporterJar(
  options: { libRoot?: string; mvn?: string; timeoutMs?: number } = {},
): Promise<string> {
  const dir = join(options.libRoot ?? DEFAULT_LIB_ROOT, 'jmx')
  const jar = join(dir, 'jmx_prometheus_javaagent.jar')
  if (existsSync(jar)) return jar
  await checkMaven(options.mvn === undefined ? {} : { mvn: options.mvn })
  const temp = join(dir, `.tmp-${process.pid}`)
  await mkdir(temp, { recursive: true })
  const mvn = options.mvn ?? 'mvn'
  const args = [
    '-q',
    '-B',
    'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy',
    `-Dartifact=io.prometheus.jmx:jmx_prometheus_javaagent:${JMX_EXPORTER_VERSION}`,
    `-DoutputDirectory=${temp}`,
    '-Dmdep.stripVersion=true',
  ]
  try {
    const result = await execCommand(mvn, args, { timeoutMs: options.timeoutMs ?? 300_000, cwd: dir })
    const fetched = join(temp, 'jmx_prometheus_javaagent.jar')
    if (result.exitCode !== 0 || !existsSync(fetched)) {
      const output = lastLines((result.stdout + '\n' + result.stderr).replace(/\u001b\[[0-9;]*m/g, ''), 10)
      throw new KafkaLocalError(
        KafkaLocalErrorCodes.JARS_FAILED,
        `Downloading the JMX exporter agent ${JMX_EXPORTER_VERSION} with Maven failed (exit code ${result.exitCode}).\n${output}`,
        { retriable: true, details: { command: [mvn, ...args].join(' ') } },
      )
    }
    await rename(fetched, jar)
  } finally {
    await rm(temp, { recursive: true, force: true })
  }
  return jar
}
