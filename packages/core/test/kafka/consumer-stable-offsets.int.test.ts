/**
 * KIP-447: a member whose offsets go into transactions starts a partition from a *stable* committed offset. When it
 * takes a partition over while the previous owner's transaction with offsets for it is still open (or writing its
 * markers), it must wait for that transaction: read the offset from before it, and once the transaction commits,
 * its input is processed a second time (a window emitted twice by two exactly-once instances). @platformatic/kafka
 * 2.12.1 fetches committed offsets with requireStable false; core waits for stable offsets first.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ConsumedRecord } from '@isobar/core'
import { createTestTopic, testKafkaClient, uniqueTopicName } from '@isobar/testing'

describe('integration consumer stable offsets', () => {
  it('a member taking a partition over starts after the previous owner’s transaction, once it commits', async (t) => {
    const topic = await createTestTopic(t, { prefix: 'stable-offsets' })
    const kafka = testKafkaClient()
    const seed = kafka.producer()
    await seed.send(Array.from({ length: 10 }, (_, i) => ({ topic, value: Buffer.from(`r${i}`) })))
    await seed.close()
    const groupId = uniqueTopicName('stable-offsets')
    const options = { groupId, topics: [topic], from: 'earliest' as const, autocommitMs: false as const }
    const producer = kafka.transactionalProducer({ transactionalId: uniqueTopicName('stable-offsets') })
    try {
      // The first owner processes r0..r4 and puts "next is 5" into a transaction it has not committed yet.
      const first = kafka.consumer({ ...options, transactionalOffsets: true })
      const processed: ConsumedRecord[] = []
      for await (const record of first) {
        processed.push(record)
        if (processed.length === 5) break
      }
      const transaction = await producer.beginTransaction()
      await transaction.sendOffsets(first, [processed.at(-1)!])
      await first.close()

      // The next owner joins while that transaction is open; it commits 1.5 s after the partition was assigned.
      let committing: Promise<void> | undefined
      const next = kafka.consumer({
        ...options,
        transactionalOffsets: true,
        onAssignment: (assigned) => {
          if (assigned.length === 0 || committing) return
          committing = new Promise((resolve) => setTimeout(resolve, 1500)).then(() => transaction.commit())
        },
      })
      let start: bigint | undefined
      try {
        for await (const record of next) {
          start = record.offset
          break
        }
      } finally {
        await next.close()
      }
      await committing
      assert.equal(start, 5n, 'the next owner starts where the committed transaction put the group, not before it')
    } finally {
      await producer.close()
    }
  })
})
