import { setTimeout as sleep } from 'node:timers/promises'
import {
  evaluatePartition,
  lagSampleOf,
  worstStatus,
  type Admin,
  type LagSample,
  type LagStatus,
  type OffsetResetTarget,
  type PartitionLag,
  type PartitionStatus,
} from '@isobar/core'
import { flag, intOption, requirePositional, stringOption, type ParsedArgs } from '../args.ts'
import { commandGroup, type Command } from '../command.ts'
import { writeJson, writeLine, type CliContext } from '../context.ts'
import { UsageError } from '../errors.ts'

async function withAdmin<T>(ctx: CliContext, run: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = (await ctx.kafka()).admin()
  try {
    return await run(admin)
  } finally {
    await admin.close()
  }
}

/** bigint offsets as JSON numbers (exact far beyond any real log). */
function plain<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)))
}

function table(ctx: CliContext, header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  writeLine(ctx.stdout, line(header))
  for (const row of rows) writeLine(ctx.stdout, line(row))
}

const list: Command = {
  name: 'list',
  summary: 'List consumer groups (classic and KIP-848) with state',
  options: { json: { type: 'boolean', description: 'print JSON' } },
  async run(args, ctx) {
    const groups = await withAdmin(ctx, (admin) => admin.listGroups())
    if (flag(args, 'json')) writeJson(ctx.stdout, groups)
    else
      table(
        ctx,
        ['GROUP', 'TYPE', 'STATE'],
        groups.map((g) => [g.groupId, g.type, g.state]),
      )
    return 0
  },
}

const describe: Command = {
  name: 'describe',
  summary: 'State, protocol, members with assignments, and committed offsets of a group',
  arguments: [{ name: 'group', required: true }],
  options: { json: { type: 'boolean', description: 'print JSON' } },
  async run(args, ctx) {
    const groupId = requirePositional(args, 'groups describe', 0, 'group id')
    const [description, offsets] = await withAdmin(ctx, (admin) =>
      Promise.all([admin.describeGroup(groupId), admin.groupOffsets(groupId)]),
    )
    if (flag(args, 'json')) {
      writeJson(ctx.stdout, plain({ ...description, offsets }))
      return 0
    }
    writeLine(
      ctx.stdout,
      `Group: ${description.groupId}\tType: ${description.type}\tState: ${description.state}\tProtocol: ${description.protocol || '-'}\tMembers: ${description.members.length}`,
    )
    for (const m of description.members) {
      const assigned = m.assignment.map((a) => `${a.topic}[${a.partitions.join(',')}]`).join(' ') || '-'
      writeLine(ctx.stdout, `  Member: ${m.memberId}\tClient: ${m.clientId}@${m.clientHost}\tAssigned: ${assigned}`)
    }
    for (const o of offsets) writeLine(ctx.stdout, `  Committed: ${o.topic}[${o.partition}] = ${o.offset}`)
    return 0
  },
}

interface SampledLag {
  rows: Array<PartitionLag & PartitionStatus>
  status: LagStatus
  activeMembers: number
}

/** `samples` rounds of groupLag + describeGroup, `intervalMs` apart, judged with the Burrow-style rules. */
async function sampleLag(admin: Admin, groupId: string, samples: number, intervalMs: number): Promise<SampledLag> {
  const windows = new Map<string, LagSample[]>()
  let latest: PartitionLag[] = []
  let activeMembers = 0
  for (let i = 0; i < samples; i++) {
    if (i > 0) await sleep(intervalMs)
    const [rows, description] = await Promise.all([admin.groupLag(groupId), admin.describeGroup(groupId)])
    const timeMs = Date.now()
    for (const r of rows) {
      const key = `${r.topic}\u0000${r.partition}`
      const window = windows.get(key) ?? []
      window.push(lagSampleOf(r, timeMs))
      windows.set(key, window)
    }
    latest = rows
    activeMembers = description.members.length
  }
  const rows = latest.map((r) => ({
    ...r,
    ...evaluatePartition(windows.get(`${r.topic}\u0000${r.partition}`) ?? [], { activeMembers }),
  }))
  return { rows, status: worstStatus(rows.map((r) => r.status)), activeMembers }
}

