import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  isKafkaLocalError,
  KafkaLocalErrorCodes,
  localBootstrapServers,
  localKafkaStatus,
  logFiles,
  runKafkaTool,
  startLocalKafka,
  stopLocalKafka,
  stopNode,
  type LocalKafkaCluster,
} from '../src/index.ts'

// A real single-node cluster of its own (ports 29392/29393), apart from the shared test broker.
const name = 'kl-test'
const basePort = 29392
const toolTimeoutMs = 60_000

describe('integration: kafka-local single-node cluster', { timeout: 240_000 }, () => {
  let homeDir: string
  let cluster: LocalKafkaCluster

  before(async () => {
    homeDir = await mkdtemp(join(tmpdir(), 'kafka-local-it-'))
  })

  after(async () => {
    await stopLocalKafka({ homeDir, name, timeoutMs: 15_000, removeData: true })
    await rm(homeDir, { recursive: true, force: true })
  })

  it('starts one node and records it in cluster.json', async () => {
    cluster = await startLocalKafka({ homeDir, name, basePort, readyTimeoutMs: 90_000 })
    assert.equal(cluster.reused, false)
    assert.equal(cluster.bootstrapServers, '127.0.0.1:29392')
    assert.deepEqual(
      cluster.nodes.map((node) => [node.nodeId, node.port, node.controllerPort]),
      [[1, 29392, 29393]],
    )
    assert.match(await readFile(cluster.nodes[0]?.logFile ?? '', 'utf8'), /Kafka Server started/)
    const recorded = JSON.parse(await readFile(join(homeDir, 'kafka', name, 'cluster.json'), 'utf8')) as {
      nodes: { pid: number }[]
    }
    assert.equal(recorded.nodes[0]?.pid, cluster.nodes[0]?.pid)
    assert.equal(localBootstrapServers({ homeDir, name }), '127.0.0.1:29392')
  })

  it('reuses the running cluster instead of starting it twice', async () => {
    const again = await startLocalKafka({ homeDir, name, basePort })
    assert.equal(again.reused, true)
    assert.equal(again.nodes[0]?.pid, cluster.nodes[0]?.pid)
  })

  it('refuses to reuse it with a different layout', async () => {
    await assert.rejects(startLocalKafka({ homeDir, name, nodes: 3, basePort }), (error) =>
      isKafkaLocalError(error, KafkaLocalErrorCodes.CLUSTER_MISMATCH),
    )
  })

  it('creates and lists a topic with the Kafka CLI tools', async () => {
    const bootstrap = ['--bootstrap-server', cluster.bootstrapServers]
    const created = await runKafkaTool(
      'kafka-topics',
      [...bootstrap, '--create', '--topic', 'kl-test-topic', '--partitions', '3'],
      { libDir: cluster.libDir, timeoutMs: toolTimeoutMs },
    )
    assert.equal(created.exitCode, 0, created.stderr)
    const listed = await runKafkaTool('kafka-topics', [...bootstrap, '--list'], {
      libDir: cluster.libDir,
      timeoutMs: toolTimeoutMs,
    })
    assert.equal(listed.exitCode, 0, listed.stderr)
    assert.ok(listed.stdout.split('\n').includes('kl-test-topic'), listed.stdout)
  })

  it('round-trips records through the console producer (stdin) and consumer', async () => {
    const bootstrap = ['--bootstrap-server', cluster.bootstrapServers, '--topic', 'kl-test-topic']
    const produced = await runKafkaTool('kafka-console-producer', bootstrap, {
      libDir: cluster.libDir,
      input: 'one\ntwo\nthree\n',
      timeoutMs: toolTimeoutMs,
    })
    assert.equal(produced.exitCode, 0, produced.stderr)
    const consumed = await runKafkaTool(
      'kafka-console-consumer',
      [...bootstrap, '--from-beginning', '--max-messages', '3', '--timeout-ms', '30000'],
      { libDir: cluster.libDir, timeoutMs: toolTimeoutMs },
    )
    assert.equal(consumed.exitCode, 0, consumed.stderr)
    assert.deepEqual(consumed.stdout.trim().split('\n').sort(), ['one', 'three', 'two'])
  })

  it('restarts a crashed cluster on its existing data', async () => {
    assert.equal(await stopNode(cluster, 1, { signal: 'SIGKILL' }), true)
    const status = await localKafkaStatus({ homeDir, name })
    assert.equal(status.running, false)
    assert.equal(status.nodes[0]?.alive, false)

    const restarted = await startLocalKafka({ homeDir, name, basePort })
    assert.equal(restarted.reused, false)
    assert.equal(restarted.clusterId, cluster.clusterId, 'the formatted data dir is kept')
    assert.notEqual(restarted.nodes[0]?.pid, cluster.nodes[0]?.pid)
    const listed = await runKafkaTool('kafka-topics', ['--bootstrap-server', restarted.bootstrapServers, '--list'], {
      libDir: restarted.libDir,
      timeoutMs: toolTimeoutMs,
    })
    assert.ok(listed.stdout.split('\n').includes('kl-test-topic'), listed.stdout)
    cluster = restarted
  })

  it('stops it, after which status says not running', async () => {
    assert.equal(await stopLocalKafka({ homeDir, name, timeoutMs: 30_000 }), true)
    const status = await localKafkaStatus({ homeDir, name })
    assert.equal(status.running, false)
    assert.equal(status.cluster, undefined)
    assert.equal(localBootstrapServers({ homeDir, name }), undefined)
    assert.equal(await stopLocalKafka({ homeDir, name }), false, 'stopping twice is a no-op')
    const [files] = await logFiles({ homeDir, name })
    assert.equal(files?.serverLog, cluster.nodes[0]?.logFile)
  })

  it('fails fast with the log tail when a node JVM dies during start', async () => {
    // A java that runs the storage tool but "crashes" as a broker, like a bad JVM flag or a missing class would.
    const java = join(homeDir, 'crashing-java')
    await writeFile(
      java,
      '#!/bin/sh\nfor a in "$@"; do [ "$a" = kafka.Kafka ] && { echo "Error: simulated broker crash"; exit 1; }; done\n' +
        'exec java "$@"\n',
      { mode: 0o755 },
    )
    await assert.rejects(startLocalKafka({ homeDir, name: 'kl-test-crash', basePort, java }), (error) => {
      assert.ok(isKafkaLocalError(error, KafkaLocalErrorCodes.START_FAILED))
      assert.match(error.message, /node 1 .*exited during start/)
      assert.match(error.message, /simulated broker crash/)
      return true
    })
    assert.equal((await localKafkaStatus({ homeDir, name: 'kl-test-crash' })).cluster, undefined)
  })

  it('names the port when another process holds it', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen({ host: '127.0.0.1', port: basePort }, resolve))
    try {
      await assert.rejects(startLocalKafka({ homeDir, name, basePort }), (error) => {
        assert.ok(isKafkaLocalError(error, KafkaLocalErrorCodes.PORT_IN_USE))
        assert.match(error.message, /Port 29392/)
        return true
      })
    } finally {
      await new Promise((resolve) => blocker.close(resolve))
    }
  })
})
