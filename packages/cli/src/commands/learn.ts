import { LESSONS, runLesson, type BrokerControl, type FigureValue } from '@isobar/learn'
import { localKafkaStatus, restartNode, stopNode, type LocalKafkaCluster } from '@isobar/kafka-local'
import { flag, parseCommandArgs, requirePositional } from '../args.ts'
import { commandGroup, type Command } from '../command.ts'
import { writeJson, writeLine, type CliContext } from '../context.ts'
import { UsageError } from '../errors.ts'
import { startLocalCluster } from './kafka.ts'

const list: Command = {
  name: 'list',
  summary: 'The lessons, in the order to take them',
  help: 'Usage: isobar learn list [--json]\n\nLists the lessons of the learning path (docs/learning-path.md), in order.',
  async run(argv, ctx) {
    const args = parseCommandArgs('learn list', argv, { json: { type: 'boolean' } }, false)
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
  help: [
    'Usage: isobar learn run <id> [--json]',
    '',
    'Runs one lesson against KAFKA_BOOTSTRAP_SERVERS, else the local cluster (started in the background if it is',
    'not running). Narrates each step and prints what happened in numbers; topics and groups it makes are deleted',
    'at the end. `isobar learn list` shows the ids.',
    '',
    '  --json   print {id, title, steps, figures, durationMs, cleanedUp} on stdout (narration on stderr)',
  ].join('\n'),
  async run(argv, ctx) {
    const args = parseCommandArgs('learn run', argv, { json: { type: 'boolean' } })
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
        `(${(result.durationMs / 1000).toFixed(1)} s; ${result.cleanedUp.topics.length} topics deleted)`,
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

function figureLines(figures: Record<string, FigureValue>, indent = ''): string[] {
  const lines: string[] = []
  for (const [name, value] of Object.entries(figures)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      lines.push(`${indent}${name}:`, ...figureLines(value, `${indent}  `))
    } else {
      lines.push(
        `${indent}${name}: ${Array.isArray(value) ? value.map((v) => JSON.stringify(v)).join(', ') : String(value)}`,
      )
    }
  }
  return lines
}

export const learnCommand = commandGroup('learn', 'The learning path: Kafka concepts, each run on a real cluster', [
  list,
  run,
])
