import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { KafkaLocalError, KafkaLocalErrorCodes } from './errors.ts'
import { execCommand, isEnoent, lastLines } from './exec.ts'
import { TOOLS_LOG4J_FILE, TOOLS_LOG4J_XML } from './log4j-config.ts'
import { checkJava } from './prerequisites.ts'

/** Kafka's bin/ script names and the main class each runs, as of Kafka 4.1–4.2 (see RELOCATED_TOOLS). */
export const KAFKA_TOOLS = {
  'kafka-topics': 'org.apache.kafka.tools.TopicCommand',
  'kafka-consumer-groups': 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
  'kafka-configs': 'kafka.admin.ConfigCommand',
  'kafka-console-producer': 'org.apache.kafka.tools.ConsoleProducer',
  'kafka-console-consumer': 'org.apache.kafka.tools.consumer.ConsoleConsumer',
  'kafka-producer-perf-test': 'org.apache.kafka.tools.ProducerPerformance',
  'kafka-consumer-perf-test': 'org.apache.kafka.tools.ConsumerPerformance',
  'kafka-e2e-latency': 'org.apache.kafka.tools.EndToEndLatency',
  'kafka-metadata-quorum': 'org.apache.kafka.tools.MetadataQuorumCommand',
  'kafka-cluster': 'org.apache.kafka.tools.ClusterTool',
  'kafka-features': 'org.apache.kafka.tools.FeatureCommand',
  'kafka-storage': 'kafka.tools.StorageTool',
  'kafka-dump-log': 'kafka.tools.DumpLogSegments',
} as const

export type KafkaToolName = keyof typeof KAFKA_TOOLS

/**
 * Tools whose main class moved into the kafka-tools jar in later releases (ConfigCommand in 4.4, DumpLogSegments in
 * 4.3). Detected from the jar's content rather than the version number, so pre-releases work too.
 */
const RELOCATED_TOOLS: Partial<Record<KafkaToolName, string>> = {
  'kafka-configs': 'org.apache.kafka.tools.ConfigCommand',
  'kafka-dump-log': 'org.apache.kafka.tools.DumpLogSegments',
}

/** Measure throughput or latency: they need C2 and a larger heap, never the quick-start flags. */
const PERF_TOOLS: ReadonlySet<KafkaToolName> = new Set([
  'kafka-producer-perf-test',
  'kafka-consumer-perf-test',
  'kafka-e2e-latency',
])
/** Kafka's scripts give these 512 MiB; everything else gets the 256 MiB of kafka-run-class.sh. */
const LARGE_HEAP_TOOLS: ReadonlySet<KafkaToolName> = new Set([
  ...PERF_TOOLS,
  'kafka-console-producer',
  'kafka-console-consumer',
])

export function isKafkaToolName(name: string): name is KafkaToolName {
  return Object.hasOwn(KAFKA_TOOLS, name)
}

function assertKafkaToolName(name: string): asserts name is KafkaToolName {
  if (!isKafkaToolName(name)) {
    throw new KafkaLocalError(
      KafkaLocalErrorCodes.UNKNOWN_TOOL,
      `Unknown Kafka tool "${name}". Valid tools: ${Object.keys(KAFKA_TOOLS).join(', ')}`,
      { details: { tool: name } },
    )
  }
}

const relocatedCache = new Map<string, string>()

/** The main class of `tool` for the jars in `libDir`. */
export function kafkaToolMainClass(tool: string, libDir: string): string {
  assertKafkaToolName(tool)
  const relocated = RELOCATED_TOOLS[tool]
  if (relocated === undefined) return KAFKA_TOOLS[tool]
  const key = `${libDir}\0${relocated}`
  let mainClass = relocatedCache.get(key)
  if (mainClass === undefined) {
    mainClass = toolsJarContains(libDir, relocated) ? relocated : KAFKA_TOOLS[tool]
    relocatedCache.set(key, mainClass)
  }
  return mainClass
}

