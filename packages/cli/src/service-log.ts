/**
 * Service logs of `npm start`: every line a service prints goes to its own file under `<home>/logs/<service>.log`
 * (rotated by size, a few generations kept), and only what a person must see reaches the terminal: warnings and
 * errors, one readable line each. `isobar logs <service>` reads the files back.
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'

export interface RotatingFileOptions {
  /** Rotate when the file would grow past this. Default 10 MiB. */
  maxBytes?: number
  /** Rotated generations kept (`x.log.1` … `x.log.N`). Default 3. */
  keep?: number
}

/** An append-only log file that rotates by size. Writes are synchronous: a crash loses no logged line. */
export class RotatingFile {
  readonly path: string
  readonly #maxBytes: number
  readonly #keep: number
  #fd: number
  #size: number
  #closed = false

  constructor(path: string, options: RotatingFileOptions = {}) {
    this.path = path
    this.#maxBytes = options.maxBytes ?? 10 * 1024 * 1024
    this.#keep = options.keep ?? 3
    this.#fd = openSync(path, 'a')
    this.#size = statSync(path).size
  }

  write(line: string): void {
    if (this.#closed) return
    const bytes = Buffer.from(line.endsWith('\n') ? line : `${line}\n`)
    if (this.#size > 0 && this.#size + bytes.length > this.#maxBytes) this.#rotate()
    writeSync(this.#fd, bytes)
    this.#size += bytes.length
  }

  close(): void {
    if (this.#closed) return
    this.#closed = true
    closeSync(this.#fd)
  }

  #rotate(): void {
    closeSync(this.#fd)
    rmSync(`${this.path}.${this.#keep}`, { force: true })
    for (let n = this.#keep - 1; n >= 1; n--) {
      if (existsSync(`${this.path}.${n}`)) renameSync(`${this.path}.${n}`, `${this.path}.${n + 1}`)
    }
    renameSync(this.path, `${this.path}.1`)
    this.#fd = openSync(this.path, 'a')
    this.#size = 0
  }
}

export function logDir(homeDir: string): string {
  return join(homeDir, 'logs')
}

export function serviceLogPath(homeDir: string, service: string): string {
  return join(logDir(homeDir), `${service}.log`)
}

export function openServiceLog(homeDir: string, service: string, options?: RotatingFileOptions): RotatingFile {
  mkdirSync(logDir(homeDir), { recursive: true })
  return new RotatingFile(serviceLogPath(homeDir, service), options)
}

/** pino's level numbers by name: the one table for rendering lines and for `isobar logs --level`. */
export const LOG_LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const
const LEVEL_NAMES = new Map<number, string>(Object.entries(LOG_LEVELS).map(([name, n]) => [n, name.toUpperCase()]))
/** Fields every pino line has, or that the rendering shows elsewhere. */
const SKIPPED = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname', 'err'])

export interface LogLine {
  /** pino level (30 info, 40 warn, 50 error); undefined for a line that is not JSON (a crash trace, a summary). */
  level: number | undefined
  text: string
}

function scalar(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/** One human line for a service's log line: `12:03:04 WARN message  key=value … (error message)`. */
export function renderLogLine(raw: string): LogLine {
  let parsed: unknown
  try {
    parsed = raw.startsWith('{') ? JSON.parse(raw) : undefined
  } catch {
    parsed = undefined
  }
  if (parsed === null || typeof parsed !== 'object' || typeof (parsed as { level?: unknown }).level !== 'number') {
    return { level: undefined, text: raw }
  }
  const entry = parsed as Record<string, unknown> & { level: number }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 19) : ''
  const fields = Object.entries(entry)
    .filter(([key, value]) => !SKIPPED.has(key) && value !== undefined && value !== null)
    .map(([key, value]) => `${key}=${scalar(value)}`)
  const err = entry.err as { message?: unknown } | undefined
  const reason = typeof err?.message === 'string' ? ` (${err.message.split('\n')[0]})` : ''
  const message = typeof entry.msg === 'string' ? entry.msg : ''
  const text = [time, LEVEL_NAMES.get(entry.level) ?? String(entry.level), `${message}${reason}`, ...fields].join(' ')
  return { level: entry.level, text: text.trim() }
}
