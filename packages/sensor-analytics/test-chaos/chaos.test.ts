/**
 * Chaos on a 3-node cluster under load (`npm run test:chaos`). Readings flow the whole time into Sensor Analytics
 * (an exactly-once worker, a child process) while faults are injected one after the other: a broker SIGKILLed
 * and restarted, a broker SIGSTOPped past the session timeout, the registry leader killed, an analytics worker
 * SIGKILLed mid-window, the whole cluster restarted. After each the services must recover by themselves with no
 * acknowledged reading lost, every window committed once and equal to a clean computation, alerts neither lost
 * nor doubled, and lag OK. The time to recover is printed (not asserted: it depends on the machine).
 */
import assert from 'node:assert/strict'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, it, type TestContext } from 'node:test'
import { createKafkaClient, parseKafkaConfig, type KafkaClient } from '@isobar/core'
import { LATE_HEADER } from '@isobar/stream'
import { REPO_ROOT } from '@isobar/testing'
import { generateReadings, START_MS } from '../test/analytics/helpers.ts'
import { freePort, getText, waitUntil } from '../test/analytics/service-helpers.ts'
import {
  killNode,
  nodePid,
  restartChaosNode,
  restartWholeCluster,
  startChaosCluster,
  stopChaosCluster,
} from './harness/cluster.ts'
import { ReadingLoad } from './harness/load.ts'
import { announcedLeader, chaosSchema, register, schemaById } from './harness/registry.ts'
import { analyticsWorker, registryInstance, type ServiceProcess } from './harness/services.ts'
import { TopicTail } from './harness/tail.ts'
import { ALERT_RULES_FILE, Verifier } from './harness/verify.ts'

const PARTITIONS = 3
const WINDOWING = { paneMs: 1000, hopSizeMs: 5000, graceMs: 500, idleMs: 600_000 }
const TOPICS = {
  readings: 'chaos.readings',
  aggregates: 'chaos.aggregates',
  deadLetter: 'chaos.dlq',
  alerts: 'chaos.alerts',
  commands: 'chaos.alert-commands',
}
const APP_ID = 'chaos-analytics'
const RECOVERY_TIMEOUT_MS = 240_000

interface Outcome {
  scenario: string
  recoverMs: number
  afterHealMs: number
  acknowledged: number
  windows: number
  alertEvents: number
  failedSends: number
  /** Seconds after the fault each recovery step was seen: load past the cutoff, windows committed, lag OK. */
  phases: Record<string, number>
}

let kafka: KafkaClient
let bootstrapServers: string
let load: ReadingLoad
let verifier: Verifier
const workers: Array<{ service: ServiceProcess; port: number }> = []
const registries: Array<{ service: ServiceProcess; port: number }> = []
const outcomes: Outcome[] = []
let registered = new Map<number, string>()
/** Event time up to which the alert events were checked by an earlier scenario. */
let alertsCheckedUpTo = 0

async function untilUp(url: string, service: ServiceProcess, timeoutMs = 120_000): Promise<void> {
  const up = await waitUntil(
    async () => {
      if (!service.running) return true
      try {
        return (await fetch(url, { signal: AbortSignal.timeout(3000) })).ok
      } catch {
        return false
      }
    },
    timeoutMs,
    500,
  )
  assert.ok(up && service.running, `${service.name} up at ${url}: ${service.output()}`)
}

/** Registration works through every registry instance, and every id handed out so far still means its schema. */
async function assertRegistryServes(timeoutMs: number): Promise<void> {
  for (const { service, port } of registries) {
    let last = ''
    const ok = await waitUntil(
      async () => {
        const n = 1000 + registered.size
        const r = await register(port, `chaos-${n}`, chaosSchema(n))
        last = `${r.status} ${r.body.slice(0, 200)}`
        if (r.id !== undefined) registered.set(r.id, JSON.stringify(chaosSchema(n)))
        return r.id !== undefined
      },
      timeoutMs,
      1000,
    )
    assert.ok(ok, `registration through ${service.name}: ${last}\n${service.output()}`)
  }
  for (const [id, schema] of registered) assert.equal(await schemaById(registries[0]!.port, id), schema, `id ${id}`)
}

