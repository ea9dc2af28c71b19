/**
 * `isobar weather run` runs the Weather Streamer as what it is, a service process: its own main.ts, configured
 * through WEATHER_CONFIG, as `npm start` and the containers run it. The CLI forwards Ctrl-C once, shows the
 * service's warnings as readable lines, and prints the summary the service writes on stdout when it stops.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { join } from 'node:path'
import type { Env } from '@isobar/core'
import type { CliContext } from '../context.ts'
import { UsageError } from '../errors.ts'
import { LOG_LEVELS, renderLogLine } from '../service-log.ts'

/** One source's totals as the service prints them when it stops. */
export interface SourceSummary {
  source: string
  state: string
  produced: number
  delivered: number
  failed: number
  retried: number
  deadLettered: number
  error?: string
}

export interface WeatherProcessOptions {
  /** The raw WEATHER_CONFIG; the service validates it (a refusal exits 2). */
  config: Record<string, unknown>
  /** Validate and frame through the Schema Registry at ctx.registryUrl. */
  registry: boolean
  /** Print the address of /metrics once the service listens. */
  printMetricsUrl: boolean
}

/** Variables of the service that must come from the command line only, not from the caller's shell. */
const OWN_VARIABLES = /^(WEATHER_|METRICS_|SCHEMA_REGISTRY_URL$|LOG_LEVEL$)/

function childEnv(ctx: CliContext, options: WeatherProcessOptions): Env {
  const inherited = Object.entries(ctx.kafkaEnv()).filter(([name]) => !OWN_VARIABLES.test(name))
  return {
    ...Object.fromEntries(inherited),
    WEATHER_CONFIG: JSON.stringify(options.config),
    // The service logs everything; the CLI decides what reaches the terminal (LOG_LEVEL, default warn).
    LOG_LEVEL: 'info',
    ...(options.registry ? { SCHEMA_REGISTRY_URL: ctx.registryUrl } : {}),
  }
}

function terminalLevel(ctx: CliContext): number {
  const name = ctx.env.LOG_LEVEL ?? 'warn'
  return name in LOG_LEVELS ? LOG_LEVELS[name as keyof typeof LOG_LEVELS] : name === 'silent' ? Infinity : 40
}

function parsed(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line)
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

export async function runWeatherProcess(ctx: CliContext, options: WeatherProcessOptions): Promise<SourceSummary[]> {
  const metar = (options.config.metar ?? {}) as { input?: unknown }
  const readsStdin = metar.input === '-'
  const child = spawn(process.execPath, [join(ctx.repoRoot, 'packages', 'weather-streamer', 'src', 'main.ts')], {
    env: childEnv(ctx, options),
    stdio: [readsStdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    // Its own process group: Ctrl-C reaches the CLI only, which forwards it once (a second signal would end the
    // service before it flushed).
    detached: true,
  })
  if (readsStdin && child.stdin) ctx.stdin.pipe(child.stdin)
  // 'close': the process ended and its output was read to the end (the summary is its last stdout line).
  const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>
  const forward = (signal: NodeJS.Signals): void => void child.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal)
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
  for (const signal of signals) process.once(signal, forward)

  const level = terminalLevel(ctx)
  let fatal: string | undefined
  const errLines = createInterface({ input: child.stderr!, crlfDelay: Infinity })
  errLines.on('line', (line) => {
    const entry = parsed(line)
    if (entry?.level === LOG_LEVELS.fatal) {
      const err = entry.err as { message?: unknown } | undefined
      fatal = typeof err?.message === 'string' ? err.message.split('\n')[0] : String(entry.msg)
      return
    }
    if (options.printMetricsUrl && typeof entry?.port === 'number' && String(entry.msg).startsWith('metrics on')) {
      ctx.stderr.write(`metrics on http://127.0.0.1:${entry.port}/metrics\n`)
    }
    const rendered = renderLogLine(line)
    if ((rendered.level ?? LOG_LEVELS.warn) >= level) ctx.stderr.write(`[weather] ${rendered.text}\n`)
  })
  let summaryLine: string | undefined
  createInterface({ input: child.stdout!, crlfDelay: Infinity }).on('line', (line) => {
    if (line.startsWith('{"summary"')) summaryLine = line
  })
  try {
    const [code] = await closed
    if (code === 2) throw new UsageError(`weather run: ${fatal ?? 'configuration refused'}`)
    const summary = summaryLine ? (parsed(summaryLine)?.summary as SourceSummary[] | undefined) : undefined
    if (!summary) throw new Error(`weather run: the weather streamer failed${fatal ? `: ${fatal}` : ` (exit ${code})`}`)
    return summary
  } finally {
    for (const signal of signals) process.off(signal, forward)
    if (readsStdin) ctx.stdin.unpipe()
  }
}