/** Zip entry names are stored uncompressed, so a byte search finds a class without unzipping. */
function toolsJarContains(libDir: string, className: string): boolean {
  let jars: string[]
  try {
    // `kafka-tools-<digit>` skips kafka-tools-api-*.jar.
    jars = readdirSync(libDir).filter((file) => /^kafka-tools-\d.*\.jar$/.test(file))
  } catch {
    return false
  }
  const entry = Buffer.from(`${className.replaceAll('.', '/')}.class`)
  return jars.some((jar) => readFileSync(join(libDir, jar)).includes(entry))
}

export interface KafkaToolCommandOptions {
  libDir: string
  /** Max heap in MiB; defaults to Kafka's script defaults (256, or 512 for console and perf tools). */
  heapMb?: number
  /** The java executable; defaults to `java` on the PATH. */
  java?: string
}

export interface KafkaToolCommand {
  command: string
  args: string[]
}

/**
 * The argv that runs a Kafka CLI tool from the jars in `libDir`. Meant for spawn without a shell: `<libDir>/*` is
 * passed literally and the JVM expands it (a shell would expand it into a broken classpath).
 */
export function kafkaToolCommand(
  tool: string,
  args: readonly string[],
  options: KafkaToolCommandOptions,
): KafkaToolCommand {
  const mainClass = kafkaToolMainClass(tool, options.libDir)
  const name = tool as KafkaToolName
  const heapMb = options.heapMb ?? (LARGE_HEAP_TOOLS.has(name) ? 512 : 256)
  // C1 only + serial GC roughly halves the start of a JVM that lives a second or two; perf tools need C2.
  const quickStart = PERF_TOOLS.has(name) ? [] : ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC']
  return {
    command: options.java ?? 'java',
    args: [
      `-Xmx${heapMb}m`,
      ...quickStart,
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${ensureToolsLog4jConfig(options.libDir)}`,
      '-cp',
      join(options.libDir, '*'),
      mainClass,
      ...args,
    ],
  }
}

/** ensureKafkaJars writes this file; written here too for lib dirs filled by other means. */
function ensureToolsLog4jConfig(libDir: string): string {
  const file = join(libDir, TOOLS_LOG4J_FILE)
  if (!existsSync(file)) {
    const temp = `${file}.${process.pid}.tmp`
    writeFileSync(temp, TOOLS_LOG4J_XML)
    renameSync(temp, file)
  }
  return file
}

export interface RunKafkaToolOptions extends KafkaToolCommandOptions {
  /** Written to the tool's stdin (e.g. records for kafka-console-producer), then stdin is closed. */
  input?: string
  /** The tool is killed after this long; default 120 s. */
  timeoutMs?: number
}

export interface KafkaToolResult {
  /** null if the JVM was killed by a signal. */
  exitCode: number | null
  stdout: string
  stderr: string
}

/** Runs a Kafka CLI tool to completion. A non-zero exit resolves (check `exitCode`); a timeout rejects. */
export async function runKafkaTool(
  tool: string,
  args: readonly string[],
  options: RunKafkaToolOptions,
): Promise<KafkaToolResult> {
  const { command, args: argv } = kafkaToolCommand(tool, args, options)
  const timeoutMs = options.timeoutMs ?? 120_000
  let result
  try {
    result = await execCommand(command, argv, {
      timeoutMs,
      ...(options.input === undefined ? {} : { input: options.input }),
    })
  } catch (error) {
    // Reuse checkJava's one-line install hint when java itself is missing.
    if (isEnoent(error)) await checkJava(options.java === undefined ? {} : { java: options.java })
    throw error
  }
  if (result.timedOut) {
    const stderr = lastLines(result.stderr, 10)
    throw new KafkaLocalError(
      KafkaLocalErrorCodes.TOOL_TIMEOUT,
      `${tool} ${args.join(' ')} did not finish within ${timeoutMs} ms` + (stderr === '' ? '' : `\n${stderr}`),
      { retriable: true, details: { tool, args, stdout: result.stdout, stderr: result.stderr } },
    )
  }
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr }
}
