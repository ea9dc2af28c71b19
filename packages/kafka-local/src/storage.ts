import { rm } from 'node:fs/promises'
import { initialControllers, type NodeLayout } from './config.ts'
import { KafkaLocalError, KafkaLocalErrorCodes } from './errors.ts'
import { lastLines } from './exec.ts'
import { propertiesFile, readFormatRecord, readMetaProperties, removeFormatRecord, writeFormatRecord } from './state.ts'
import { runKafkaTool } from './tools.ts'
import { randomKafkaUuid } from './uuid.ts'

export interface StorageSettings {
  clusterDir: string
  layout: readonly NodeLayout[]
  kafkaVersion: string
  basePort: number
  libDir: string
  java: string
  security: 'none' | 'sasl_ssl'
  /** `--add-scram` arguments (secured clusters): the SCRAM users exist from the first start. */
  formatArgs?: readonly string[]
}

/**
 * The cluster id of data dirs that can be started as they are: formatted by the same Kafka version for the same
 * node count and ports, with every node's meta.properties naming that cluster and node. Undefined otherwise.
 */
export async function reusableClusterId(settings: StorageSettings): Promise<string | undefined> {
  const record = await readFormatRecord(settings.clusterDir)
  if (
    record === undefined ||
    record.kafkaVersion !== settings.kafkaVersion ||
    record.nodes !== settings.layout.length ||
    record.basePort !== settings.basePort ||
    (record.security ?? 'none') !== settings.security
  ) {
    return undefined
  }
  for (const node of settings.layout) {
    const meta = await readMetaProperties(node.dataDir)
    if (meta?.['cluster.id'] !== record.clusterId || meta['node.id'] !== String(node.nodeId)) return undefined
  }
  return record.clusterId
}

/**
 * Wipes the data dirs and formats them for a new cluster (KRaft needs `kafka-storage format` before the first
 * start). One node: `--standalone`. Three: `--initial-controllers` with directory ids generated here, the same
 * string on every node. The three formats run in parallel (one short JVM each).
 */
export async function formatStorage(settings: StorageSettings): Promise<string> {
  await removeFormatRecord(settings.clusterDir)
  await Promise.all(settings.layout.map((node) => rm(node.dataDir, { recursive: true, force: true })))
  const clusterId = randomKafkaUuid()
  const quorum =
    settings.layout.length === 1
      ? ['--standalone']
      : [
          '--initial-controllers',
          initialControllers(
            settings.layout,
            settings.layout.map(() => randomKafkaUuid()),
          ),
        ]
  await Promise.all(
    settings.layout.map(async (node) => {
      const args = ['format', '--cluster-id', clusterId, '--config', propertiesFile(node), ...quorum]
      const formatArgs = settings.formatArgs ?? []
      const result = await runKafkaTool('kafka-storage', [...args, ...formatArgs], {
        libDir: settings.libDir,
        java: settings.java,
        timeoutMs: 60_000,
      }).catch((error: unknown) => {
        if (formatArgs.length === 0) throw error
        // The tool's own errors name its arguments, and --add-scram holds passwords.
        throw new KafkaLocalError(
          KafkaLocalErrorCodes.START_FAILED,
          `kafka-storage format did not finish for node ${node.nodeId}`,
          { details: { args } },
        )
      })
      if (result.exitCode !== 0) {
        throw new KafkaLocalError(
          KafkaLocalErrorCodes.START_FAILED,
          `kafka-storage format failed for node ${node.nodeId} (exit ${result.exitCode}):\n` +
            lastLines(result.stdout + '\n' + result.stderr, 20),
          { details: { args } }, // without formatArgs: they hold passwords
        )
      }
    }),
  )
  await writeFormatRecord(settings.clusterDir, {
    clusterId,
    kafkaVersion: settings.kafkaVersion,
    nodes: settings.layout.length,
    basePort: settings.basePort,
    security: settings.security,
    formattedAt: new Date().toISOString(),
  })
  return clusterId
}
