import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type {
  ConsumedRecord,
  Consumer,
  ConsumerOptions,
  GroupJoin,
  GroupMetadata,
  KafkaClient,
  ProducerRecord,
} from '@isobar/core'
import { AssignmentNotActiveError, StreamRunner } from '../src/index.ts'
import { sensorTopology } from './fixtures/sensor-topology.ts'
import { eventually } from './kafka-helpers.ts'

// Pure unit tests at the runner's seams: a fake group member whose joins the test drives, a fake transactional
// producer that records what each commit carried. The real-broker behaviour is covered by runner.int.test.ts.

const names = { applicationId: 'app', input: 'in', output: 'out', changelog: 'cl' }

class FakeConsumer implements Consumer {
  readonly options: ConsumerOptions
  generation = 0
  join: GroupJoin | undefined
  readonly #queue: ConsumedRecord[] = []
  #wake: (() => void) | undefined
  closed = false

  constructor(options: ConsumerOptions) {
    this.options = options
  }

  /** A completed join: the client's view changes; `deliver` false models a callback that never reaches the runner. */
  joined(generationId: number, partitions: number[], deliver = true): void {
    this.generation = generationId
    const assigned = partitions.map((partition) => ({ topic: names.input, partition }))
    this.join = { generationId, assigned }
    if (deliver) this.options.onAssignment?.(assigned, generationId)
  }

