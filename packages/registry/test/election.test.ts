/**
 * The election's own logic against a fake client (consumers whose iteration the test ends or fails, a producer
 * whose sends the test controls). The broker-backed behaviour is covered by kafka/registry-on-kafka.int.test.ts
 * and the chaos suite; these pin what a broker restart used to break: a member whose consumer failed kept
 * claiming leadership forever, and an instance led before (or without) its announcement being in the log.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { ConsumedRecord, ConsumerOptions, KafkaClient, ProducerRecord } from '@isobar/core'
import { KafkaLeaderElection } from '../src/election.ts'

const TOPIC = '_schemas_leader'
const URL_A = 'http://127.0.0.1:18081'

class FakeConsumer implements AsyncIterable<ConsumedRecord> {
  readonly options: ConsumerOptions
  closed = false
  readonly #queue: ConsumedRecord[] = []
  #wake: (() => void) | undefined
  #error: Error | undefined

  constructor(options: ConsumerOptions) {
    this.options = options
  }

  push(record: ConsumedRecord): void {
    this.#queue.push(record)
    this.#wake?.()
  }

  /** Ends the iteration with an error, as the client does when a broker restart exhausts its retries. */
  fail(error: Error): void {
    this.#error = error
    this.#wake?.()
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ConsumedRecord> {
    for (;;) {
      const next = this.#queue.shift()
      if (next) {
        yield next
        continue
      }
      if (this.#error) throw this.#error
      if (this.closed) return
      await new Promise<void>((resolve) => (this.#wake = resolve))
    }
  }

  commit(): Promise<void> {
    return Promise.resolve()
  }
  groupMetadata(): null {
    return null
  }
  assignment(): Array<{ topic: string; partition: number }> {
    return []
  }
  close(): Promise<void> {
    this.closed = true
    this.#wake?.()
    return Promise.resolve()
  }
}

class FakeKafka {
  readonly consumers: FakeConsumer[] = []
  readonly log: ProducerRecord[] = []
  /** The next sends fail with this error while it is set. */
  failSends: Error | undefined
  /** Sends wait for this gate when set. */
  gate: Promise<void> | undefined

  get members(): FakeConsumer[] {
    return this.consumers.filter((c) => c.options.groupId !== undefined)
  }
  get watchers(): FakeConsumer[] {
    return this.consumers.filter((c) => c.options.groupId === undefined)
  }

  client(): KafkaClient {
    const client = {
      admin: () => ({
        listTopics: () => Promise.resolve([TOPIC]),
        createTopics: () => Promise.resolve(),
        close: () => Promise.resolve(),
      }),
      consumer: (options: ConsumerOptions) => {
        const consumer = new FakeConsumer(options)
        this.consumers.push(consumer)
        // A new watcher reads the topic from the start.
        if (options.groupId === undefined) this.log.forEach((r, i) => consumer.push(this.#consumed(r, i)))
        return consumer
      },
      producer: () => ({
        send: async (records: ProducerRecord[]) => {
          await this.gate
          if (this.failSends) throw this.failSends
          for (const r of records) {
            this.log.push(r)
            for (const w of this.watchers) if (!w.closed) w.push(this.#consumed(r, this.log.length - 1))
          }
          return records.map((r, i) => ({ topic: r.topic, partition: 0, baseOffset: BigInt(this.log.length - i) }))
        },
        close: () => Promise.resolve(),
      }),
    }
    return client as unknown as KafkaClient
  }

  announcements(): string[] {
    return this.log.map((r) => (JSON.parse(r.value!.toString('utf8')) as { url: string }).url)
  }

  #consumed(r: ProducerRecord, offset: number): ConsumedRecord {
    return {
      topic: r.topic,
      partition: 0,
      offset: BigInt(offset),
      timestamp: 0,
      key: r.key ?? null,
      value: r.value ?? null,
      headers: {},
    }
  }
}

async function until(what: string, condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
  assert.ok(condition(), what)
}

const assign = (member: FakeConsumer, owns: boolean): void =>
  member.options.onAssignment?.(owns ? [{ topic: TOPIC, partition: 0 }] : [])

describe('unit registry leader election', () => {
  test('a member whose consumer fails steps down and joins again; a failed watcher is restarted', async () => {
    const kafka = new FakeKafka()
    const errors: unknown[] = []
    const election = new KafkaLeaderElection({
      client: kafka.client(),
      instanceUrl: URL_A,
      retryDelayMs: 5,
      onError: (error) => errors.push(error),
    })
    await election.start()
    try {
      await until('one member and one watcher', () => kafka.members.length === 1 && kafka.watchers.length === 1)
      assign(kafka.members[0]!, true)
      await until('leads', () => election.isLeader())
      assert.deepEqual(kafka.announcements(), [URL_A])

      kafka.members[0]!.fail(new Error('fetch failed 6 times.'))
      await until('a new member joins', () => kafka.members.length === 2)
      assert.equal(election.isLeader(), false, 'stepped down: its partition may already be another member’s')
      assert.ok(kafka.members[0]!.closed, 'the failed member was closed (it leaves the group)')
      // An assignment reaching the failed member late is not taken for the new one's.
      assign(kafka.members[0]!, true)
      await new Promise((resolve) => setTimeout(resolve, 30))
      assert.equal(election.isLeader(), false)

      assign(kafka.members[1]!, true)
      await until('leads again', () => election.isLeader())
      assert.deepEqual(kafka.announcements(), [URL_A, URL_A])

      kafka.watchers[0]!.fail(new Error('fetch failed 6 times.'))
      await until('a new watcher tails the topic', () => kafka.watchers.length === 2)
      assert.equal(errors.length, 2, 'each failure reported once')
    } finally {
      await election.close()
    }
  })

  test('an instance leads only once its announcement is in the log; a failed announcement is retried', async () => {
    const kafka = new FakeKafka()
    let openGate: () => void = () => undefined
    kafka.gate = new Promise((resolve) => (openGate = resolve))
    kafka.failSends = new Error('NOT_LEADER_OR_FOLLOWER')
    const errors: unknown[] = []
    const election = new KafkaLeaderElection({
      client: kafka.client(),
      instanceUrl: URL_A,
      retryDelayMs: 5,
      onError: (error) => errors.push(error),
    })
    await election.start()
    try {
      await until('one member', () => kafka.members.length === 1)
      assign(kafka.members[0]!, true)
      await new Promise((resolve) => setTimeout(resolve, 30))
      assert.equal(election.isLeader(), false, 'not leading while the announcement is not written')
      assert.equal(election.leaderUrl(), undefined)
      openGate()
      await until('the failed announcement was reported', () => errors.length > 0)
      assert.equal(election.isLeader(), false, 'not leading after a failed announcement')
      kafka.failSends = undefined
      await until('leads once the announcement is written', () => election.isLeader())
      assert.deepEqual(kafka.announcements(), [URL_A])
      assert.equal(election.leaderUrl(), URL_A)
    } finally {
      await election.close()
    }
  })
})
