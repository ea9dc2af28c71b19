import {
  BENCH_CLIENTS,
  COMPRESSIONS,
  createProgress,
  DEFAULT_BATCH_SIZE,
  DEFAULT_LINGER_MS,
  DEFAULT_MAX_IN_FLIGHT,
  formatBenchResult,
  parseClients,
  runConsumeBench,
  runProduceBench,
  type Compression,
} from '@isobar/bench'
import { ensureKafkaJars } from '@isobar/kafka-local'
import { flag, intOption, stringOption, type ParsedArgs } from '../args.ts'
import { commandGroup, type Command, type OptionDecls } from '../command.ts'
import { analyticsBench } from './bench-analytics.ts'
import { anomaliesBench } from './bench-anomalies.ts'
import { latencyBench } from './bench-latency.ts'
import { serdeBench } from './bench-serde.ts'
import { soakBench } from './bench-soak.ts'
import { writeJson, writeLine, type CliContext } from '../context.ts'
import { UsageError } from '../errors.ts'

const COMMON_OPTIONS: OptionDecls = {
  records: { type: 'string', short: 'n', value: 'N', description: 'records per side', default: '1000000' },
  'record-size': {
    type: 'string',
    short: 's',
    value: 'B',
    description: 'value bytes per record, random A-Z like the Java tool',
    default: '200',
  },
  partitions: { type: 'string', short: 'p', value: 'P', description: 'partitions of the bench topics', default: '1' },
  'replication-factor': { type: 'string', short: 'r', value: 'R', description: 'replication factor', default: '1' },
  'min-insync-replicas': {
    type: 'string',
    value: 'M',
    description: 'min.insync.replicas of the topics',
    default: 'R-1, at least 1',
  },
  compression: {
    type: 'string',
    short: 'c',
    value: 'C',
    description: 'compression of both producers',
    default: 'none',
    choices: COMPRESSIONS,
  },
  'batch-size': {
    type: 'string',
    value: 'BYTES',
    description: 'Java batch.size; Isobar sends one such batch per partition per request',
    default: String(DEFAULT_BATCH_SIZE),
  },
  'linger-ms': {
    type: 'string',
    value: 'MS',
    description: 'linger.ms of both producers',
    default: String(DEFAULT_LINGER_MS),
  },
  'max-in-flight': {
    type: 'string',
    value: 'N',
    description: 'produce requests Isobar queues ahead',
    default: String(DEFAULT_MAX_IN_FLIGHT),
  },
  rounds: {
    type: 'string',
    value: 'N',
    description: 'repeat N times, alternating which side goes first; report the median',
    default: '1',
  },
  clients: {
    type: 'string',
    value: 'LIST',
    description: `lanes, comma-separated: ${BENCH_CLIENTS.join(',')} (isobar and java always); peers run in the same rounds, lanes rotate, ratios are to java. confluent needs \`npm run bench:peers\` once (builds librdkafka)`,
    default: 'isobar,java',
  },
  'no-idempotence': {
    type: 'boolean',
    description:
      'produce: every producer with enable.idempotence=false (acks=all still), to measure what idempotence and its in-order send chain cost',
  },
  'java-generated-payload': {
    type: 'boolean',
    description:
      'produce: let ProducerPerformance draw a random payload per record (--record-size) instead of sending the same pre-generated values as Isobar (--payload-file)',
  },
  'lib-dir': {
    type: 'string',
    value: 'DIR',
    description: 'Kafka jars for the Java tools',
    default: 'kafka-local, downloaded once',
  },
  json: { type: 'boolean', description: 'print one JSON object instead of the table' },
}

const COMMON_NOTES = [
  'The two sides run one after the other against the cluster the other commands use',
  '(KAFKA_BOOTSTRAP_SERVERS, else the local cluster). Bench topics are created fresh and deleted afterwards.',
  'Keep other load off the machine: the ratio is only meaningful when both sides see the same conditions.',
].join('\n')