const lag: Command = {
  name: 'lag',
  summary: 'Lag per partition in records and in seconds, with a Burrow-style status',
  arguments: [{ name: 'group', required: true }],
  options: {
    samples: { type: 'string', value: 'N', description: 'samples to judge from (>= 1)', default: '3' },
    interval: { type: 'string', value: 'MS', description: 'time between samples (>= 0)', default: '1000' },
    json: {
      type: 'boolean',
      description:
        'the rows as a JSON array, each with status and reason; with --samples or --interval, an object {group, status, activeMembers, samples, intervalMs, partitions: [rows]}',
    },
  },
  notes: [
    'LAG counts the records after the committed offset; LAG-SECONDS is the age of the next unconsumed record',
    '(0 when caught up, "-" when the partition has no committed offset).',
    '',
    'STATUS judges each partition over N samples taken MS apart (default 3 samples, 1000 ms: about 2 s):',
    '  OK      caught up at some point in the window, or consuming',
    '  WARN    the group commits, but the lag never decreased and grew',
    '  STALL   the group has members, but the committed offset did not move while there was lag',
    '  STOP    the group has no members and the committed offset did not move while there was lag',
    '  REWIND  the committed offset went backwards (e.g. an offset reset)',
    'The Status line under the table is the worst partition status (OK < WARN < STALL < STOP < REWIND),',
    'followed by the reason of every partition that is not OK.',
    'One sample (--samples 1) can only tell OK (lag 0, or members present) from STOP (lag, no members).',
    'STALL needs a window longer than the group\u2019s commit interval (autocommit: 5 s by default), e.g.',
    '--samples 4 --interval 3000; a shorter window may call a healthy consumer that has not committed yet STALL.',
  ].join('\n'),
  async run(args, ctx) {
    const samples = intOption(args, 'groups lag', 'samples', 3, 1)
    const intervalMs = intOption(args, 'groups lag', 'interval', 1000, 0)
    const groupId = requirePositional(args, 'groups lag', 0, 'group id')
    const result = await withAdmin(ctx, (admin) => sampleLag(admin, groupId, samples, intervalMs))
    if (flag(args, 'json')) {
      // The plain array stays the default shape: scripts were written against it before statuses existed.
      const explicit = args.values.samples !== undefined || args.values.interval !== undefined
      const { status, activeMembers, rows } = result
      const body = explicit ? { group: groupId, status, activeMembers, samples, intervalMs, partitions: rows } : rows
      writeJson(ctx.stdout, plain(body))
      return 0
    }
    const dash = (v: bigint | null): string => (v === null ? '-' : v.toString())
    table(
      ctx,
      ['TOPIC', 'PARTITION', 'COMMITTED', 'LATEST', 'LAG', 'LAG-SECONDS', 'STATUS'],
      result.rows.map((r) => [
        r.topic,
        String(r.partition),
        dash(r.committedOffset),
        String(r.latestOffset),
        dash(r.lag),
        r.lagSeconds === null ? '-' : r.lagSeconds.toFixed(1),
        r.status,
      ]),
    )
    writeLine(ctx.stdout, `Status: ${result.status}`)
    for (const r of result.rows.filter((row) => row.status !== 'OK')) {
      writeLine(ctx.stdout, `  ${r.topic}[${r.partition}] ${r.status}: ${r.reason}`)
    }
    return 0
  },
}

function resetTarget(args: ParsedArgs): OffsetResetTarget {
  const chosen = (['to-earliest', 'to-latest', 'to-timestamp', 'to-offset'] as const).filter(
    (k) => args.values[k] !== undefined && args.values[k] !== false,
  )
  if (chosen.length !== 1) {
    throw new UsageError(
      'groups reset-offsets: give exactly one of --to-earliest, --to-latest, --to-timestamp, --to-offset',
    )
  }
  const [which] = chosen
  if (which === 'to-earliest') return { to: 'earliest' }
  if (which === 'to-latest') return { to: 'latest' }
  const raw = stringOption(args, which ?? '') ?? ''
  if (which === 'to-timestamp') {
    const timestamp = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw)
    if (!Number.isFinite(timestamp)) {
      throw new UsageError(
        `groups reset-offsets: --to-timestamp expects ms since the epoch or an ISO date, got "${raw}"`,
      )
    }
    return { to: 'timestamp', timestamp }
  }
  if (!/^\d+$/.test(raw)) throw new UsageError(`groups reset-offsets: --to-offset expects an offset >= 0, got "${raw}"`)
  return { to: 'offset', offset: BigInt(raw) }
}

const resetOffsets: Command = {
  name: 'reset-offsets',
  summary: 'Move a group’s committed offsets on a topic (the group must have no members)',
  arguments: [{ name: 'group', required: true }],
  options: {
    topic: { type: 'string', short: 't', value: 'T', description: 'the topic whose offsets move (required)' },
    'to-earliest': { type: 'boolean', description: 'to the first offset of each partition' },
    'to-latest': { type: 'boolean', description: 'to the end of each partition' },
    'to-timestamp': {
      type: 'string',
      value: 'TS',
      description: 'first record at or after TS (ms since the epoch, or an ISO date)',
    },
    'to-offset': { type: 'string', value: 'N', description: 'clamped to each partition’s range' },
    partition: {
      type: 'string',
      multiple: true,
      short: 'p',
      value: 'P',
      description: 'only these partitions (repeatable)',
      default: 'all',
    },
    json: { type: 'boolean', description: 'print JSON' },
  },
  notes: 'Give exactly one of --to-earliest, --to-latest, --to-timestamp, --to-offset.',
  async run(args, ctx) {
    const groupId = requirePositional(args, 'groups reset-offsets', 0, 'group id')
    const topic = stringOption(args, 'topic')
    if (!topic) throw new UsageError('groups reset-offsets: missing --topic')
    const target = resetTarget(args)
    const rawPartitions = (args.values.partition as string[] | undefined) ?? []
    const partitions = rawPartitions.map((p) => {
      if (!/^\d+$/.test(p)) throw new UsageError(`groups reset-offsets: --partition expects an integer, got "${p}"`)
      return Number(p)
    })
    const offsets = await withAdmin(ctx, (admin) =>
      admin.resetGroupOffsets(groupId, topic, target, partitions.length > 0 ? { partitions } : {}),
    )
    if (flag(args, 'json')) writeJson(ctx.stdout, plain({ groupId, offsets }))
    else for (const o of offsets) writeLine(ctx.stdout, `${groupId}: ${o.topic}[${o.partition}] -> ${o.offset}`)
    return 0
  },
}

const remove: Command = {
  name: 'delete',
  summary: 'Delete a consumer group and its committed offsets (it must have no members)',
  arguments: [{ name: 'group', required: true }],
  options: { json: { type: 'boolean', description: 'print JSON' } },
  async run(args, ctx) {
    const groupId = requirePositional(args, 'groups delete', 0, 'group id')
    await withAdmin(ctx, (admin) => admin.deleteGroup(groupId))
    if (flag(args, 'json')) writeJson(ctx.stdout, { deleted: groupId })
    else writeLine(ctx.stdout, `Deleted group ${groupId}`)
    return 0
  },
}

export const groupsCommand = commandGroup('groups', 'Inspect consumer groups, their lag, and move their offsets', [
  list,
  describe,
  lag,
  resetOffsets,
  remove,
])