/** After a fault healed: recovery time, then every correctness check. */
async function checkRecovery(t: TestContext, scenario: string, faultAt: number, healedAt: number): Promise<void> {
  try {
    await checkRecoveryOf(t, scenario, faultAt, healedAt)
  } catch (error) {
    // What the services said is the first thing to read when a scenario fails.
    const services = [...workers, ...registries].map(({ service }) => service.describe()).join('\n')
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${services}`, { cause: error })
  }
}

async function checkRecoveryOf(t: TestContext, scenario: string, faultAt: number, healedAt: number): Promise<void> {
  const cutoff = verifier.cutoffAfterNow()
  const { recoveredAt, phases } = await verifier.awaitRecovery(cutoff, RECOVERY_TIMEOUT_MS)
  const acknowledged = await verifier.assertNoAcknowledgedLoss()
  const { windows } = await verifier.assertAggregates(cutoff)
  assert.ok(windows > 0, 'some windows were checked')
  // Each scenario judges the alert events of its own stretch of event time, even when an earlier one failed.
  const alertsFrom = alertsCheckedUpTo
  alertsCheckedUpTo = cutoff
  const { events } = await verifier.assertAlerts(alertsFrom, cutoff, 60_000)
  await assertRegistryServes(RECOVERY_TIMEOUT_MS)
  const outcome = {
    scenario,
    recoverMs: recoveredAt - faultAt,
    afterHealMs: recoveredAt - healedAt,
    acknowledged,
    windows,
    alertEvents: events,
    failedSends: load.failedSends,
    phases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Math.round((v - faultAt) / 100) / 10])),
  }
  outcomes.push(outcome)
  t.diagnostic(
    `${scenario}: recovered ${(outcome.recoverMs / 1000).toFixed(1)} s after the fault ` +
      `(${(outcome.afterHealMs / 1000).toFixed(1)} s after the heal); ${acknowledged} acknowledged readings, ` +
      `0 lost; ${windows} windows, each once; ${events} alert events, none lost or doubled; ` +
      `steps (s after the fault) ${JSON.stringify(outcome.phases)}; failed sends so far ${load.failedSends}`,
  )
}

/**
 * A broker away for seconds is well within the producer's delivery timeout (2 min): no send of the load may fail.
 * (One did when a retried request went, as a whole, to the new leader of its first partition only.)
 */
function assertNoSendFailed(failedBefore: number): void {
  assert.equal(load.failedSends - failedBefore, 0, 'sends of the load that failed across the fault')
}

async function leaderOf(topic: string, partition: number): Promise<number> {
  const admin = kafka.admin()
  try {
    const [description] = await admin.describeTopics([topic])
    const leader = description?.partitions.find((p) => p.partition === partition)?.leader
    assert.ok(leader !== undefined && leader >= 0, `${topic}/${partition} has a leader`)
    return leader
  } finally {
    await admin.close()
  }
}

describe('chaos on a 3-node cluster under load', () => {
  before(async () => {
    const cluster = await startChaosCluster()
    bootstrapServers = cluster.bootstrapServers
    kafka = createKafkaClient(
      parseKafkaConfig({ bootstrapServers: bootstrapServers.split(','), clientId: 'chaos', requestTimeoutMs: 10_000 }),
    )
    const admin = kafka.admin()
    const rf3 = { replicationFactor: 3, configs: { 'min.insync.replicas': '2' } }
    await admin.createTopics([
      { name: TOPICS.readings, partitions: PARTITIONS, ...rf3 },
      { name: TOPICS.aggregates, partitions: PARTITIONS, ...rf3 },
      { name: TOPICS.alerts, partitions: PARTITIONS, ...rf3 },
      { name: TOPICS.deadLetter, partitions: 1, ...rf3 },
      { name: TOPICS.commands, partitions: 1, ...rf3 },
    ])
    await admin.close()

    const config = {
      applicationId: APP_ID,
      topics: {
        readings: TOPICS.readings,
        aggregates: TOPICS.aggregates,
        deadLetter: TOPICS.deadLetter,
        partitions: PARTITIONS,
        replicationFactor: 3,
      },
      windowing: WINDOWING,
      commitIntervalMs: 500,
      sessionTimeoutMs: 6000,
      // A window (18 s) well past the alert consumer's 5 s autocommit, or a healthy group looks stalled.
      lag: { intervalMs: 2000, window: 10 },
      alerts: { enabled: true, rulesFile: ALERT_RULES_FILE, topic: TOPICS.alerts, commandsTopic: TOPICS.commands },
    }
    // One worker: with two exactly-once workers the pane stage wedged during start-up rebalances on this loaded
    // machine, with no fault injected (docs/reliability.md, open defects).
    for (const id of ['w1']) {
      const port = await freePort()
      workers.push({ service: analyticsWorker(id, { bootstrapServers, metricsPort: port, config }), port })
    }
    for (const name of ['registry-1', 'registry-2']) {
      const port = await freePort()
      registries.push({ service: registryInstance(name, { bootstrapServers, port }), port })
    }
    for (const { service } of [...workers, ...registries]) service.start()
    for (const { service, port } of workers) await untilUp(`http://127.0.0.1:${port}/ready`, service)
    for (const { service, port } of registries) await untilUp(`http://127.0.0.1:${port}/subjects`, service)

    const readings = generateReadings({
      seed: 1010,
      sensors: 20,
      zones: 4,
      panes: 1500,
      perPane: 3,
      paneMs: WINDOWING.paneMs,
      startMs: START_MS,
      disorderMs: 400,
      duplicateRate: 0.01,
    })
    // 15 readings every 250 ms: 60 readings/s, one second of event time per second.
    load = new ReadingLoad({ kafka, topic: TOPICS.readings, readings, chunk: 15, paceMs: 250 })
    verifier = new Verifier({
      kafka,
      load,
      topics: { ...TOPICS, partitions: PARTITIONS },
      windowing: WINDOWING,
      applicationId: APP_ID,
      metricsPorts: () => workers.filter((w) => w.service.running).map((w) => w.port),
    })
    load.start()
    registered = new Map()
  })

  after(async () => {
    await load?.stop()
    await Promise.all([...workers, ...registries].map(({ service }) => service.stop('SIGKILL')))
    await stopChaosCluster()
    if (outcomes.length > 0) {
      console.log(
        ['scenario | recovered after fault (s) | after heal (s) | acknowledged | windows | alert events']
          .concat(
            outcomes.map(
              (o) =>
                `${o.scenario} | ${(o.recoverMs / 1000).toFixed(1)} | ${(o.afterHealMs / 1000).toFixed(1)} | ` +
                `${o.acknowledged} | ${o.windows} | ${o.alertEvents}`,
            ),
          )
          .join('\n'),
      )
      await writeFile(join(REPO_ROOT, '.isobar', 'chaos-report.json'), JSON.stringify(outcomes, null, 2) + '\n')
    }
  })

  it('baseline: the pipeline runs under load before any fault', async (t) => {
    assert.ok(await load.reach(START_MS + 10_000, 120_000), 'the load got going')
    const now = Date.now()
    await checkRecovery(t, 'baseline', now, now)
  })

  it('a broker is SIGKILLed and restarted', async (t) => {
    const victim = await leaderOf(TOPICS.readings, 0)
    const failedBefore = load.failedSends
    const faultAt = Date.now()
    await killNode(victim)
    await new Promise((resolve) => setTimeout(resolve, 5000))
    await restartChaosNode(victim)
    await checkRecovery(t, `SIGKILL broker ${victim}, restart`, faultAt, Date.now())
    assertNoSendFailed(failedBefore)
  })

  it('a broker is SIGSTOPped for longer than the session timeout, then continued', async (t) => {
    const victim = await leaderOf(TOPICS.aggregates, 1)
    const pid = await nodePid(victim)
    const failedBefore = load.failedSends
    const faultAt = Date.now()
    process.kill(pid, 'SIGSTOP')
    try {
      // broker.session.timeout.ms is 6 s, the analytics consumers' session timeout 6 s: 15 s is past both.
      await new Promise((resolve) => setTimeout(resolve, 15_000))
    } finally {
      process.kill(pid, 'SIGCONT')
    }
    await checkRecovery(t, `SIGSTOP broker ${victim} 15 s, SIGCONT`, faultAt, Date.now())
    assertNoSendFailed(failedBefore)
  })

  it('the registry leader is killed: the other instance takes over, ids stay', async (t) => {
    for (let n = 0; n < 6; n++) {
      const r = await register(registries[n % 2]!.port, `chaos-${n}`, chaosSchema(n))
      assert.ok(r.id !== undefined, `registered: ${r.status} ${r.body}`)
      registered.set(r.id, JSON.stringify(chaosSchema(n)))
    }
    const leaderUrl = await announcedLeader(kafka)
    const leader = registries.find((r) => leaderUrl === `http://127.0.0.1:${r.port}`)
    assert.ok(leader, `the announced leader ${leaderUrl} is one of the two instances`)
    const survivor = registries.find((r) => r !== leader)!
    const faultAt = Date.now()
    await leader.service.stop('SIGKILL')
    let last = ''
    const tookOver = await waitUntil(
      async () => {
        const r = await register(survivor.port, 'chaos-takeover', chaosSchema(500))
        last = `${r.status} ${r.body.slice(0, 200)}`
        if (r.id !== undefined) registered.set(r.id, JSON.stringify(chaosSchema(500)))
        return r.id !== undefined
      },
      RECOVERY_TIMEOUT_MS,
      1000,
    )
    const registryRecoveredAt = Date.now()
    assert.ok(tookOver, `registration through the survivor: ${last}\n${survivor.service.output()}`)
    assert.equal(await announcedLeader(kafka), `http://127.0.0.1:${survivor.port}`, 'the survivor leads')
    // Ids stable: every earlier id means the same schema, and registering an earlier schema answers its id.
    for (const [id, schema] of registered) assert.equal(await schemaById(survivor.port, id), schema, `id ${id}`)
    const again = await register(survivor.port, 'chaos-0', chaosSchema(0))
    const firstId = [...registered].find(([, schema]) => schema === JSON.stringify(chaosSchema(0)))![0]
    assert.equal(again.id, firstId, 're-registering an earlier schema answers its id')
    t.diagnostic(
      `registry: registration through the survivor works ${((registryRecoveredAt - faultAt) / 1000).toFixed(1)} s after the kill`,
    )
    leader.service.start()
    await untilUp(`http://127.0.0.1:${leader.port}/subjects`, leader.service)
    await checkRecovery(t, 'SIGKILL registry leader', faultAt, registryRecoveredAt)
  })

  it('an analytics worker is SIGKILLed mid-window and restarted', async (t) => {
    const victim = workers[0]!
    const faultAt = Date.now()
    assert.equal(await victim.service.stop('SIGKILL'), 'SIGKILL')
    victim.service.start()
    await untilUp(`http://127.0.0.1:${victim.port}/ready`, victim.service, RECOVERY_TIMEOUT_MS)
    await checkRecovery(t, 'SIGKILL analytics worker, restart', faultAt, Date.now())
  })

  it('the whole Kafka cluster is restarted', async (t) => {
    const faultAt = Date.now()
    const { downMs } = await restartWholeCluster()
    t.diagnostic(`all three brokers stopped in ${(downMs / 1000).toFixed(1)} s, started again`)
    await checkRecovery(t, 'restart the whole cluster', faultAt, Date.now())
    // Nothing valid was dead-lettered or judged late along the way: no committed record in either topic (their end
    // offsets also count transaction markers and the records of aborted transactions, which are not outputs).
    const committed = async (topic: string): Promise<string[]> => {
      const admin = kafka.admin()
      const [description] = await admin.describeTopics([topic])
      await admin.close()
      const tail = new TopicTail(kafka, topic, description?.partitions.length ?? 1)
      await tail.poll()
      return tail.records.map(
        (r) => `${r.partition}@${r.offset} from ${r.headers[LATE_HEADER]?.toString() ?? '?'}: ${String(r.value)}`,
      )
    }
    const [dlq, late] = [await committed(TOPICS.deadLetter), await committed(`${APP_ID}-late`)]
    assert.deepEqual({ dlq: dlq.slice(0, 5), late: late.slice(0, 5) }, { dlq: [], late: [] })
    for (const { service, port } of workers) {
      assert.equal((await getText(port, '/ready')).status, 200, `${service.name} ready: ${service.output()}`)
    }
  })
})
