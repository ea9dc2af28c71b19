/**
 * The Compose deployment under test: the repository's compose.yaml with CI image names and ports 30400–30499,
 * as its own compose project, driven through the docker CLI. Everything published binds to 127.0.0.1.
 */
import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const PROJECT = 'isobar-deploy-test'
/** The locally imported Debian base (prepare.sh): nothing can be pulled on CI's machines. */
export const BASE_IMAGE = 'isobar/debian:bookworm'

export const PORTS = {
  kafka: [30401, 30402, 30403],
  registry: [30411, 30412],
  console: 30480,
  weather: 30464,
  analytics: [30465, 30466],
  notifier: 30467,
  prometheus: 30490,
  alertmanager: 30493,
  grafana: 30430,
} as const

export const IMAGES = {
  isobar: 'isobar/isobar:deploy-test',
  kafka: 'isobar/kafka:deploy-test',
  prometheus: 'isobar/prometheus:deploy-test',
  alertmanager: 'isobar/alertmanager:deploy-test',
} as const

/** Variables compose.yaml reads (they win over .env): CI images, test ports, a lighter simulator. */
export function composeEnv(): Record<string, string> {
  return {
    ISOBAR_IMAGE: IMAGES.isobar,
    KAFKA_IMAGE: IMAGES.kafka,
    PROMETHEUS_IMAGE: IMAGES.prometheus,
    ALERTMANAGER_IMAGE: IMAGES.alertmanager,
    NODE_BASE: BASE_IMAGE,
    JRE_BASE: BASE_IMAGE,
    ISOBAR_BIND: '127.0.0.1',
    KAFKA_1_PORT: String(PORTS.kafka[0]),
    KAFKA_2_PORT: String(PORTS.kafka[1]),
    KAFKA_3_PORT: String(PORTS.kafka[2]),
    REGISTRY_1_PORT: String(PORTS.registry[0]),
    REGISTRY_2_PORT: String(PORTS.registry[1]),
    CONSOLE_PORT: String(PORTS.console),
    WEATHER_METRICS_PORT: String(PORTS.weather),
    ANALYTICS_1_METRICS_PORT: String(PORTS.analytics[0]),
    ANALYTICS_2_METRICS_PORT: String(PORTS.analytics[1]),
    NOTIFIER_METRICS_PORT: String(PORTS.notifier),
    PROMETHEUS_PORT: String(PORTS.prometheus),
    ALERTMANAGER_PORT: String(PORTS.alertmanager),
    GRAFANA_PORT: String(PORTS.grafana),
    SIMULATOR_SENSORS: '200',
    SIMULATOR_RATE: '200',
    WEATHER_STATIONS: '10',
  }
}

export interface RunResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs a command; rejects with its stderr's tail when it exits non-zero (unless `allowFailure`). */
export function run(
  command: string,
  args: readonly string[],
  options: { env?: Record<string, string>; allowFailure?: boolean; timeoutMs?: number; echo?: boolean } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 20 * 60_000,
      killSignal: 'SIGKILL',
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      if (options.echo === true) process.stderr.write(chunk)
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
      if (options.echo === true) process.stderr.write(chunk)
    })
    child.on('error', reject)
    child.on('close', (code, signal) => {
      const result = { code: code ?? 1, stdout, stderr }
      if (result.code === 0 || options.allowFailure === true) resolve(result)
      else {
        const why = signal === null ? `exit ${result.code}` : `signal ${signal}`
        reject(new Error(`${command} ${args.join(' ')}: ${why}\n${stderr.slice(-4000)}`))
      }
    })
  })
}

export function compose(args: readonly string[], options: { allowFailure?: boolean; timeoutMs?: number } = {}) {
  return run('docker', ['compose', '-p', PROJECT, '-f', join(REPO_ROOT, 'compose.yaml'), ...args], {
    ...options,
    env: composeEnv(),
  })
}

/** Builds the two Isobar images from the shipped Dockerfiles on the Debian base, plus the Prometheus stand-ins. */
export async function buildImages(): Promise<void> {
  const builds: Array<[string, string, Record<string, string>]> = [
    [IMAGES.kafka, 'deploy/docker/kafka.Dockerfile', { JRE_BASE: BASE_IMAGE }],
    [IMAGES.isobar, 'deploy/docker/isobar.Dockerfile', { NODE_BASE: BASE_IMAGE }],
    [IMAGES.prometheus, 'deploy/docker/prometheus-debian.Dockerfile', { DEBIAN_BASE: BASE_IMAGE }],
    [IMAGES.alertmanager, 'deploy/docker/alertmanager-debian.Dockerfile', { DEBIAN_BASE: BASE_IMAGE }],
  ]
  // npm ci in the build stage trusts what npm on this host trusts (a TLS-intercepting proxy's CA included).
  const hostTrust = '/etc/ssl/certs/ca-certificates.crt'
  if (existsSync(hostTrust)) copyFileSync(hostTrust, join(REPO_ROOT, 'deploy', 'docker', 'build-ca', 'host.pem'))
  for (const [tag, dockerfile, buildArgs] of builds) {
    const args = Object.entries(buildArgs).flatMap(([key, value]) => ['--build-arg', `${key}=${value}`])
    await run('docker', ['build', '-q', '-f', dockerfile, ...args, '-t', tag, '.'], { timeoutMs: 30 * 60_000 })
  }
}

export async function imageSizes(): Promise<Record<string, string>> {
  const sizes: Record<string, string> = {}
  for (const tag of Object.values(IMAGES)) {
    const { stdout } = await run('docker', ['image', 'inspect', '--format', '{{.Size}}', tag])
    sizes[tag] = `${(Number(stdout.trim()) / 1024 / 1024).toFixed(0)} MiB`
  }
  return sizes
}

/** The kafka:jars step must have run: the Kafka image copies those jars and the JMX exporter agent. */
export function assertKafkaJars(): void {
  const lib = join(REPO_ROOT, 'packages', 'kafka-local', 'lib')
  for (const needed of [join(lib, '4.2.2'), join(lib, 'jmx', 'jmx_prometheus_javaagent.jar')]) {
    if (!existsSync(needed)) throw new Error(`${needed} is missing: run npm run kafka:jars first`)
  }
}

/** Keeps the services' logs of a run (the stack is removed afterwards) in .ci-scratch/. */
export async function saveLogs(): Promise<string> {
  const dir = join(REPO_ROOT, '.ci-scratch')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'deploy-test-logs.txt')
  const ps = await compose(['ps', '-a'], { allowFailure: true })
  const logs = await compose(['logs', '--no-color', '--timestamps', '--tail', '300'], { allowFailure: true })
  writeFileSync(file, `${ps.stdout}\n${logs.stdout}${logs.stderr}`)
  return file
}

/** Stops the dockerd that prepare.sh started (a reused engine is left alone). */
export function stopStartedDockerd(): void {
  const cache = process.env.ISOBAR_DEPLOY_CACHE ?? join(process.env.HOME ?? '/root', '.cache', 'isobar')
  const pidFile = join(cache, 'dockerd.started.pid')
  if (!existsSync(pidFile)) return
  const pid = Number(readFileSync(pidFile, 'utf8').trim())
  writeFileSync(pidFile, '')
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, 'SIGTERM')
    } catch {
      // already gone
    }
  }
}
