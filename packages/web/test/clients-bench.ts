/**
 * Benchmark (not a test): the console's cost per connected live client.
 *   ISOBAR_TEST_BOOTSTRAP=127.0.0.1:29092 npx node packages/web/test/clients-bench.ts [clients=50] [perSecond=1000]
 * Starts the console in this process on fresh topics, produces `perSecond` window aggregates per second (1,000
 * sensors) and measures this process's CPU and RSS for 30 s without clients, then for 30 s with `clients` SSE
 * clients reading everything. The producer's own cost is in both phases, so the difference is the clients'.
 */
import { startConsole } from '@isobar/admin-api'
import { testKafkaClient, uniqueTopicName } from '@isobar/testing'

const clients = Number(process.argv[2] ?? 50)
const perSecond = Number(process.argv[3] ?? 1000)
const token = 'clients-bench-token'
const kafka = testKafkaClient()
const admin = kafka.admin()
const aggregates = uniqueTopicName('bench-agg')
await admin.createTopics([{ name: aggregates, partitions: 6, replicationFactor: 1 }])
const running = await startConsole({
  kafka,
  port: 0,
  token,
  live: { eager: true, feeds: { topics: { aggregates }, backfillMs: 0, lagIntervalMs: 0 } },
})
const producer = kafka.producer()
let stop = false
const produced = (async () => {
  let minute = 0
  while (!stop) {
    const start = Date.now()
    const batch = Array.from({ length: perSecond / 10 }, (_, i) => {
      const sensorId = `mote:${(minute * 100 + i) % 1000}`
      return {
        topic: aggregates,
        key: Buffer.from(sensorId),
        value: Buffer.from(
          JSON.stringify({
            sensorId,
            field: 'temperatureC',
            windowKind: 'tumbling',
            windowStartMs: start,
            windowEndMs: start + 60_000,
            windowSizeMs: 60_000,
            zoneId: `s01.z${i % 10}`,
            count: 60,
            min: 20,
            max: 22,
            mean: 21,
            p95: 21.9,
            emittedAtMs: start,
            final: true,
          }),
        ),
      }
    })
    minute++
    await producer.send(batch)
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 100 - (Date.now() - start))))
  }
})()

async function measure(label: string): Promise<Record<string, unknown>> {
  const cpu = process.cpuUsage()
  const t0 = Date.now()
  let rssMax = 0
  while (Date.now() - t0 < 30_000) {
    rssMax = Math.max(rssMax, process.memoryUsage().rss)
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  const used = process.cpuUsage(cpu)
  return {
    label,
    cores: +((used.user + used.system) / 1000 / (Date.now() - t0)).toFixed(3),
    rssMaxMiB: Math.round(rssMax / 1048576),
  }
}

await new Promise((resolve) => setTimeout(resolve, 5000))
const idle = await measure('no clients')
const controllers: AbortController[] = []
let bytes = 0
for (let i = 0; i < clients; i++) {
  const controller = new AbortController()
  controllers.push(controller)
  const response = await fetch(`${running.url}/api/live?types=aggregate`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  })
  void (async () => {
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length
    } catch {
      // aborted
    }
  })()
}
const loaded = await measure(`${clients} clients`)
const live = (running.app as unknown as { live: { hub: { stats(): unknown } } }).live.hub.stats()
console.log(JSON.stringify({ perSecond, idle, loaded, mibToClients: Math.round(bytes / 1048576), hub: live }, null, 2))
stop = true
for (const c of controllers) c.abort()
await produced
await producer.close()
await running.close()
await admin.deleteTopics([aggregates])
await admin.close()
process.exit(0)
