import { join } from 'node:path'
import { formatAnalyticsBench, runAnalyticsBench } from '@isobar/bench'
import { flag, intOption, stringOption } from '../args.ts'
import type { Command } from '../command.ts'
import { writeJson, writeLine } from '../context.ts'
import { UsageError } from '../errors.ts'

const NAME = 'bench analytics'

export const analyticsBench: Command = {
  name: 'analytics',
  summary: 'Sensor Analytics end to end: readings/s (at-least-once, exactly-once), CPU, RSS, alert latency',
  options: {
    sensors: { type: 'string', value: 'N', description: 'fleet size', default: '10000' },
    readings: { type: 'string', value: 'N', description: 'backlog size', default: '1000000' },
    partitions: { type: 'string', value: 'P', description: 'partitions of the readings topic', default: '6' },
    guarantee: { type: 'string', value: 'G', description: 'alo, eos or both', default: 'both' },
    'alert-samples': {
      type: 'string',
      value: 'N',
      description: 'alert round trips to time, 0 to skip',
      default: '200',
    },
    'live-seconds': {
      type: 'string',
      value: 'S',
      description:
        'then follow the fleet live (each sensor once a second) for S seconds and report the steady CPU and RSS, 0 to skip',
      default: '60',
    },
    'service-node-options': {
      type: 'string',
      value: 'FLAGS',
      description: 'NODE_OPTIONS of the service process, e.g. "--max-old-space-size=256"',
    },
    'split-stages': {
      type: 'boolean',
      description: 'throughput with the pane stage in one process and the other two in another',
    },
    json: { type: 'boolean', description: 'print one JSON object' },
  },
  notes: [
    'Writes a backlog of simulated readings, then runs the Sensor Analytics service (its own process, alerts off)',
    'until its pane stage has committed every reading: readings/s from ready to caught up, with the CPU time and',
    'peak RSS of the service process. Then times alerts: a reading crossing a threshold rule (for: 0s) produced',
    'to the service running live, until its alert event is readable on the alerts topic (p50/p99).',
  ].join('\n'),
  async run(args, ctx) {
    const guarantee = stringOption(args, 'guarantee') ?? 'both'
    const guarantees = {
      alo: ['at-least-once'] as const,
      eos: ['exactly-once'] as const,
      both: ['at-least-once', 'exactly-once'] as const,
    }[guarantee]
    if (!guarantees) throw new UsageError(`${NAME}: --guarantee must be alo, eos or both, got "${guarantee}"`)
    const alertSamples = intOption(args, NAME, 'alert-samples', 200, 0)
    const json = flag(args, 'json')
    const serviceNodeOptions = stringOption(args, 'service-node-options')
    const kafkaConfig = ctx.kafkaConfig()
    const result = await runAnalyticsBench({
      kafka: await ctx.kafka(),
      bootstrapServers: kafkaConfig.bootstrapServers.join(','),
      serviceScript: join(ctx.repoRoot, 'packages', 'sensor-analytics', 'src', 'analytics', 'main.ts'),
      sensors: intOption(args, NAME, 'sensors', 10_000),
      readings: intOption(args, NAME, 'readings', 1_000_000),
      partitions: intOption(args, NAME, 'partitions', 6),
      guarantees: [...guarantees],
      alertSamples,
      liveSeconds: intOption(args, NAME, 'live-seconds', 60, 0),
      splitStages: flag(args, 'split-stages'),
      ...(serviceNodeOptions ? { serviceNodeOptions } : {}),
      onProgress: (line) => writeLine(ctx.stderr, line),
    })
    if (json) writeJson(ctx.stdout, result)
    else writeLine(ctx.stdout, formatAnalyticsBench(result))
    return 0
  },
}
