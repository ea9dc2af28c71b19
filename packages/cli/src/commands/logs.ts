import { existsSync, openSync, readdirSync, readSync, closeSync, statSync } from 'node:fs'
import { flag, intOption, stringOption } from '../args.ts'
import type { Command } from '../command.ts'
import { writeJson, writeLine } from '../output.ts'
import { UsageError } from '../errors.ts'
import { LOG_LEVELS, logDir, renderLogLine, serviceLogPath } from '../service-log.ts'

const LEVELS: Record<string, number> = {
  debug: LOG_LEVELS.debug,
  info: LOG_LEVELS.info,
  warn: LOG_LEVELS.warn,
  error: LOG_LEVELS.error,
}
const FOLLOW_POLL_MS = 500
/** Bytes read from the end of a file to find its last lines (bounded, however big the file). */
const TAIL_WINDOW = 4 * 1024 * 1024

function readRange(path: string, start: number, end: number): string {
  const fd = openSync(path, 'r')
  try {
    const buffer = Buffer.alloc(end - start)
    const read = readSync(fd, buffer, 0, buffer.length, start)
    return buffer.subarray(0, read).toString('utf8')
  } finally {
    closeSync(fd)
  }
}

function services(homeDir: string): Array<{ service: string; bytes: number; modified: string }> {
  const dir = logDir(homeDir)
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((name) => name.endsWith('.log'))
    .sort()
    .map((name) => {
      const stat = statSync(`${dir}/${name}`)
      return { service: name.slice(0, -4), bytes: stat.size, modified: stat.mtime.toISOString() }
    })
}

export const logsCommand: Command = {
  name: 'logs',
  summary: 'Read the logs of the services `npm start` runs',
  arguments: [{ name: 'service' }],
  options: {
    lines: { type: 'string', value: 'N', description: 'how many of the last lines', default: '50' },
    follow: { type: 'boolean', short: 'f', description: 'keep printing new lines until Ctrl-C (survives rotation)' },
    level: {
      type: 'string',
      value: 'info|warn|error',
      description: 'only lines at this level or above',
      default: 'all',
    },
    json: { type: 'boolean', description: 'the stored JSON lines as they are (or the file list as JSON)' },
  },
  notes: [
    'Without a service: lists the log files (one per service, under <ISOBAR_HOME>/logs, rotated at 10 MiB,',
    'three generations kept). With one: prints its last lines, one readable line each.',
  ].join('\n'),
  async run(args, ctx) {
    const json = flag(args, 'json')
    const service = args.positionals[0]
    if (service === undefined) {
      const list = services(ctx.homeDir)
      if (json) writeJson(ctx.stdout, list)
      else if (list.length === 0)
        writeLine(ctx.stdout, `No service logs yet under ${logDir(ctx.homeDir)} (run npm start).`)
      else
        for (const s of list)
          writeLine(ctx.stdout, `${s.service.padEnd(12)} ${String(s.bytes).padStart(10)} B  ${s.modified}`)
      return 0
    }
    const levelName = stringOption(args, 'level')
    const minLevel = levelName === undefined ? 0 : LEVELS[levelName]
    if (minLevel === undefined)
      throw new UsageError(`logs: --level must be one of ${Object.keys(LEVELS).join(', ')}, got "${levelName}"`)
    if (!/^[a-z0-9-]+$/.test(service)) throw new UsageError(`logs: "${service}" is not a service name`)
    const path = serviceLogPath(ctx.homeDir, service)
    if (!existsSync(path)) {
      const known = services(ctx.homeDir).map((s) => s.service)
      throw new UsageError(
        `logs: no log for "${service}"`,
        known.length > 0 ? `services with logs: ${known.join(', ')}` : 'start the platform with npm start',
      )
    }
    const print = (line: string) => {
      if (line === '') return
      const rendered = renderLogLine(line)
      if (rendered.level !== undefined && rendered.level < minLevel) return
      writeLine(ctx.stdout, json ? line : rendered.text)
    }
    const size = statSync(path).size
    const text = readRange(path, Math.max(0, size - TAIL_WINDOW), size)
    const lines = text.split('\n')
    if (size > TAIL_WINDOW) lines.shift() // a partial first line
    const wanted = intOption(args, 'logs', 'lines', 50, 0)
    const kept = lines.filter((line) => line !== '')
    for (const line of kept.slice(Math.max(0, kept.length - wanted))) print(line)
    if (!flag(args, 'follow')) return 0
    await follow(path, size, print)
    return 0
  },
}

async function follow(path: string, from: number, print: (line: string) => void): Promise<void> {
  let position = from
  let partial = ''
  const stopped = new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  let running = true
  void stopped.then(() => (running = false))
  while (running) {
    const size = existsSync(path) ? statSync(path).size : 0
    if (size < position) position = 0 // rotated: the new file starts over
    if (size > position) {
      const chunk = partial + readRange(path, position, size)
      position = size
      const lines = chunk.split('\n')
      partial = lines.pop() ?? ''
      for (const line of lines) print(line)
    }
    await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, FOLLOW_POLL_MS))])
  }
}
