import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { BatchingProducer, createKafkaClient, parseKafkaConfig } from '@isobar/core'
import { startLocalKafka, stopLocalKafka, stopNode, type LocalKafkaCluster } from '../src/index.ts'

// A real 3-node KRaft cluster on its own ports, apart from the shared single test broker.
let homeDir: string
let cluster: LocalKafkaCluster

before(async () => {
  homeDir = await mkdtemp(join(tmpdir(), 'isobar-3node-'))
  cluster = await startLocalKafka({ homeDir, name: 'failover', nodes: 3, basePort: 29192, heapMb: 384 })
})

after(async () => {
  await stopLocalKafka({ homeDir, name: 'failover', removeData: true, timeoutMs: 20_000 })
  await rm(homeDir, { recursive: true, force: true })
})

test('RF 3 / min.insync.replicas 2: losing one node loses no acknowledged record and produce continues', async () => {
  const config = parseKafkaConfig({
    bootstrapServers: cluster.bootstrapServers.split(','),
    clientId: 'failover-test',
    requestTimeoutMs: 10_000,
  })
  const client = createKafkaClient(config)
  const admin = client.admin()
  const topic = 'failover'
  await admin.createTopics([
    { name: topic, partitions: 3, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } },
  ])
  const [described] = await admin.describeTopics([topic])
  assert.ok(described?.partitions.every((p) => p.replicas.length === 3 && p.isr.length === 3))

  const producer = client.producer()
  const batching = new BatchingProducer(producer, { maxRecords: 50, maxBytes: 1 << 20, lingerMs: 2, maxInFlight: 2 })
  const acknowledged = new Set<string>()
  const produceRange = async (from: number, to: number): Promise<void> => {
    for (let i = from; i < to; i++) {
      const value = `r-${i}`
      const accepted = batching.produce(
        { topic, key: Buffer.from(`k-${i % 17}`), value: Buffer.from(value) },
        (error) => {
          if (!error) acknowledged.add(value)
        },
      )
      if (!accepted) await batching.ready()
    }
    await batching.flush()
  }

  await produceRange(0, 2000)
  assert.equal(acknowledged.size, 2000)

  // Crash the node that leads partition 0, like a machine dying.
  const victim = described!.partitions[0]!.leader
  assert.equal(await stopNode(cluster, victim, { signal: 'SIGKILL' }), true)

  await produceRange(2000, 4000)
  // With 2 of 3 replicas left, min.insync.replicas=2 still holds: the client retries onto the new leaders.
  assert.ok(acknowledged.size >= 3900, `only ${acknowledged.size} of 4000 acknowledged after the failover`)
  await producer.close()

  const consumer = client.consumer({ topics: [topic], from: 'earliest' })
  const seen = new Set<string>()
  const total = (await admin.listOffsets(topic)).reduce((sum, p) => sum + Number(p.latest - p.earliest), 0)
  for await (const record of consumer) {
    seen.add(record.value!.toString())
    if (seen.size >= total) break
  }
  await consumer.close()
  await admin.close()
  const lost = [...acknowledged].filter((v) => !seen.has(v))
  assert.deepEqual(lost, [], `${lost.length} acknowledged records lost`)
})
