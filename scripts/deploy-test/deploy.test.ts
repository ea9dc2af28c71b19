/**
 * Deployment test (`npm run test:deploy`, its own step of .ci/run): the shipped Dockerfiles and compose.yaml, run.
 * prepare.sh makes the engine, Compose and the Debian base available; then the images are built, the stack comes
 * up healthy, readings flow to aggregates through the containers, Prometheus sees every target up, a broker is
 * killed while records are produced with acks=all (none acknowledged is lost) and the services carry on.
 * Everything is removed afterwards (`docker compose down -v`). Durations are printed for the record.
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { after, before, test } from 'node:test'
import type { Admin, KafkaClient } from '@isobar/core'
import { SCRAPE_JOBS } from '@isobar/observability'
import { parse } from 'yaml'
import { endOffsets, externalClient, pollUntil, readAllValues, recordsSince } from './kafka-checks.ts'
import {
  assertKafkaJars,
  buildImages,
  compose,
  imageSizes,
  PORTS,
  REPO_ROOT,
  run,
  saveLogs,
  stopStartedDockerd,
} from './stack.ts'

const AGGREGATES = 'sensors.aggregates'
const figures: Record<string, unknown> = {}
const timed = async <T>(name: string, step: () => Promise<T>): Promise<T> => {
  const started = Date.now()
  const result = await step()
  figures[name] = `${((Date.now() - started) / 1000).toFixed(0)} s`
  process.stderr.write(`deploy-test: ${name} ${String(figures[name])}\n`)
  return result
}

let client: KafkaClient
let admin: Admin
let stackUp = false
let failed = false
const runStarted = Date.now()

before(async () => {
  await timed('prepare (engine, compose, base image)', () =>
    run('bash', [`${REPO_ROOT}scripts/deploy-test/prepare.sh`], { echo: true, timeoutMs: 20 * 60_000 }),
  )
  assertKafkaJars()
  await compose(['down', '-v', '--remove-orphans'], { allowFailure: true }) // leftovers of an interrupted run
  await timed('image build', () => buildImages())
  figures['image sizes'] = await imageSizes()
  stackUp = true
  await timed('time to healthy (compose up --wait)', () =>
    compose(['up', '-d', '--wait', '--wait-timeout', '900', '--no-build', '--pull', 'never'], {
      timeoutMs: 16 * 60_000,
    }),
  )
  client = externalClient(PORTS.kafka)
  admin = client.admin()
})

after(async () => {
  await admin?.close().catch(() => undefined)
  if (stackUp) {
    if (failed) process.stderr.write(`deploy-test: services' logs kept in ${await saveLogs()}\n`)
    await timed('compose down -v', () => compose(['down', '-v', '--remove-orphans'], { allowFailure: true }))
  }
  stopStartedDockerd()
  figures['deployment test total'] = `${((Date.now() - runStarted) / 1000).toFixed(0)} s`
  process.stderr.write(`deploy-test figures: ${JSON.stringify(figures, null, 2)}\n`)
})

const step = (name: string, body: () => Promise<void>) =>
  test(name, async () => {
    try {
      await body()
    } catch (error) {
      failed = true
      throw error
    }
  })

void step('every service of compose.yaml is running and healthy', async () => {
  const { stdout } = await compose(['ps', '--format', '{{.Service}} {{.State}} {{.Health}}'])
  const rows = stdout.trim().split('\n')
  const services = rows.map((row) => row.split(' ')[0])
  for (const expected of ['kafka-1', 'kafka-2', 'kafka-3', 'registry-1', 'registry-2', 'console']) {
    assert.ok(services.includes(expected), `${expected} missing from: ${stdout}`)
  }
  for (const expected of ['weather-streamer', 'simulator', 'analytics-1', 'analytics-2', 'notifier', 'prometheus']) {
    assert.ok(services.includes(expected), `${expected} missing from: ${stdout}`)
  }
  assert.ok(services.includes('alertmanager'), stdout)
  for (const row of rows) assert.match(row, / running healthy$/, `not healthy: ${row}`)
})

void step('readings flow through the containers to sensors.aggregates', async () => {
  const empty = new Map<number, bigint>()
  const found = await timed('first aggregates', () =>
    pollUntil('aggregates on sensors.aggregates', 6 * 60_000, async () => {
      const since = await recordsSince(admin, AGGREGATES, empty)
      return since.count > 0 && since.sample !== undefined ? since : undefined
    }),
  )
  assert.ok(found.count > 0)
  assert.equal(typeof found.sample?.sensorId, 'string', JSON.stringify(found.sample))
  assert.equal(typeof found.sample?.count, 'number', JSON.stringify(found.sample))
})

void step('Prometheus scrapes every target and sees it up', async () => {
  // Every target of the compose scrape configuration, from its one source (deploy/prometheus is generated from it).
  const expected = SCRAPE_JOBS.flatMap((job) => job.compose)
  assert.ok(expected.length >= 12, `${expected.length} targets`)
  type Target = { scrapeUrl: string; health: string; lastError: string }
  const targets = await pollUntil('every Prometheus target up', 4 * 60_000, async () => {
    const response = await fetch(`http://127.0.0.1:${PORTS.prometheus}/api/v1/targets?state=active`)
    const body = (await response.json()) as { data: { activeTargets: Target[] } }
    const active = body.data.activeTargets
    const missing = expected.filter((hostPort) => !active.some((t) => t.scrapeUrl.includes(`//${hostPort}/`)))
    const down = active.filter((t) => t.health !== 'up')
    if (missing.length > 0 || down.length > 0) {
      throw new Error(`missing ${missing.join(', ') || 'none'}; down ${JSON.stringify(down)}`)
    }
    return active
  })
  assert.ok(targets.length >= expected.length)
  assert.ok(targets.every((t) => t.health === 'up'))
})

void step("Prometheus has loaded the platform's alerting and recording rules", async () => {
  // What deploy/prometheus/rules/*.yml declare (the compose Prometheus mounts that directory).
  const rulesDir = `${REPO_ROOT}deploy/prometheus/rules/`
  const declared = readdirSync(rulesDir)
    .filter((file) => file.endsWith('.yml'))
    .flatMap((file) => {
      const doc = parse(readFileSync(`${rulesDir}${file}`, 'utf8')) as {
        groups: Array<{ rules: Array<{ alert?: string; record?: string }> }>
      }
      return doc.groups.flatMap((g) => g.rules.map((r) => r.alert ?? r.record ?? ''))
    })
  assert.ok(declared.length >= 10, `${declared.length} rules declared`)
  const response = await fetch(`http://127.0.0.1:${PORTS.prometheus}/api/v1/rules`)
  const body = (await response.json()) as { data: { groups: Array<{ rules: Array<{ name: string }> }> } }
  const loaded = new Set(body.data.groups.flatMap((g) => g.rules.map((r) => r.name)))
  assert.deepEqual(
    declared.filter((name) => !loaded.has(name)),
    [],
    'every declared rule is loaded',
  )
})

void step('a broker killed mid-stream loses nothing acknowledged, and the services carry on', async () => {
  const topic = `deploy-test.durability-${Date.now()}`
  await admin.createTopics([{ name: topic, partitions: 3, replicationFactor: 3 }])
  const producer = client.producer({ acks: -1, idempotent: true })
  const total = 3000
  const batch = 100
  const acknowledged = new Set<string>()
  let killedAt: Map<number, bigint> | undefined
  try {
    for (let start = 0; start < total; start += batch) {
      if (start === total / 2) {
        killedAt = await endOffsets(admin, AGGREGATES)
        await timed('kill kafka-2', () => compose(['kill', '-s', 'SIGKILL', 'kafka-2']))
      }
      const values = Array.from({ length: batch }, (_, i) => `record-${start + i}`)
      // acks=all: a batch counts once the in-sync replicas have it; a send that fails is retried.
      await pollUntil(`batch ${start} acknowledged`, 3 * 60_000, async () => {
        await producer.send(values.map((value) => ({ topic, key: Buffer.from(value), value: Buffer.from(value) })))
        return true
      })
      for (const value of values) acknowledged.add(value)
    }
  } finally {
    await producer.close().catch(() => undefined)
  }
  assert.equal(acknowledged.size, total)
  // Right after the kill, metadata may still answer "leader election in progress": read again until it settles.
  const read = new Set(await pollUntil('read back every record', 3 * 60_000, () => readAllValues(admin, topic)))
  const lost = [...acknowledged].filter((value) => !read.has(value))
  assert.deepEqual(lost.slice(0, 20), [], `${lost.length} acknowledged records lost`)

  assert.ok(killedAt !== undefined)
  const since = killedAt
  const after = await timed('new aggregates after the kill', () =>
    pollUntil('aggregates written after the broker was killed', 5 * 60_000, async () => {
      const written = await recordsSince(admin, AGGREGATES, since)
      return written.count > 0 ? written : undefined
    }),
  )
  assert.ok(after.count > 0)
})
