/**
 * Global setup for `node --test --test-global-setup=packages/testing/src/global-setup.ts`: one real Kafka broker
 * for the whole run. Runs in the test runner's process; test files run as its children and inherit the env vars
 * set here (ISOBAR_TEST_BOOTSTRAP, ISOBAR_KAFKA_LIB). This is a program entry point, so reading env is fine here.
 */
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureKafkaJars, startLocalKafka, stopLocalKafka } from '@isobar/kafka-local'

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const HOME_DIR = join(REPO_ROOT, '.isobar')
const CLUSTER_NAME = 'test'
// ISOBAR_TEST_KAFKA_PORT moves the test broker, e.g. to run two checkouts' suites side by side.
const BASE_PORT = Number(process.env.ISOBAR_TEST_KAFKA_PORT ?? 29092)

/** Set when this run started the broker: only then does teardown stop it (a reused one belongs to someone else). */
let startedHere = false

export async function globalSetup(): Promise<void> {
  const started = Date.now()
  process.env.ISOBAR_KAFKA_LIB = await ensureKafkaJars()
  // An explicit bootstrap (an outer run, CI with its own Kafka) wins over starting one.
  if (process.env.ISOBAR_TEST_BOOTSTRAP) {
    process.stderr.write(
      `[isobar test] Kafka at ${process.env.ISOBAR_TEST_BOOTSTRAP} (ISOBAR_TEST_BOOTSTRAP, not started)\n`,
    )
    return
  }
  const cluster = await startLocalKafka({ homeDir: HOME_DIR, name: CLUSTER_NAME, nodes: 1, basePort: BASE_PORT })
  startedHere = !cluster.reused
  process.env.ISOBAR_TEST_BOOTSTRAP = cluster.bootstrapServers
  const how = cluster.reused
    ? 'reused the running broker, left running after the tests'
    : `started in ${((Date.now() - started) / 1000).toFixed(1)} s`
  process.stderr.write(`[isobar test] Kafka ${cluster.kafkaVersion} at ${cluster.bootstrapServers} (${how})\n`)
}

export async function globalTeardown(): Promise<void> {
  if (!startedHere) return
  await stopLocalKafka({ homeDir: HOME_DIR, name: CLUSTER_NAME, removeData: true })
}
