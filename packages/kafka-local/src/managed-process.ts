/**
 * A managed local process: one server of the Isobar home (the Connect worker, Mosquitto, PostgreSQL) known by its
 * pid file, the marker its command line carries (so a recycled pid is never taken for ours), the file its port is
 * configured in, and its directory and log. Status, the reuse of a running one, the port check before a start
 * and the stop by pid are the same for all of them; only how each starts differs.
 */
import { readFile, rm } from 'node:fs/promises'
import { KafkaLocalError, KafkaLocalErrorCodes } from './errors.ts'
import { isPortFree, ownPidFromFile, terminatePids } from './processes.ts'

/** The server's files under the home (each server's paths object has these). */
export interface ManagedPaths {
  /** The pid file (the pid on its first line). */
  pid: string
  dir: string
  log: string
}

export interface ManagedProcessOptions {
  /** What the process's command line contains when it is ours (its config file or data directory). */
  marker: string
  /** Where the port it listens on is written (default: the marker, its config file). */
  portFile?: string
  /** The first group is the port. */
  portPattern: RegExp
  /** URL scheme for the status (`http`, `mqtt`); none: the status has no URL. */
  scheme?: string
}

export interface ManagedStatus {
  running: boolean
  pid?: number
  port?: number
  url?: string
  dir: string
  log: string
}

export interface StopOptions {
  /** The server's clean shutdown signal; SIGKILL follows after `timeoutMs`. */
  signal: NodeJS.Signals
  timeoutMs: number
  /** Remove a left-over pid file too (for servers that do not remove their own). */
  removePidFile: boolean
}

export class ManagedProcess {
  readonly #paths: ManagedPaths
  readonly #options: ManagedProcessOptions

  constructor(paths: ManagedPaths, options: ManagedProcessOptions) {
    this.#paths = paths
    this.#options = options
  }

  /** The pid when the server runs and is ours; undefined otherwise. */
  pid(): Promise<number | undefined> {
    return ownPidFromFile(this.#paths.pid, this.#options.marker)
  }

  /** The port the server was configured with (undefined before its first start). */
  async port(): Promise<number | undefined> {
    const text = await readFile(this.#options.portFile ?? this.#options.marker, 'utf8').catch(() => '')
    const port = Number(this.#options.portPattern.exec(text)?.[1])
    return Number.isInteger(port) && port > 0 ? port : undefined
  }

  url(port: number): string | undefined {
    return this.#options.scheme === undefined ? undefined : `${this.#options.scheme}://127.0.0.1:${port}`
  }

  /** Running when its pid is ours and its port is known; the URL only for servers with a scheme. */
  async status(): Promise<ManagedStatus> {
    const { dir, log } = this.#paths
    const pid = await this.pid()
    const port = await this.port()
    if (pid === undefined || port === undefined) return { running: false, dir, log }
    const url = this.url(port)
    return { running: true, pid, port, ...(url === undefined ? {} : { url }), dir, log }
  }

  /** Stops the server by its pid (see StopOptions); true if one was running. */
  async stop(options: StopOptions): Promise<boolean> {
    const pid = await this.pid()
    if (pid !== undefined) await terminatePids([pid], options.timeoutMs, options.signal)
    if (options.removePidFile) await rm(this.#paths.pid, { force: true })
    return pid !== undefined
  }
}

/** Refuses a start on a port something else holds, with the one-line hint every start gives. */
export async function assertPortFree(port: number): Promise<void> {
  if (!(await isPortFree(port))) {
    throw new KafkaLocalError(KafkaLocalErrorCodes.PORT_IN_USE, `port ${port} is in use: choose another with --port`)
  }
}
