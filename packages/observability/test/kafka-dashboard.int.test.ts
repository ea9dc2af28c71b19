import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { createKafkaClient, parseKafkaConfig } from '@isobar/core'
import { ensureJmxExporterJar, startLocalKafka, stopLocalKafka } from '@isobar/kafka-local'
import { DASHBOARDS, prometheusConfigYaml, startPrometheus } from '@isobar/observability'
import { REPO_ROOT } from '@isobar/testing'

// Fixed ports of this test (the observability range 30300–30399): broker, its controller, its metrics, Prometheus.
const BROKER_PORT = 30380
const METRICS_PORT = 30382
const PROMETHEUS_PORT = 30391

test(
  'a broker started with the JMX exporter agent serves the broker metrics, and every Kafka panel query returns data',
  { timeout: 300_000 },
  async (t) => {
    const home = await mkdtemp(join(tmpdir(), 'isobar-kafka-metrics-'))
    // One hook, in order: the cluster record under `home` is what stopLocalKafka finds the JVM by.
    t.after(async () => {
      await stopLocalKafka({ homeDir: home, name: 'metrics' })
      await rm(home, { recursive: true, force: true })
    })
    const agentJar = await ensureJmxExporterJar()
    const cluster = await startLocalKafka({
      homeDir: home,
      name: 'metrics',
      basePort: BROKER_PORT,
      heapMb: 256,
      metrics: { agentJar, configFile: join(REPO_ROOT, 'deploy/jmx/kafka.yml'), basePort: METRICS_PORT },
    })
    assert.equal(cluster.metrics?.basePort, METRICS_PORT)

    // Traffic, so per-topic and request metrics exist (sensors.aggregates is what the analytics dashboard reads).
    const kafka = createKafkaClient(
      parseKafkaConfig({ bootstrapServers: [cluster.bootstrapServers], clientId: 'metrics-test' }),
    )
    const admin = kafka.admin()
    await admin.createTopics([{ name: 'sensors.aggregates', partitions: 1, replicationFactor: 1 }])
    await admin.close()
    const producer = kafka.producer()
    for (let i = 0; i < 5; i++) {
      await producer.send([{ topic: 'sensors.aggregates', value: Buffer.from(`window-${i}`) }])
    }
    await producer.close()
    // ...and a consumer, so bytes out per topic exist too.
    const consumer = kafka.consumer({ topics: ['sensors.aggregates'], from: 'earliest' })
    let read = 0
    for await (const record of consumer) {
      assert.ok(record.value)
      if (++read === 5) break
    }
    await consumer.close()

    const text = await (await fetch(`http://127.0.0.1:${METRICS_PORT}/metrics`)).text()
    for (const name of [
      'kafka_server_replicamanager_underreplicatedpartitions',
      'kafka_server_replicamanager_isrshrinks_total',
      'kafka_controller_kafkacontroller_offlinepartitionscount',
      'kafka_controller_kafkacontroller_activecontrollercount',
      'kafka_server_brokertopicmetrics_bytesin_total{topic="sensors.aggregates"',
      'kafka_network_requestmetrics_totaltimems{quantile="0.99",request="Produce"',
    ]) {
      assert.ok(text.includes(name), `${name} missing from the broker's /metrics`)
    }

    const dir = await mkdtemp(join(tmpdir(), 'isobar-prometheus-'))
    t.after(() => rm(dir, { recursive: true, force: true }))
    const prometheus = await startPrometheus({
      dir,
      port: PROMETHEUS_PORT,
      configYaml: prometheusConfigYaml('native', {
        jobs: [{ job: 'kafka', description: '', native: [`127.0.0.1:${METRICS_PORT}`], compose: [] }],
        alertmanagers: [],
        ruleFiles: [join(REPO_ROOT, 'deploy/prometheus/rules/*.yml')],
        scrapeInterval: '1s',
        evaluationInterval: '1s',
      }),
    })
    t.after(() => prometheus.stop())

    const queries = DASHBOARDS.flatMap((d) =>
      d.rows.flatMap((r) =>
        r.panels.flatMap((p) => p.queries.map((q) => ({ panel: `${d.title} / ${p.title}`, expr: q.expr }))),
      ),
    ).filter((q) => q.expr.includes('kafka_'))
    assert.ok(queries.length >= 12, `${queries.length} Kafka queries`)
    let missing = queries
    const deadline = Date.now() + 120_000
    while (missing.length > 0 && Date.now() < deadline) {
      const results = await Promise.all(missing.map(async (q) => ({ q, n: (await prometheus.query(q.expr)).length })))
      missing = results.filter((r) => r.n === 0).map((r) => r.q)
      if (missing.length > 0) await new Promise((resolve) => setTimeout(resolve, 2000))
    }
    assert.deepEqual(
      missing.map((q) => `${q.panel}: ${q.expr}`),
      [],
      prometheus.output(),
    )
  },
)
