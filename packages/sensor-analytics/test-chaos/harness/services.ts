/** The services under test as child processes on the chaos cluster: Sensor Analytics workers and registries. */
import { spawn, type ChildProcess } from 'node:child_process'
import { appendFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { REPO_ROOT } from '@isobar/testing'
import { MAIN_SCRIPT as ANALYTICS_MAIN } from '../../test/analytics/service-helpers.ts'

/** Every line the services print, kept after the run (the failure message shows only the tail). */
export const CHAOS_LOG_DIR = join(REPO_ROOT, '.isobar', 'chaos-logs')

const REGISTRY_MAIN = fileURLToPath(new URL('../../../registry/src/main.ts', import.meta.url))

export class ServiceProcess {
  readonly name: string
  readonly #script: string
  readonly #env: Record<string, string>
  #child: ChildProcess | undefined
  #exited: Promise<NodeJS.Signals | number | null> = Promise.resolve(null)
  #output = ''

  constructor(name: string, script: string, env: Record<string, string>) {
    this.name = name
    this.#script = script
    this.#env = env
  }

  get pid(): number | undefined {
    return this.#child?.pid
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null
  }

  /** One line for a failure message: running, or how it exited, and the tail of its output. */
  describe(): string {
    const state = this.running ? 'running' : `exited (${this.#child?.exitCode ?? this.#child?.signalCode})`
    return `--- ${this.name}: ${state}\n${this.#output.slice(-4000)}`
  }

  /** The last 20 kB the process printed (all its runs). */
  output(): string {
    return this.#output
  }

  start(): void {
    const child = spawn(process.execPath, [this.#script], {
      env: { ...process.env, LOG_LEVEL: 'warn', ...this.#env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    mkdirSync(CHAOS_LOG_DIR, { recursive: true })
    const logFile = join(CHAOS_LOG_DIR, `${this.name}.log`)
    appendFileSync(logFile, `=== start ${new Date().toISOString()}\n`)
    const keep = (chunk: Buffer): void => {
      this.#output = (this.#output + chunk.toString('utf8')).slice(-20_000)
      appendFileSync(logFile, chunk)
    }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    this.#exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        appendFileSync(logFile, `=== exit ${new Date().toISOString()} ${signal ?? code}\n`)
        resolve(signal ?? code)
      }),
    )
    this.#child = child
  }

  /** Sends the signal and resolves once the process is gone (SIGKILL after 15 s for a graceful one). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<NodeJS.Signals | number | null> {
    if (!this.running) return this.#exited
    this.#child!.kill(signal)
    const timer = setTimeout(() => this.#child?.kill('SIGKILL'), 15_000)
    const result = await this.#exited
    clearTimeout(timer)
    return result
  }
}

export function analyticsWorker(
  instanceId: string,
  o: { bootstrapServers: string; metricsPort: number; config: object },
): ServiceProcess {
  return new ServiceProcess(`analytics-${instanceId}`, ANALYTICS_MAIN, {
    KAFKA_BOOTSTRAP_SERVERS: o.bootstrapServers,
    ANALYTICS_CONFIG: JSON.stringify(o.config),
    ANALYTICS_GUARANTEE: 'exactly-once',
    ANALYTICS_INSTANCE_ID: instanceId,
    METRICS_PORT: String(o.metricsPort),
  })
}

export function registryInstance(name: string, o: { bootstrapServers: string; port: number }): ServiceProcess {
  return new ServiceProcess(name, REGISTRY_MAIN, {
    KAFKA_BOOTSTRAP_SERVERS: o.bootstrapServers,
    ISOBAR_REGISTRY_HOST: '127.0.0.1',
    ISOBAR_REGISTRY_PORT: String(o.port),
    ISOBAR_REGISTRY_ADVERTISED_URL: `http://127.0.0.1:${o.port}`,
  })
}
