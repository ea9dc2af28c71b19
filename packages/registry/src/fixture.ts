/**
 * An in-process registry on topics of its own (`@isobar/registry/fixture`), for tests and benchmarks that share a
 * broker: a unique `_schemas` topic, leader topic and election group, all deleted again on close.
 */
import { randomUUID } from 'node:crypto'
import { startRegistry, type RunningRegistry, type StartRegistryOptions } from './server.ts'

export interface RegistryFixture {
  readonly running: RunningRegistry
  readonly url: string
  /** The schemas topic, then the leader topic. */
  readonly topics: readonly [string, string]
  /** Stops the registry and deletes its topics (best effort: a broker already gone is not an error here). */
  close(): Promise<void>
}

export async function startRegistryFixture(
  options: Omit<StartRegistryOptions, 'topic' | 'leaderTopic' | 'groupId'> & { prefix?: string },
): Promise<RegistryFixture> {
  const { prefix = 'schemas', ...rest } = options
  const topic = `${prefix}-${randomUUID().slice(0, 8)}`
  const leaderTopic = `${topic}-leader`
  const running = await startRegistry({ port: 0, host: '127.0.0.1', ...rest, topic, leaderTopic, groupId: leaderTopic })
  return {
    running,
    url: running.url,
    topics: [topic, leaderTopic],
    async close() {
      await running.close()
      const admin = options.kafka.admin()
      await admin.deleteTopics([topic, leaderTopic]).catch(() => undefined)
      await admin.close()
    },
  }
}
