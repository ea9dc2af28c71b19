import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Registry } from 'prom-client'
import type { GroupDescription, PartitionLag } from '../../src/kafka/types.ts'
import type { Logger } from '../../src/logger.ts'
import { registerLagMetrics } from '../../src/lag/metrics.ts'
import { LagMonitor, type LagMonitorTimers } from '../../src/lag/monitor.ts'

function row(topic: string, partition: number, committed: number, latest: number): PartitionLag {
  const lag = BigInt(Math.max(0, latest - committed))
  return {
    topic,
    partition,
    committedOffset: BigInt(committed),
    earliestOffset: 0n,
    latestOffset: BigInt(latest),
    lag,
    lagSeconds: lag === 0n ? 0 : 12.5,
    nextRecordTimestamp: null,
  }
}

/** An admin answering from a script: each groupLag call takes the next answer (an Error is thrown). */
function scriptedAdmin(answers: Array<PartitionLag[] | Error>, members: number) {
  let calls = 0
  return {
    get calls() {
      return calls
    },
    groupLag(): Promise<PartitionLag[]> {
      const answer = answers[Math.min(calls++, answers.length - 1)]
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer ?? [])
    },
    describeGroup(groupId: string): Promise<GroupDescription> {
      const member = { memberId: 'm', instanceId: null, clientId: 'c', clientHost: 'h', assignment: [] }
      const description = { groupId, type: 'consumer', state: 'Stable', protocol: 'uniform' }
      return Promise.resolve({ ...description, members: Array<typeof member>(members).fill(member) })
    },
  }
}

function manualTimers() {
  const pending = new Map<number, () => void>()
  let next = 0
  const timers: LagMonitorTimers & { pending: typeof pending; fire(): void } = {
    pending,
    setTimeout(callback) {
      pending.set(++next, callback)
      return next
    },
    clearTimeout(handle) {
      pending.delete(handle as number)
    },
    fire() {
      const callbacks = [...pending.values()]
      pending.clear()
      for (const callback of callbacks) callback()
    },
  }
  return timers
}

test('LagMonitor keeps a bounded window per partition and judges it (STALL with members)', async () => {
  const admin = scriptedAdmin(
    [
      [row('t', 1, 5, 9), row('t', 0, 0, 10)],
      [row('t', 0, 0, 12), row('t', 1, 9, 9)],
      [row('t', 0, 0, 15), row('t', 1, 9, 11)],
      [row('t', 0, 0, 16), row('t', 1, 9, 11)],
    ],
    1,
  )
  let now = 0
  const monitor = new LagMonitor({ admin, groups: ['g'], windowSize: 3, now: () => (now += 1000) })
  for (let i = 0; i < 4; i++) await monitor.sampleOnce()
  const [group] = monitor.snapshot()
  assert.equal(group?.status, 'STALL')
  assert.equal(group?.activeMembers, 1)
  assert.deepEqual(
    group?.partitions.map((p) => [p.partition, p.status, p.lag]),
    [
      [0, 'STALL', 16n],
      // Partition 1 was caught up in a sample still inside the window.
      [1, 'OK', 2n],
    ],
  )
  assert.equal(group?.partitions[0]?.lagSeconds, 12.5)
  assert.match(group?.partitions[0]?.reason ?? '', /3 samples over 2\.0 s/)
})

test('LagMonitor counts and logs a failing sample, keeps the previous window, and never throws', async () => {
  const warnings: unknown[] = []
  const logger = { warn: (obj: unknown) => warnings.push(obj) } as unknown as Logger
  const admin = scriptedAdmin([[row('t', 0, 3, 8)], new Error('broker gone'), [row('t', 0, 3, 9)]], 0)
  const monitor = new LagMonitor({ admin, groups: ['g'], logger })
  await monitor.sampleOnce()
  await monitor.sampleOnce()
  let [group] = monitor.snapshot()
  assert.equal(monitor.failures, 1)
  assert.equal(group?.lastError, 'broker gone')
  assert.equal(group?.partitions[0]?.lag, 5n)
  assert.equal(warnings.length, 1)
  await monitor.sampleOnce()
  ;[group] = monitor.snapshot()
  assert.equal(group?.lastError, null)
  assert.equal(group?.status, 'STOP')
})

