import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { findBinary } from './binaries.ts'
import { ObservabilityError, ObservabilityErrorCodes } from './errors.ts'

export interface PrometheusProcess {
  url: string
  /** Instant query; the result vector (empty: no data). */
  query(expr: string): Promise<unknown[]>
  stop(): Promise<void>
  output(): string
}

/**
 * Starts the Debian `prometheus` binary on 127.0.0.1:<port> with `configYaml` and its storage in `dir`
 * (for tests and local runs; the caller's config must only name 127.0.0.1 targets).
 */
export async function startPrometheus(options: {
  dir: string
  port: number
  configYaml: string
}): Promise<PrometheusProcess> {
  await mkdir(join(options.dir, 'data'), { recursive: true })
  const configFile = join(options.dir, 'prometheus.yml')
  await writeFile(configFile, options.configYaml)
  const child: ChildProcess = spawn(
    await findBinary('prometheus'),
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(options.dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${options.port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20_000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = `http://127.0.0.1:${options.port}`
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) {
      throw new ObservabilityError(ObservabilityErrorCodes.PROCESS_FAILED, `prometheus exited: ${output}`)
    }
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    )
    if (ready) break
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new ObservabilityError(ObservabilityErrorCodes.TIMEOUT, `prometheus not ready after 60 s: ${output}`, {
        retriable: true,
      })
    }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  return {
    url,
    output: () => output,
    async query(expr) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}`)
      const body = (await response.json()) as { status: string; error?: string; data?: { result: unknown[] } }
      if (body.status !== 'success') {
        throw new ObservabilityError(
          ObservabilityErrorCodes.PROCESS_FAILED,
          `query ${expr} failed: ${body.error ?? ''}`,
        )
      }
      return body.data?.result ?? []
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}
