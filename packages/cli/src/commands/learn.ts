import { LESSONS, runLesson, type BrokerControl, type FigureValue } from '@isobar/learn'
import { localKafkaStatus, restartNode, stopNode, type LocalKafkaCluster } from '@isobar/kafka-local'
import { flag, requirePositional } from '../args.ts'
import { commandGroup, type Command } from '../command.ts'
import { writeJson, writeLine, type CliContext } from '../context.ts'
import { UsageError } from '../errors.ts'
import { startLocalCluster } from './kafka.ts'

const list: Command = {
  name: 'list',
  summary: 'The lessons, in the order to take them',
  options: {
    json: { type: 'boolean', description: 'print JSON' },
  },
  notes: 'Lists the lessons of the learning path (docs/learning-path.md), in order.',
  async run(args, ctx) {
    const lessons = LESSONS.map((l, i) => ({ n: i + 1, id: l.id, title: l.title, summary: l.summary }))
    if (flag(args, 'json')) writeJson(ctx.stdout, lessons)
    else {
      for (const l of lessons) writeLine(ctx.stdout, `${String(l.n).padStart(2)}. ${l.id.padEnd(14)} ${l.title}`)
      writeLine(ctx.stdout, '')
      writeLine(ctx.stdout, 'Run one with `npx isobar learn run <id>`; docs/learning-path.md explains each.')
    }
    return Promise.resolve(0)
  },
}

const run: Command = {
  name: 'run',
  summary: 'Run one lesson against the local cluster (started if needed)',
  arguments: [{ name: 'id', required: true }],
  options: {
    json: {
      type: 'boolean',
      description: 'print {id, title, steps, figures, durationMs, cleanedUp} on stdout (narration on stderr)',
    },
  },
  notes: [
    'Runs one lesson against KAFKA_BOOTSTRAP_SERVERS, else the local cluster (started in the background if it is',
    'not running). Narrates each step and prints what happened in numbers; topics and groups it makes are deleted',
    'at the end. `isobar learn list` shows the ids.',
  ].join('\n'),
  async run(args, ctx) {
    const id = requirePositional(args, 'learn run', 0, 'lesson id')
    const lesson = LESSONS.find((l) => l.id === id)
    if (!lesson) {
      throw new UsageError(`learn run: unknown lesson "${id}"`, `one of: ${LESSONS.map((l) => l.id).join(', ')}`)
    }
    const json = flag(args, 'json')
    const local = await ensureCluster(ctx)
    const out = json ? ctx.stderr : ctx.stdout
    writeLine(out, `${lesson.title}\n${lesson.summary}\n`)
    const result = await runLesson(lesson, {
      kafka: await ctx.kafka(),
      registryUrl: ctx.registryUrl,
      ...(local ? { logDirs: logDirsOf(local), brokers: brokerControl(local) } : {}),
      onStep: (text) => writeLine(out, `• ${text}`),
    })
    if (json) writeJson(ctx.stdout, result)
    else {
      writeLine(ctx.stdout, '')
      for (const line of figureLines(result.figures)) writeLine(ctx.stdout, line)
      writeLine(
        ctx.stdout,
        `(${(result.durationMs / 1000).toFixed(1)} s; cleaned up ${plural(result.cleanedUp.topics.length, 'topic')}` +
          ` and ${plural(result.cleanedUp.groups.length, 'group')})`,
      )
    }
    return 0
  },
}

/**
 * KAFKA_BOOTSTRAP_SERVERS (nothing local to show or control), or the running local cluster (1 or 3 nodes),
 * otherwise a one-node local cluster, started now.
 */
async function ensureCluster(ctx: CliContext): Promise<LocalKafkaCluster | undefined> {
  if (ctx.env.KAFKA_BOOTSTRAP_SERVERS) return undefined
  if (!ctx.localKafka()) return startLocalCluster(ctx, 1)
  return (await localKafkaStatus({ homeDir: ctx.homeDir })).cluster
}

function logDirsOf(cluster: LocalKafkaCluster): Record<number, string> {
  return Object.fromEntries(cluster.nodes.map((n) => [n.nodeId, n.dataDir]))
}

/** The acks lesson kills a broker of the local cluster and starts it again. */
function brokerControl(initial: LocalKafkaCluster): BrokerControl {
  let cluster = initial
  return {
    kill: async (nodeId) => {
      await stopNode(cluster, nodeId, { signal: 'SIGKILL' })
    },
    restart: async (nodeId) => {
      cluster = await restartNode(cluster, nodeId)
    },
  }
}

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`

const TABLE_ROWS = 12

/** `replicaBytes` → `replica bytes`: figure names read as words in the summary. */
function words(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase()
}

const isScalar = (value: FigureValue): boolean => value === null || typeof value !== 'object'
/** A scalar, or a list of scalars (shown as `1,2,3` in a table cell). */
const isCell = (value: FigureValue): boolean => isScalar(value) || (Array.isArray(value) && value.every(isScalar))
const isFlatRow = (value: FigureValue): value is Record<string, FigureValue> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && Object.values(value).every(isCell)

function scalarText(value: FigureValue): string {
  if (Array.isArray(value)) return `[${value.map(scalarText).join(',')}]`
  if (typeof value === 'number') return value.toLocaleString('en-US', { maximumFractionDigits: 3 })
  if (value !== null && typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** Rows of flat objects as an aligned table, at most TABLE_ROWS of them (--json has them all). */
function tableLines(rows: Array<Record<string, FigureValue>>, indent: string): string[] {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))]
  const shown = rows.slice(0, TABLE_ROWS).map((row) => columns.map((c) => (c in row ? scalarText(row[c]!) : '')))
  const widths = columns.map((c, i) => Math.max(words(c).length, ...shown.map((cells) => cells[i]!.length)))
  const line = (cells: string[]) => `${indent}  ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ')}`.trimEnd()
  const more = rows.length > TABLE_ROWS ? [`${indent}  … ${rows.length - TABLE_ROWS} more (--json for all)`] : []
  return [line(columns.map(words)), ...shown.map(line), ...more]
}

/** The lesson's figures for a person: nested sections, lists on one line, rows of records as small tables. */
export function figureLines(figures: Record<string, FigureValue>, indent = ''): string[] {
  const lines: string[] = []
  for (const [name, value] of Object.entries(figures)) {
    const label = `${indent}${words(name)}:`
    if (Array.isArray(value)) {
      if (value.length === 0) lines.push(`${label} none`)
      else if (value.every(isScalar)) lines.push(`${label} ${value.map(scalarText).join(', ')}`)
      else if (value.every(isFlatRow)) lines.push(label, ...tableLines(value, indent))
      else lines.push(`${label} ${value.length} entries (--json for all)`)
    } else if (value !== null && typeof value === 'object') {
      const nested = figureLines(value, `${indent}  `)
      if (nested.length === 0) lines.push(`${label} none`)
      else lines.push(label, ...nested)
    } else {
      lines.push(`${label} ${scalarText(value)}`)
    }
  }
  return lines
}

export const learnCommand = commandGroup('learn', 'The learning path: Kafka concepts, each run on a real cluster', [
  list,
  run,
])
