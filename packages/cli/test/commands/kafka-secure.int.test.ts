import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { localKafkaCredentials, startLocalKafka, stopLocalKafka, type LocalKafkaCluster } from '@isobar/kafka-local'
import { REPO_ROOT, runProcess } from '@isobar/testing'
import { credentialEnv } from '../../src/kafka-security.ts'

// A secured 3-node cluster of its own (ports 29300–29305) as the CLI's local cluster "dev" in a temp ISOBAR_HOME:
// every command must find it and its admin credentials without being told.
const basePort = 29300
// A weather.* topic: the weather principal may see it (DESCRIBE through WRITE) but not delete it. For a topic a
// principal cannot describe at all, Kafka answers "unknown topic" instead, so as not to reveal that it exists.
const topic = 'weather.cli-test'

describe('integration: the CLI against a secured 3-node local Kafka', { timeout: 300_000 }, () => {
  let homeDir: string
  let cluster: LocalKafkaCluster

  /** `isobar …` with no Kafka variables at all: only ISOBAR_HOME points at the cluster. */
  function isobar(args: string[], extraEnv: Record<string, string> = {}, input?: string) {
    const env: NodeJS.ProcessEnv = { ...process.env, ISOBAR_HOME: homeDir, ...extraEnv }
    for (const key of Object.keys(env)) if (key.startsWith('KAFKA_') && !(key in extraEnv)) delete env[key]
    return runProcess(process.execPath, [join(REPO_ROOT, 'packages', 'cli', 'bin', 'isobar.js'), ...args], {
      env,
      timeoutMs: 90_000,
      ...(input === undefined ? {} : { input }),
    })
  }

  before(async () => {
    homeDir = await mkdtemp(join(tmpdir(), 'cli-secure-it-'))
    cluster = await startLocalKafka({
      homeDir,
      name: 'dev',
      nodes: 3,
      basePort,
      security: 'sasl_ssl',
      readyTimeoutMs: 150_000,
    })
  })

  after(async () => {
    await stopLocalKafka({ homeDir, name: 'dev', timeoutMs: 15_000, removeData: true })
    await rm(homeDir, { recursive: true, force: true })
  })

  it('reports the cluster as secured and refuses to restart it in the other mode', async () => {
    const status = await isobar(['kafka', 'status', '--json'])
    assert.equal(status.exitCode, 0, status.stderr)
    const parsed = JSON.parse(status.stdout) as { running: boolean; security: { protocol: string } | null }
    assert.equal(parsed.running, true)
    assert.equal(parsed.security?.protocol, 'SASL_SSL')
    const plain = await isobar(['kafka', 'start', '--nodes', '3'], { ISOBAR_KAFKA_SECURITY: 'none' })
    assert.equal(plain.exitCode, 2)
    assert.match(plain.stderr, /security sasl_ssl is already running/)
  })

  it('creates, produces and consumes with the admin credentials it finds itself, replicated 3 ways', async () => {
    const created = await isobar(['topics', 'create', topic, '--partitions', '2', '--replication-factor', '3'])
    assert.equal(created.exitCode, 0, created.stderr)
    const produced = await isobar(['produce', topic, '--key-separator', ':'], {}, 'k1:one\nk2:two\n')
    assert.equal(produced.exitCode, 0, produced.stderr)
    const consumed = await isobar(['consume', topic, '--from-beginning', '--max-messages', '2', '--raw', '--json'])
    assert.equal(consumed.exitCode, 0, consumed.stderr)
    const values = consumed.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { value: string }).value)
      .sort()
    assert.deepEqual(values, ['one', 'two'])
    // Kafka's own tool gets the admin client config added.
    const described = await isobar([
      'kafka',
      'tool',
      'kafka-topics',
      '--bootstrap-server',
      `127.0.0.1:${basePort}`,
      '--describe',
      '--topic',
      topic,
    ])
    assert.equal(described.exitCode, 0, described.stderr)
    assert.match(described.stdout, /PartitionCount: 2\s+ReplicationFactor: 3/)
  })

  it('uses KAFKA_SASL_* credentials when set: the weather principal may not delete the topic, the admin may', async () => {
    const weather = credentialEnv(localKafkaCredentials(cluster, 'weather'))
    const refused = await isobar(['topics', 'delete', topic], weather)
    assert.equal(refused.exitCode, 1)
    assert.match(refused.stderr, /^isobar: Deleting weather\.cli-test failed: .*Topic authorization failed/im)
    const deleted = await isobar(['topics', 'delete', topic])
    assert.equal(deleted.exitCode, 0, deleted.stderr)
  })
})
