import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { BatchingProducer, createKafkaClient, createMetricsRegistry, parseKafkaConfig } from '@isobar/core'
import { restartNode, startLocalKafka, stopLocalKafka, stopNode, type LocalKafkaCluster } from '@isobar/kafka-local'
import {
  ObservationPublisher,
  WeatherMetrics,
  plainJsonEncoder,
  type WeatherObservation,
} from '@isobar/weather-streamer'

// Its own single-node cluster (ports 30100–30101): the test kills and restarts the broker, which the shared test
// broker must never see.
const NAME = 'order-restart'
let homeDir: string
let cluster: LocalKafkaCluster

before(async () => {
  homeDir = await mkdtemp(join(tmpdir(), 'isobar-order-'))
  cluster = await startLocalKafka({ homeDir, name: NAME, nodes: 1, basePort: 30100, heapMb: 384 })
})

after(async () => {
  await stopLocalKafka({ homeDir, name: NAME, removeData: true, timeoutMs: 20_000 })
  await rm(homeDir, { recursive: true, force: true })
})

const STATIONS = 12
const PER_STATION = 400
const T0 = 1_764_064_800_000

function observation(station: number, seq: number): WeatherObservation {
  return {
    stationId: `sim:station-${String(station).padStart(4, '0')}`,
    source: 'synthetic',
    // The sequence number rides in the event time (one second apart), which the value keeps as it is.
    eventTimeMs: T0 + seq * 1000,
    ingestTimeMs: T0 + seq * 1000,
    location: { latitudeDeg: 50, longitudeDeg: 10 },
    temperatureC: 10,
  }
}

test('each station keeps its order, without gaps or duplicates, through a broker crash and restart', async () => {
  const config = parseKafkaConfig({
    bootstrapServers: cluster.bootstrapServers.split(','),
    clientId: 'order-restart',
    connectTimeoutMs: 2000,
    requestTimeoutMs: 10_000,
    // Room for a JVM restart on a loaded machine: the client keeps retrying that long.
    deliveryTimeoutMs: 180_000,
  })
  const client = createKafkaClient(config)
  const admin = client.admin()
  const topic = 'observations'
  await admin.createTopics([{ name: topic, partitions: 3, replicationFactor: 1 }])
  await admin.createTopics([{ name: 'dlq', partitions: 1, replicationFactor: 1 }])

  const producer = client.producer({ idempotent: true })
  const fatal: Error[] = []
  const publisher = new ObservationPublisher({
    // Small batches, five in flight: many produce requests are outstanding when the broker dies.
    producer: new BatchingProducer(producer, { maxRecords: 20, maxBytes: 1 << 20, lingerMs: 2, maxInFlight: 5 }),
    encoder: plainJsonEncoder(),
    metrics: new WeatherMetrics(createMetricsRegistry('order', { runtimeMetrics: false })),
    topic,
    deadLetterTopic: 'dlq',
    onFatal: (error) => fatal.push(error),
  })

  const nodeId = cluster.nodes[0]!.nodeId
  let restart: Promise<unknown> | undefined
  const total = STATIONS * PER_STATION
  for (let i = 0; i < total; i++) {
    const seq = Math.floor(i / STATIONS)
    if (!publisher.publish('sim', observation(i % STATIONS, seq))) await publisher.ready()
    // A stream, not a burst: the crash lands in the middle of it and the rest is produced across the outage.
    if (i % 50 === 49) await sleep(2)
    if (i === Math.floor(total / 3)) {
      restart = (async () => {
        assert.equal(await stopNode(cluster, nodeId, { signal: 'SIGKILL' }), true)
        await sleep(1000)
        cluster = await restartNode(cluster, nodeId, { readyTimeoutMs: 120_000 })
      })()
    }
  }
  await restart
  await publisher.flush()
  assert.deepEqual(fatal, [], 'no delivery failed for good')
  assert.deepEqual(publisher.stats('sim'), {
    produced: total,
    delivered: total,
    failed: 0,
    retried: 0,
    deadLettered: 0,
  })
  await producer.close()

  const sequences = new Map<string, number[]>()
  const consumer = client.consumer({ topics: [topic], from: 'earliest' })
  let read = 0
  const deadline = Date.now() + 120_000
  for await (const record of consumer) {
    const value = JSON.parse(record.value!.toString()) as WeatherObservation
    assert.equal(record.key?.toString(), value.stationId)
    const list = sequences.get(value.stationId) ?? []
    list.push((value.eventTimeMs - T0) / 1000)
    sequences.set(value.stationId, list)
    // Read past the expected count only if more is there: a duplicate would show as an extra record.
    if (++read >= total && (await onlyEndLeft(admin, topic, read))) break
    if (Date.now() > deadline) break
  }
  await consumer.close()
  await admin.close()

  assert.equal(sequences.size, STATIONS)
  const expected = Array.from({ length: PER_STATION }, (_, seq) => seq)
  for (const [station, seqs] of sequences) {
    const at = seqs.findIndex((seq, i) => seq !== expected[i])
    const around = seqs.slice(Math.max(0, at - 3), at + 8).join(',')
    assert.deepEqual(seqs, expected, `${station}: ${seqs.length} records, first wrong at ${at}: …${around}…`)
  }
})

/** True once `read` equals every record in the topic (so nothing beyond it, e.g. a duplicate, is left unread). */
async function onlyEndLeft(
  admin: ReturnType<ReturnType<typeof createKafkaClient>['admin']>,
  topic: string,
  read: number,
): Promise<boolean> {
  const offsets = await admin.listOffsets(topic)
  return offsets.reduce((sum, p) => sum + Number(p.latest - p.earliest), 0) === read
}
