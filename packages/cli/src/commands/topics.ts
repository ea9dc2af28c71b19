import { flag, intOption, keyValueOptions, listOption, parseCommandArgs, requirePositional } from '../args.ts'
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
  help: 'Usage: isobar topics list [--internal] [--json]\n\n  --internal   include internal topics (__consumer_offsets, …)\n  --json       print a JSON array',
  async run(argv, ctx) {
    const args = parseCommandArgs(
      'topics list',
      argv,
      { internal: { type: 'boolean' }, json: { type: 'boolean' } },
      false,
    )
    const topics = await withAdmin(ctx, (admin) => admin.listTopics({ includeInternal: flag(args, 'internal') }))
    if (flag(args, 'json')) writeJson(ctx.stdout, topics)
    else for (const t of topics) writeLine(ctx.stdout, t)
    return 0
  },
}

const describe: Command = {
  name: 'describe',
  summary: 'Partitions, leaders, replicas, ISR, offsets and configs of topics',
  help: 'Usage: isobar topics describe <topic>... [--json]',
  async run(argv, ctx) {
    const args = parseCommandArgs('topics describe', argv, { json: { type: 'boolean' } })
    requirePositional(args, 'topics describe', 0, 'topic name')
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
  help: [
    'Usage: isobar topics create <topic> [--partitions N] [--replication-factor R] [--config k=v]... [--if-not-exists] [--json]',
    '',
    '  --partitions N            number of partitions (default 1)',
    '  --replication-factor R    copies of each partition (default: the broker default)',
    '  --config k=v              topic config, repeatable (e.g. --config retention.ms=86400000)',
    '  --if-not-exists           succeed quietly when the topic exists',
  ].join('\n'),
  async run(argv, ctx) {
    const args = parseCommandArgs('topics create', argv, {
      partitions: { type: 'string', short: 'p' },
      'replication-factor': { type: 'string', short: 'r' },
      config: { type: 'string', multiple: true, short: 'c' },
      'if-not-exists': { type: 'boolean' },
      json: { type: 'boolean' },
    })
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
  help: 'Usage: isobar topics delete <topic>... [--json]',
  async run(argv, ctx) {
    const args = parseCommandArgs('topics delete', argv, { json: { type: 'boolean' } })
    requirePositional(args, 'topics delete', 0, 'topic name')
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
  help: [
    'Usage: isobar topics alter-config <topic> [--config k=v]... [--delete-config k]... [--partitions N] [--json]',
    '',
    '  --config k=v          set a config (repeatable)',
    '  --delete-config k     revert a config to the broker default (repeatable)',
    '  --partitions N        grow the topic to N partitions',
  ].join('\n'),
  async run(argv, ctx) {
    const args = parseCommandArgs('topics alter-config', argv, {
      config: { type: 'string', multiple: true, short: 'c' },
      'delete-config': { type: 'string', multiple: true },
      partitions: { type: 'string' },
      json: { type: 'boolean' },
    })
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