async function runBench(kind: 'produce' | 'consume', args: ParsedArgs, ctx: CliContext): Promise<number> {
  const command = `bench ${kind}`
  const input = benchInput(args, command)
  const clients = clientsOption(args, command)
  // Probes the cluster first, so an unreachable broker fails fast instead of inside the JVM.
  await ctx.kafka()
  const libDir =
    stringOption(args, 'lib-dir') ??
    (await ensureKafkaJars({ onProgress: (m) => writeLine(ctx.stderr, `bench: ${m}`) }))
  const progress = createProgress(ctx.stderr, { enabled: ctx.interactive })
  const options = {
    ...input,
    kafkaConfig: ctx.kafkaConfig(),
    libDir,
    progress,
    javaGeneratedPayload: flag(args, 'java-generated-payload'),
    ...(clients === undefined ? {} : { clients }),
  }
  const result = kind === 'produce' ? await runProduceBench(options) : await runConsumeBench(options)
  if (flag(args, 'json')) writeJson(ctx.stdout, result)
  else writeLine(ctx.stdout, formatBenchResult(result))
  return 0
}

function clientsOption(args: ParsedArgs, command: string) {
  const text = stringOption(args, 'clients')
  if (text === undefined) return undefined
  try {
    return parseClients(text)
  } catch (error) {
    throw new UsageError(`${command}: --clients: ${(error as Error).message}`)
  }
}

function benchInput(args: ParsedArgs, command: string) {
  const compression = stringOption(args, 'compression') ?? 'none'
  if (!(COMPRESSIONS as readonly string[]).includes(compression)) {
    throw new UsageError(`${command}: --compression must be one of ${COMPRESSIONS.join(', ')}, got "${compression}"`)
  }
  const replicationFactor = intOption(args, command, 'replication-factor', 1)
  const minInsync = stringOption(args, 'min-insync-replicas')
  const batchSize = intOption(args, command, 'batch-size', DEFAULT_BATCH_SIZE, 1024)
  if (batchSize > 1_048_576)
    throw new UsageError(`${command}: --batch-size must be <= 1048576 (broker message.max.bytes)`)
  const recordSize = intOption(args, command, 'record-size', 200)
  if (recordSize > batchSize - 100) throw new UsageError(`${command}: --record-size must be smaller than --batch-size`)
  return {
    records: intOption(args, command, 'records', 1_000_000),
    recordSize,
    partitions: intOption(args, command, 'partitions', 1),
    replicationFactor,
    ...(minInsync === undefined ? {} : { minInsyncReplicas: intOption(args, command, 'min-insync-replicas', 1) }),
    compression: compression as Compression,
    batchSize,
    lingerMs: intOption(args, command, 'linger-ms', DEFAULT_LINGER_MS, 0),
    maxInFlight: intOption(args, command, 'max-in-flight', DEFAULT_MAX_IN_FLIGHT),
    rounds: intOption(args, command, 'rounds', 1),
    idempotence: !flag(args, 'no-idempotence'),
  }
}

const produce: Command = {
  name: 'produce',
  summary: "Isobar's producer vs Kafka's ProducerPerformance",
  options: COMMON_OPTIONS,
  notes: [
    "Produces N records with Kafka's ProducerPerformance and with Isobar's producer (acks=all, idempotent, same",
    'batch.size, linger.ms and compression) and prints records/s, MB/s and the ratio Isobar/Kafka.',
    '',
    COMMON_NOTES,
    '',
    'Example: isobar bench produce --records 1000000 --record-size 200',
  ].join('\n'),
  run: (args, ctx) => runBench('produce', args, ctx),
}

const consume: Command = {
  name: 'consume',
  summary: "Isobar's consumer vs Kafka's ConsumerPerformance",
  options: COMMON_OPTIONS,
  notes: [
    "Fills a topic with N records, then reads it with Kafka's ConsumerPerformance and with Isobar's consumer",
    '(fresh groups, from earliest) and prints records/s, MB/s and the ratio Isobar/Kafka. The ratio compares',
    'the fetch phase (fetch.nMsg.sec, group join excluded); the rate with the join is shown too.',
    '',
    COMMON_NOTES,
    '',
    'Example: isobar bench consume --records 1000000 --record-size 1024',
  ].join('\n'),
  run: (args, ctx) => runBench('consume', args, ctx),
}

export const benchCommand: Command = commandGroup('bench', "Compare Isobar with Kafka's own perf tools", [
  produce,
  consume,
  serdeBench,
  latencyBench,
  analyticsBench,
  anomaliesBench,
  soakBench,
])
