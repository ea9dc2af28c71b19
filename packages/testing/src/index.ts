import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { dirname, join } from 'node:path'
import type { TestContext } from 'node:test'
import { fileURLToPath } from 'node:url'
import { createKafkaClient, parseKafkaConfig, type KafkaClient, type KafkaConfig, type NewTopic } from '@isobar/core'

/** The repository root (this file is packages/testing/src/index.ts). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')

function required(name: string): string {
  const value = process.env[name]
  if (!value) {
    throw new Error(
      `${name} is not set: a test that needs Kafka is named *.int.test.ts and runs through \`npm test\` or ` +
        '`npm run test:int`, whose global setup starts the test broker',
    )
  }
  return value
}

/** Bootstrap servers of the shared test broker that the global setup started for this run. */
export function testBootstrapServers(): string {
  return required('ISOBAR_TEST_BOOTSTRAP')
}

/** The Kafka jars dir (for running Kafka's own tools against the test broker). */
export function testKafkaLibDir(): string {
  return required('ISOBAR_KAFKA_LIB')
}

export function testKafkaConfig(overrides: Record<string, unknown> = {}): KafkaConfig {
  return parseKafkaConfig({
    bootstrapServers: testBootstrapServers().split(','),
    clientId: 'isobar-test',
    ...overrides,
  })
}

export function testKafkaClient(): KafkaClient {
  return createKafkaClient(testKafkaConfig())
}

/** A topic name no other test uses, so tests can share one broker. */
export function uniqueTopicName(prefix = 'test'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`
}

/** Creates a uniquely named topic and deletes it when the test ends. */
export async function createTestTopic(
  t: Pick<TestContext, 'after'>,
  options: Omit<NewTopic, 'name'> & { prefix?: string } = {},
): Promise<string> {
  const name = uniqueTopicName(options.prefix)
  const admin = testKafkaClient().admin()
  try {
    await admin.createTopics([
      {
        name,
        partitions: options.partitions ?? 1,
        replicationFactor: options.replicationFactor ?? 1,
        configs: options.configs ?? {},
      },
    ])
  } finally {
    await admin.close()
  }
  t.after(async () => {
    const cleanup = testKafkaClient().admin()
    await cleanup.deleteTopics([name]).catch(() => undefined)
    await cleanup.close()
  })
  return name
}

export interface ProcessResult {
  exitCode: number
  stdout: string
  stderr: string
}

/** Where unit-tier CLI runs point Kafka: port 1 on loopback, refused at once. */
const NO_KAFKA = '127.0.0.1:1'

/** Runs a command to completion with a hard timeout, feeding `input` on stdin. */
export function runProcess(
  command: string,
  args: readonly string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? REPO_ROOT,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
    child.once('error', reject)
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ exitCode: code ?? (signal ? 128 : 0), stdout, stderr })
    })
    child.stdin.end(options.input ?? '')
  })
}

/**
 * Runs `isobar …` as a user would, pointed at the test broker. In the unit tier (no broker) it points at an
 * address nothing listens on, so a command that reaches for Kafka fails fast instead of finding a developer's own.
 */
export function runIsobar(
  args: readonly string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<ProcessResult> {
  return runProcess(process.execPath, [join(REPO_ROOT, 'packages', 'cli', 'bin', 'isobar.js'), ...args], {
    ...options,
    env: { ...process.env, KAFKA_BOOTSTRAP_SERVERS: process.env.ISOBAR_TEST_BOOTSTRAP ?? NO_KAFKA, ...options.env },
  })
}
