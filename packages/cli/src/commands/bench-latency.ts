import {
  checkLatencyOptions,
  DEFAULT_JAVA_LATENCY_RECORDS,
  DEFAULT_LATENCY_RATES,
  DEFAULT_LATENCY_SECONDS,
  formatLatencyBench,
  parseRates,
  runLatencyBench,
} from '@isobar/bench'
import { ensureKafkaJars } from '@isobar/kafka-local'
import { flag, intOption, stringOption } from '../args.ts'
import type { Command } from '../command.ts'
import { writeJson, writeLine } from '../context.ts'
import { UsageError } from '../errors.ts'

const COMMAND = 'bench latency'

export const latencyBench: Command = {
  name: 'latency',
  summary: "Produce→consume latency of Isobar's client at fixed rates, beside Kafka's EndToEndLatency",
  options: {
    rates: {
      type: 'string',
      value: 'LIST',
      description: `records/s, comma-separated, 10k = 10000 (default ${DEFAULT_LATENCY_RATES.join(',')})`,
    },
    seconds: {
      type: 'string',
      value: 'S',
      description: `seconds of produce per rate`,
      default: `${DEFAULT_LATENCY_SECONDS}`,
    },
    'record-size': { type: 'string', value: 'B', description: 'value bytes per record', default: '200' },
    'java-records': {
      type: 'string',
      value: 'N',
      description: `records EndToEndLatency sends; 0 leaves it out`,
      default: `${DEFAULT_JAVA_LATENCY_RECORDS}`,
    },
    'lib-dir': {
      type: 'string',
      value: 'DIR',
      description: 'Kafka jars for the Java tool',
      default: 'kafka-local, downloaded once',
    },
    json: { type: 'boolean', description: 'print one JSON object instead of the table' },
  },
  notes: [
    "Paces Isobar's producer at each rate for S seconds on a fresh topic while a consumer in the same process reads",
    'it, and prints produce→consume p50/p99/p99.9 per rate (measured from when each record was due, so a stalled',
    "producer shows). Then runs Kafka's EndToEndLatency (one record at a time, acks=all) on the same broker.",
    'The producer and consumer settings are the configuration profile: KAFKA_PROFILE=latency|balanced|throughput.',
  ].join('\n'),
  async run(args, ctx) {
    const seconds = intOption(args, COMMAND, 'seconds', DEFAULT_LATENCY_SECONDS)
    const recordSize = intOption(args, COMMAND, 'record-size', 200)
    const javaRecords = intOption(args, COMMAND, 'java-records', DEFAULT_JAVA_LATENCY_RECORDS, 0)
    const ratesText = stringOption(args, 'rates')
    let rates = DEFAULT_LATENCY_RATES
    try {
      if (ratesText !== undefined) rates = parseRates(ratesText)
      checkLatencyOptions(rates, seconds, recordSize, javaRecords)
    } catch (error) {
      throw new UsageError(`${COMMAND}: ${(error as Error).message}`)
    }
    await ctx.kafka()
    const libDir =
      stringOption(args, 'lib-dir') ??
      (await ensureKafkaJars({ onProgress: (m) => writeLine(ctx.stderr, `bench: ${m}`) }))
    const result = await runLatencyBench({
      kafkaConfig: ctx.kafkaConfig(),
      libDir,
      rates,
      seconds,
      recordSize,
      javaRecords,
      ...(ctx.interactive ? { onPhase: (label: string) => writeLine(ctx.stderr, `bench latency: ${label}`) } : {}),
    })
    if (flag(args, 'json')) writeJson(ctx.stdout, result)
    else writeLine(ctx.stdout, formatLatencyBench(result))
    return 0
  },
}