test('LagMonitor start/stop: samples at once, reschedules after each round, stop clears the timer', async () => {
  const timers = manualTimers()
  const admin = scriptedAdmin([[row('t', 0, 1, 1)]], 1)
  const monitor = new LagMonitor({ admin, groups: ['g', 'g'], intervalMs: 50, timers })
  assert.deepEqual(monitor.groups, ['g'])
  monitor.start()
  monitor.start()
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(admin.calls, 1)
  assert.equal(timers.pending.size, 1)
  timers.fire()
  await new Promise((resolve) => setImmediate(resolve))
  assert.equal(admin.calls, 2)
  await monitor.stop()
  assert.equal(timers.pending.size, 0)
  assert.equal(monitor.snapshot()[0]?.status, 'OK')
})

test('LagMonitor rejects a window below one sample', () => {
  assert.throws(() => new LagMonitor({ admin: scriptedAdmin([], 0), groups: [], windowSize: 0 }), RangeError)
})

test('registerLagMetrics exposes fresh values at scrape time, dropping partitions that went away', async () => {
  const admin = scriptedAdmin([[row('t', 0, 2, 9), row('t', 1, 4, 4)], [row('t', 1, 4, 4)], new Error('x')], 0)
  const monitor = new LagMonitor({ admin, groups: ['g'] })
  const registry = new Registry()
  registerLagMetrics(registry, monitor)
  await monitor.sampleOnce()
  let text = await registry.metrics()
  assert.match(text, /isobar_consumer_lag_records\{group="g",topic="t",partition="0"\} 7/)
  assert.match(text, /isobar_consumer_lag_seconds\{group="g",topic="t",partition="0"\} 12\.5/)
  assert.match(text, /isobar_consumer_lag_status\{group="g",topic="t",partition="0"\} 3/)
  assert.match(text, /isobar_consumer_lag_status\{group="g",topic="t",partition="1"\} 0/)
  assert.match(text, /isobar_consumer_group_status\{group="g"\} 3/)
  assert.match(text, /isobar_consumer_lag_sample_failures_total\{group="g"\} 0/)
  await monitor.sampleOnce()
  await monitor.sampleOnce()
  text = await registry.metrics()
  assert.doesNotMatch(text, /partition="0"/)
  assert.match(text, /isobar_consumer_group_status\{group="g"\} 0/)
  assert.match(text, /isobar_consumer_lag_sample_failures_total\{group="g"\} 1/)
  // Scraping twice does not count a failure twice.
  assert.match(await registry.metrics(), /isobar_consumer_lag_sample_failures_total\{group="g"\} 1/)
})

test('a stuck group that never committed is not OK, also while its members come and go (issue #10)', async () => {
  let members = 1
  let latest = 100
  const never = (): PartitionLag => ({ ...row('t', 0, 0, latest), committedOffset: null, lag: null, lagSeconds: null })
  const admin = {
    groupLag: (): Promise<PartitionLag[]> => Promise.resolve(members > 0 ? [never()] : []),
    describeGroup: (groupId: string): Promise<GroupDescription> =>
      Promise.resolve({
        groupId,
        type: 'classic',
        state: members > 0 ? 'Stable' : 'Empty',
        protocol: 'range',
        members: Array.from({ length: members }, () => ({
          memberId: 'm',
          instanceId: null,
          clientId: 'c',
          clientHost: 'h',
          assignment: [{ topic: 't', partitions: [0] }],
        })),
      }),
  }
  const monitor = new LagMonitor({ admin, groups: ['g'] })
  await monitor.sampleOnce()
  assert.equal(monitor.snapshot()[0]!.status, 'WARN', 'assigned, records waiting, never committed')
  latest = 150
  await monitor.sampleOnce()
  assert.equal(monitor.snapshot()[0]!.status, 'STALL')
  // The stage restarts: no members, so no rows; the partition is kept and judged without members.
  members = 0
  await monitor.sampleOnce()
  const [group] = monitor.snapshot()
  assert.equal(group!.status, 'STOP')
  assert.equal(group!.partitions.length, 1)
  assert.match(group!.partitions[0]!.reason, /never committed/)
})
