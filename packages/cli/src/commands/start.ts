import { assertKafkaReachable } from '@isobar/core'
import { flag, parseCommandArgs } from '../args.ts'
import type { Command } from '../command.ts'
import { writeJson, writeLine } from '../context.ts'
import { startLocalCluster } from './kafka.ts'

/**
 * `npm start`: brings up the platform. Kafka comes first: the cluster named by KAFKA_BOOTSTRAP_SERVERS, or the
 * local one (started in the background, or reused when it already runs).
 */
export const startCommand: Command = {
  name: 'start',
  summary: 'Start the platform (local Kafka unless KAFKA_BOOTSTRAP_SERVERS is set)',
  help: [
    'Usage: isobar start [--nodes 1|3] [--json]',
    '',
    'Starts (or reuses) the local Kafka and prints how to connect. With KAFKA_BOOTSTRAP_SERVERS set it uses that',
    'cluster instead and starts nothing.',
  ].join('\n'),
  async run(argv, ctx) {
    const args = parseCommandArgs('start', argv, { nodes: { type: 'string' }, json: { type: 'boolean' } }, false)
    let bootstrapServers: string
    let source: 'external' | 'local'
    if (ctx.env.KAFKA_BOOTSTRAP_SERVERS) {
      const config = ctx.kafkaConfig()
      await assertKafkaReachable(config.bootstrapServers)
      bootstrapServers = config.bootstrapServers.join(',')
      source = 'external'
    } else {
      const cluster = await startLocalCluster(ctx, args.values.nodes === '3' ? 3 : 1)
      bootstrapServers = cluster.bootstrapServers
      source = 'local'
    }
    if (flag(args, 'json')) {
      writeJson(ctx.stdout, { kafka: { bootstrapServers, source } })
      return 0
    }
    writeLine(ctx.stdout, '')
    writeLine(ctx.stdout, `Isobar is up. Kafka (${source}): ${bootstrapServers}`)
    writeLine(ctx.stdout, '  try:   npx isobar topics list')
    writeLine(ctx.stdout, '         echo "hello" | npx isobar produce <topic>')
    writeLine(ctx.stdout, '  stop:  npx isobar kafka stop')
    return 0
  },
}
