import { flag, intOption, keyValueOptions, listOption, requirePositional } from '../args.ts'
import { commandGroup, type Command } from '../command.ts'
import { writeJson, writeLine, type CliContext } from '../context.ts'
import { UsageError } from '../errors.ts'

async function withAdmin<T>(
  ctx: CliContext,
  run: (admin: ReturnType<Awaited<ReturnType<CliContext['kafka']>>['admin']>) => Promise<T>,
): Promise<T> {
  const admin = (await ctx.kafka()).admin()
  try {
    return await run(admin)
  } finally {
    await admin.close()
  }
}

const list: Command = {
  name: 'list',
  summary: 'List topics',
  options: {
    internal: { type: 'boolean', description: 'include internal topics (__consumer_offsets, …)' },
    json: { type: 'boolean', description: 'print a JSON array' },
  },
  async run(args, ctx) {
    const topics = await withAdmin(ctx, (admin) => admin.listTopics({ includeInternal: flag(args, 'internal') }))
    if (flag(args, 'json')) writeJson(ctx.stdout, topics)
    else for (const t of topics) writeLine(ctx.stdout, t)
    return 0
  },
}

const describe: Command = {
  name: 'describe',
  summary: 'Partitions, leaders, replicas, ISR, offsets and configs of topics',
  arguments: [{ name: 'topic', required: true, variadic: true }],
  options: { json: { type: 'boolean', description: 'print JSON' } },
  async run(args, ctx) {
    const result = await withAdmin(ctx, async (admin) => {
      const described = await admin.describeTopics(args.positionals)
      return Promise.all(
        described.map(async (topic) => {
          const [offsets, configs] = await Promise.all([
            admin.listOffsets(topic.name),
            admin.describeTopicConfigs(topic.name),
          ])
          const byPartition = new Map(offsets.map((o) => [o.partition, o]))
          return {
            ...topic,
            replicationFactor: topic.partitions[0]?.replicas.length ?? 0,
            partitions: topic.partitions.map((p) => ({
              ...p,
              earliestOffset: byPartition.get(p.partition)?.earliest ?? 0n,
              latestOffset: byPartition.get(p.partition)?.latest ?? 0n,
            })),
            configs,
          }
        }),
      )
    })
    if (flag(args, 'json')) {
      writeJson(ctx.stdout, result)
      return 0
    }
    for (const topic of result) {
      writeLine(
        ctx.stdout,
        `Topic: ${topic.name}\tId: ${topic.id}\tPartitions: ${topic.partitions.length}\tReplicationFactor: ${topic.replicationFactor}`,
      )
      for (const p of topic.partitions) {
        writeLine(
          ctx.stdout,
          `  Partition: ${p.partition}\tLeader: ${p.leader}\tReplicas: ${p.replicas.join(',')}\tIsr: ${p.isr.join(',')}\tOffsets: ${p.earliestOffset}..${p.latestOffset}`,
        )
      }
      const interesting = ['cleanup.policy', 'retention.ms', 'retention.bytes', 'min.insync.replicas', 'segment.bytes']
      writeLine(ctx.stdout, `  Configs: ${interesting.map((k) => `${k}=${topic.configs[k] ?? '-'}`).join(' ')}`)
    }
    return 0
  },
}

const create: Command = {
  name: 'create',
  summary: 'Create a topic',
  arguments: [{ name: 'topic', required: true }],
  options: {
    partitions: { type: 'string', short: 'p', value: 'N', description: 'number of partitions', default: '1' },
    'replication-factor': {
      type: 'string',
      short: 'r',
      value: 'R',
      description: 'copies of each partition',
      default: 'the broker default',
    },
    config: {
      type: 'string',
      multiple: true,
      short: 'c',
      value: 'k=v',
      description: 'topic config, repeatable (e.g. --config retention.ms=86400000)',
    },
    'if-not-exists': { type: 'boolean', description: 'succeed quietly when the topic exists' },
    json: { type: 'boolean', description: 'print JSON' },
  },
  async run(args, ctx) {
    const name = requirePositional(args, 'topics create', 0, 'topic name')
    const partitions = intOption(args, 'topics create', 'partitions', 1)
    const rf =
      args.values['replication-factor'] === undefined
        ? undefined
        : intOption(args, 'topics create', 'replication-factor', 1)
    const configs = keyValueOptions(args, 'topics create', 'config')
    await withAdmin(ctx, (admin) =>
      admin.createTopics([{ name, partitions, ...(rf === undefined ? {} : { replicationFactor: rf }), configs }], {
        ifNotExists: flag(args, 'if-not-exists'),
      }),
    )
    if (flag(args, 'json')) writeJson(ctx.stdout, { created: name, partitions, replicationFactor: rf ?? null, configs })
    else writeLine(ctx.stdout, `Created topic ${name} (${partitions} partitions)`)
    return 0
  },
}

const remove: Command = {
  name: 'delete',
  summary: 'Delete topics',
  arguments: [{ name: 'topic', required: true, variadic: true }],
  options: { json: { type: 'boolean', description: 'print JSON' } },
  async run(args, ctx) {
    await withAdmin(ctx, async (admin) => {
      // Describe first so an unknown name gets a clear "does not exist" instead of a protocol error.
      await admin.describeTopics(args.positionals)
      await admin.deleteTopics(args.positionals)
    })
    if (flag(args, 'json')) writeJson(ctx.stdout, { deleted: args.positionals })
    else writeLine(ctx.stdout, `Deleted ${args.positionals.join(', ')}`)
    return 0
  },
}

const alterConfig: Command = {
  name: 'alter-config',
  summary: 'Set or remove topic configs, or add partitions',
  arguments: [{ name: 'topic', required: true }],
  options: {
    config: { type: 'string', multiple: true, short: 'c', value: 'k=v', description: 'set a config (repeatable)' },
    'delete-config': {
      type: 'string',
      multiple: true,
      value: 'k',
      description: 'revert a config to the broker default (repeatable)',
    },
    partitions: { type: 'string', value: 'N', description: 'grow the topic to N partitions' },
    json: { type: 'boolean', description: 'print JSON' },
  },
  async run(args, ctx) {
    const name = requirePositional(args, 'topics alter-config', 0, 'topic name')
    const set = keyValueOptions(args, 'topics alter-config', 'config')
    const removed = listOption(args, 'delete-config')
    const partitions =
      args.values.partitions === undefined ? undefined : intOption(args, 'topics alter-config', 'partitions', 1)
    if (Object.keys(set).length === 0 && removed.length === 0 && partitions === undefined) {
      throw new UsageError('topics alter-config: nothing to change (give --config, --delete-config or --partitions)')
    }
    const configs = await withAdmin(ctx, async (admin) => {
      await admin.describeTopics([name])
      if (Object.keys(set).length > 0 || removed.length > 0) await admin.alterTopicConfigs(name, set, removed)
      if (partitions !== undefined) await admin.createPartitions(name, partitions)
      return admin.describeTopicConfigs(name)
    })
    if (flag(args, 'json')) writeJson(ctx.stdout, { topic: name, configs })
    else writeLine(ctx.stdout, `Updated ${name}`)
    return 0
  },
}

export const topicsCommand = commandGroup('topics', 'Manage Kafka topics', [
  list,
  describe,
  create,
  remove,
  alterConfig,
])