  push(partition: number, offset: number): void {
    const value = Buffer.from(JSON.stringify({ ts: 1_000 + offset, v: 1 }))
    this.#queue.push({
      topic: names.input,
      partition,
      offset: BigInt(offset),
      timestamp: 0,
      key: Buffer.from('k'),
      value,
      headers: {},
    })
    this.#wake?.()
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ConsumedRecord> {
    while (!this.closed) {
      const record = this.#queue.shift()
      if (record) yield record
      else await new Promise<void>((resolve) => (this.#wake = resolve))
    }
  }

  commit(): Promise<void> {
    return Promise.resolve()
  }
  groupMetadata(): GroupMetadata | null {
    return this.generation === 0 ? null : { groupId: names.applicationId, memberId: 'm', generationId: this.generation }
  }
  assignment(): Array<{ topic: string; partition: number }> {
    return this.join?.assigned ?? []
  }
  lastJoin(): GroupJoin | undefined {
    return this.join
  }
  close(): Promise<void> {
    this.closed = true
    this.#wake?.()
    return Promise.resolve()
  }
}

interface CommittedOffsets {
  generationId: number | undefined
  partitions: number[]
}

function fakeKafka() {
  const consumers: FakeConsumer[] = []
  const committed: CommittedOffsets[] = []
  const kafka = {
    name: 'fake',
    consumer: (options: ConsumerOptions) => {
      const consumer = new FakeConsumer(options)
      consumers.push(consumer)
      return consumer
    },
    transactionalProducer: ({ transactionalId }: { transactionalId: string }) => ({
      transactionalId,
      initTransactions: () => Promise.resolve(),
      close: () => Promise.resolve(),
      beginTransaction: () => {
        let offsets: CommittedOffsets | undefined
        return Promise.resolve({
          send: (records: ProducerRecord[]) => Promise.resolve(records.map(() => ({ partition: 0, offset: 0n }))),
          sendOffsets: (_c: Consumer, records: Array<{ partition: number }>, metadata?: GroupMetadata) => {
            offsets = { generationId: metadata?.generationId, partitions: records.map((r) => r.partition) }
            return Promise.resolve()
          },
          commit: () => {
            if (offsets) committed.push(offsets)
            return Promise.resolve()
          },
          abort: () => Promise.resolve(),
        })
      },
    }),
    admin: () => ({ groupOffsets: () => Promise.resolve([]), close: () => Promise.resolve() }),
    readCommitted: () => Promise.resolve({ nextOffset: 0n }),
  } as unknown as KafkaClient
  return { kafka, consumers, committed }
}

function runner(kafka: KafkaClient, errors: unknown[], assignmentGraceMs = 60_000) {
  return new StreamRunner({
    kafka,
    topology: sensorTopology(names),
    guarantee: 'exactly-once',
    instanceId: 'i1',
    commitIntervalMs: 20,
    tickIntervalMs: 20,
    assignmentGraceMs,
    onError: (error) => errors.push(error),
  })
}

const firstConsumer = async (consumers: FakeConsumer[]): Promise<FakeConsumer> => {
  await eventually(
    () => Promise.resolve(consumers.length),
    (n) => n > 0,
  )
  return consumers[0]!
}

describe('StreamRunner assignments (exactly-once, classic protocol)', () => {
  it('a member whose assignment never reached the runner warns once and rejoins instead of stalling silently', async () => {
    const { kafka, consumers } = fakeKafka()
    const errors: unknown[] = []
    const r = runner(kafka, errors, 300)
    await r.start()
    try {
      const first = await firstConsumer(consumers)
      // The group gave this member partition 0, but the callback was lost (or ignored as stale, with no later one).
      first.joined(1, [0], false)
      // Without the watchdog the runner sat here with 0 active tasks forever, logging nothing.
      await eventually(
        () => Promise.resolve(consumers.length),
        (n) => n > 1,
        10_000,
      )
      assert.equal(first.closed, true, 'the stalled consumer left')
      assert.equal(errors.length, 1)
      assert.ok(errors[0] instanceof AssignmentNotActiveError, String(errors[0]))
      assert.match((errors[0] as Error).message, /Assigned partitions \[0\] \(generation 1\) but active tasks \[\]/)
      const second = consumers[1]!
      second.joined(2, [0])
      const stats = await eventually(
        () => Promise.resolve(r.stats()),
        (s) => s.activeTasks === 1,
      )
      assert.equal(stats.activeTasks, 1)
      assert.equal(errors.length, 1, 'one warning')
    } finally {
      await r.stop()
    }
  })

  it('an assignment is labelled with the generation of its own join, not the one the client is joining next', async () => {
    const { kafka, consumers, committed } = fakeKafka()
    const errors: unknown[] = []
    const r = runner(kafka, errors)
    await r.start()
    try {
      const consumer = await firstConsumer(consumers)
      // Generation 1 gives this member partitions 0 and 1; before the runner gets to that callback (it waits for
      // the lock) the next rebalance's JoinGroup answer moves the client to generation 2, whose SyncGroup (still
      // pending) gives partition 1 to another member. Work on partition 1 must not commit under generation 2.
      consumer.joined(1, [0, 1])
      consumer.generation = 2
      consumer.push(1, 0)
      await eventually(
        () => Promise.resolve(errors.length + committed.length),
        (n) => n > 0,
      )
      assert.equal(
        committed.some((c) => c.generationId === 2 && c.partitions.includes(1)),
        false,
        `partition 1 committed under generation 2: ${JSON.stringify(committed)}`,
      )
      assert.match(String(errors[0]), /rebalanced/)
    } finally {
      await r.stop()
    }
  })

  it('a new generation that leaves the partitions as they were keeps the tasks and commits under it', async () => {
    const { kafka, consumers, committed } = fakeKafka()
    const errors: unknown[] = []
    const r = runner(kafka, errors)
    await r.start()
    try {
      const consumer = await firstConsumer(consumers)
      consumer.joined(1, [0])
      consumer.push(0, 0)
      await eventually(
        () => Promise.resolve(committed.length),
        (n) => n > 0,
      )
      consumer.joined(2, [0])
      consumer.push(0, 1)
      await eventually(
        () => Promise.resolve(committed.length),
        (n) => n > 1,
      )
      assert.deepEqual(committed, [
        { generationId: 1, partitions: [0] },
        { generationId: 2, partitions: [0] },
      ])
      assert.deepEqual(errors, [])
      assert.equal(r.stats().rebuilds, 0)
    } finally {
      await r.stop()
    }
  })
})
