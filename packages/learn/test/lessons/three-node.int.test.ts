import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { createKafkaClient, parseKafkaConfig, type KafkaClient } from '@isobar/core'
import { restartNode, startLocalKafka, stopLocalKafka, stopNode, type LocalKafkaCluster } from '@isobar/kafka-local'
import type { BrokerControl } from '../../src/lesson.ts'
import { acks } from '../../src/lessons/acks.ts'
import { topics } from '../../src/lessons/topics.ts'
import { runLesson } from '../../src/runner.ts'

// The lessons about replicas run on a 3-node KRaft cluster of their own (ports 30500–30505), not the shared broker.
let homeDir: string
let cluster: LocalKafkaCluster
let kafka: KafkaClient

before(async () => {
  homeDir = await mkdtemp(join(tmpdir(), 'isobar-learn-3node-'))
  cluster = await startLocalKafka({
    homeDir,
    name: 'learn',
    nodes: 3,
    basePort: 30500,
    heapMb: 320,
    readyTimeoutMs: 180_000,
  })
  kafka = createKafkaClient(
    parseKafkaConfig({
      bootstrapServers: cluster.bootstrapServers.split(','),
      clientId: 'learn-3node',
      requestTimeoutMs: 15_000,
    }),
  )
})

after(async () => {
  await stopLocalKafka({ homeDir, name: 'learn', removeData: true, timeoutMs: 20_000 })
  await rm(homeDir, { recursive: true, force: true })
})

const logDirs = (): Record<number, string> => Object.fromEntries(cluster.nodes.map((n) => [n.nodeId, n.dataDir]))

interface TopicsFigures {
  brokers: number
  replicationFactor: number
  placed: Array<{ key: string; round: number; partition: number; offset: number }>
  partitions: Array<{ partition: number; leader: number; replicas: number[]; isr: number[] }>
  segments: Record<string, Array<{ file: string; bytes: number }>>
  replicaBytes: Array<{ partition: number; broker: number; sizeBytes: number }>
}

test('topics: a key keeps one partition with rising offsets; 3 replicas in sync; the log is several segment files', async (t) => {
  const result = await runLesson(topics, { kafka, logDirs: logDirs() })
  for (const step of result.steps) t.diagnostic(step)
  const f = result.figures as unknown as TopicsFigures
  assert.equal(f.brokers, 3)
  assert.equal(f.replicationFactor, 3)
  for (const key of new Set(f.placed.map((p) => p.key))) {
    const mine = f.placed.filter((p) => p.key === key)
    assert.equal(new Set(mine.map((p) => p.partition)).size, 1, `${key} on one partition`)
    const offsets = mine.map((p) => p.offset)
    assert.deepEqual(
      offsets,
      [...offsets].sort((a, b) => a - b),
      `${key} offsets in order`,
    )
  }
  for (const p of f.partitions) {
    assert.equal(p.replicas.length, 3)
    assert.deepEqual([...p.isr].sort(), [...p.replicas].sort(), `p${p.partition} fully in sync`)
    assert.ok(p.replicas.includes(p.leader))
  }
  assert.equal(new Set(f.replicaBytes.map((s) => s.broker)).size, 3, 'a copy on every broker')
  const used = Object.entries(f.segments).filter(([p]) => f.placed.some((x) => `p${x.partition}` === p))
  assert.ok(used.length > 0)
  for (const [p, files] of used) {
    assert.ok(files.length >= 2, `${p}: ${files.length} segment files (rolled by segment.ms)`)
    assert.match(files[0]!.file, /^0{20}\.log$/)
  }
})

interface AcksFigures {
  acknowledged: number
  refused: number
  stored: number
  lostAcknowledged: number
}

test('acks: with the leader killed mid-write, acks=all loses no acknowledged record', async (t) => {
  const brokers: BrokerControl = {
    kill: async (nodeId) => {
      await stopNode(cluster, nodeId, { signal: 'SIGKILL' })
    },
    restart: async (nodeId) => {
      cluster = await restartNode(cluster, nodeId)
    },
  }
  const result = await runLesson(acks, { kafka, brokers })
  for (const step of result.steps) t.diagnostic(step)
  const f = result.figures as unknown as Record<'acks=0' | 'acks=1' | 'acks=all', AcksFigures> & { victim: number }
  const all = f['acks=all']
  assert.equal(all.lostAcknowledged, 0)
  assert.ok(all.acknowledged > 0)
  assert.equal(all.acknowledged + all.refused, 3000, 'every acks=all record was either acknowledged or refused')
  for (const level of ['acks=0', 'acks=1', 'acks=all'] as const) {
    assert.ok(f[level].stored <= 3000 && f[level].stored > 0, `${level}: ${f[level].stored} stored`)
  }
  // The cluster is whole again afterwards.
  const admin = kafka.admin()
  try {
    const deadline = Date.now() + 120_000
    while ((await admin.describeCluster()).brokers.length < 3) {
      assert.ok(Date.now() < deadline, 'the killed broker came back')
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
  } finally {
    await admin.close()
  }
})
