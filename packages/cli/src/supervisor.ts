import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import type { Writable } from 'node:stream'
import { openServiceLog, renderLogLine, type RotatingFile } from './service-log.ts'

export interface ServiceSpec {
  name: string
  /** Entry point run with this same Node binary. */
  script: string
  args?: string[]
  env?: Record<string, string>
  /** Polled until it answers 2xx; the service counts as up from then on. */
  readyUrl?: string
}

export interface RunningService {
  spec: ServiceSpec
  child: ChildProcess
  exited: Promise<number>
}

const READY_POLL_MS = 250

export interface SupervisorOptions {
  /**
   * Write each service's output to `<home>/logs/<service>.log` (rotated) and show only warnings, errors and
   * non-JSON lines on `out`, one readable line each. Unset: every line goes to `out` as is.
   */
  logHomeDir?: string
  /** With logHomeDir: show every line (rendered) on `out`, not only problems. */
  verbose?: boolean
}

/**
 * Runs each platform service as its own process, as it would be deployed, with its output prefixed by its name.
 * `stopAll` sends SIGTERM (services flush and exit) and SIGKILLs stragglers after a timeout.
 */
export class Supervisor {
  readonly #out: Writable
  readonly #services: RunningService[] = []
  readonly #options: SupervisorOptions

  constructor(out: Writable, options: SupervisorOptions = {}) {
    this.#out = out
    this.#options = options
  }

  get services(): readonly RunningService[] {
    return this.#services
  }

  start(spec: ServiceSpec, baseEnv: NodeJS.ProcessEnv): RunningService {
    const child = spawn(process.execPath, [spec.script, ...(spec.args ?? [])], {
      env: { ...baseEnv, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const { onLine, close } = this.#lineHandler(spec.name)
    child.once('close', close) // after the last line of stdout and stderr
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue
      createInterface({ input: stream }).on('line', onLine)
    }
    const exited = new Promise<number>((resolve) =>
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))),
    )
    const running = { spec, child, exited }
    this.#services.push(running)
    return running
  }

  #lineHandler(name: string): { onLine: (line: string) => void; close: () => void } {
    const home = this.#options.logHomeDir
    if (home === undefined) return { onLine: (line) => this.#out.write(`[${name}] ${line}\n`), close: () => {} }
    const file: RotatingFile = openServiceLog(home, name)
    const onLine = (line: string) => {
      file.write(line)
      const rendered = renderLogLine(line)
      const problem = rendered.level === undefined || rendered.level >= 40
      if (problem || this.#options.verbose === true) this.#out.write(`[${name}] ${rendered.text}\n`)
    }
    return { onLine, close: () => file.close() }
  }

  /** Resolves when the service's readyUrl answers 2xx; rejects if it exits first or the timeout passes. */
  async waitReady(service: RunningService, timeoutMs = 60_000): Promise<void> {
    const url = service.spec.readyUrl
    if (!url) return
    let exitCode: number | undefined
    void service.exited.then((code) => (exitCode = code))
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if (exitCode !== undefined)
        throw new Error(`${service.spec.name} exited with code ${exitCode} before it was ready`)
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2000) })
        if (response.ok) return
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS))
    }
    throw new Error(`${service.spec.name} was not ready at ${url} within ${timeoutMs} ms`)
  }

  async stopAll(timeoutMs = 20_000): Promise<void> {
    const alive = this.#services.filter((s) => s.child.exitCode === null && s.child.signalCode === null)
    for (const s of alive) s.child.kill('SIGTERM')
    await Promise.all(
      alive.map(async (s) => {
        const timer = setTimeout(() => s.child.kill('SIGKILL'), timeoutMs)
        await s.exited
        clearTimeout(timer)
      }),
    )
  }
}
