import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { ConsumedRecord, KafkaClient } from '@isobar/core'
import { createTestTopic, testKafkaClient, uniqueTopicName } from '@isobar/testing'
import { eventually } from './kafka-helpers.ts'

// The @isobar/core transaction surface the runner relies on, against the real broker.

async function readAll(kafka: KafkaClient, topic: string): Promise<{ values: string[]; nextOffset: bigint }> {
  const values: string[] = []
  const { nextOffset } = await kafka.readCommitted({
    topic,
    partition: 0,
    onRecords: (records) => values.push(...records.map((r) => String(r.value))),
  })
  return { values, nextOffset }
}

async function firstRecord(consumer: AsyncIterable<ConsumedRecord>): Promise<ConsumedRecord> {
  for await (const record of consumer) return record
  throw new Error('no record')
}

describe('transactions (@isobar/core on @platformatic/kafka)', () => {
  it('readCommitted skips aborted transactions and reads to the end', { timeout: 30_000 }, async (t) => {
    const topic = await createTestTopic(t, { prefix: 'txn-read' })
    const kafka = testKafkaClient()
    const producer = kafka.transactionalProducer({ transactionalId: uniqueTopicName('txn') })
    const plain = kafka.producer()
    try {
      const aborted = await producer.beginTransaction()
      await aborted.send([
        { topic, value: Buffer.from('aborted-1') },
        { topic, value: Buffer.from('aborted-2') },
      ])
      await aborted.abort()
      await plain.send([{ topic, value: Buffer.from('plain') }])
      const committed = await producer.beginTransaction()
      await committed.send([{ topic, value: Buffer.from('committed') }])
      await committed.commit()
    } finally {
      await producer.close()
      await plain.close()
    }
    const admin = kafka.admin()
    const [end] = await admin.listOffsets(topic)
    await admin.close()
    const { values, nextOffset } = await eventually(
      () => readAll(kafka, topic),
      (r) => r.nextOffset === end!.latest,
    )
    assert.deepEqual(values, ['plain', 'committed'])
    assert.equal(nextOffset, end!.latest)
  })

  it(
    'a restarted producer with the same transactional id fences the old one and aborts its transaction',
    { timeout: 30_000 },
    async (t) => {
      const topic = await createTestTopic(t, { prefix: 'txn-fence' })
      const kafka = testKafkaClient()
      const transactionalId = uniqueTopicName('txn-fence')
      const zombie = kafka.transactionalProducer({ transactionalId })
      const successor = kafka.transactionalProducer({ transactionalId })
      try {
        const open = await zombie.beginTransaction()
        await open.send([{ topic, value: Buffer.from('zombie') }])
        await successor.initTransactions()
        await assert.rejects(open.commit())
        const next = await successor.beginTransaction()
        await next.send([{ topic, value: Buffer.from('successor') }])
        await next.commit()
      } finally {
        await zombie.close().catch(() => undefined)
        await successor.close()
      }
      const read = await eventually(
        () => readAll(kafka, topic),
        (r) => r.values.length > 0,
      )
      assert.deepEqual(read.values, ['successor'])
    },
  )

  it(
    'sendOffsets commits a classic group member’s position atomically with the output',
    { timeout: 30_000 },
    async (t) => {
      const input = await createTestTopic(t, { prefix: 'txn-in' })
      const output = await createTestTopic(t, { prefix: 'txn-out' })
      const kafka = testKafkaClient()
      const seed = kafka.producer()
      await seed.send([{ topic: input, value: Buffer.from('x') }])
      await seed.close()
      const groupId = uniqueTopicName('txn-group')
      const consumer = kafka.consumer({
        groupId,
        topics: [input],
        from: 'earliest',
        autocommitMs: false,
        groupProtocol: 'classic',
      })
      const producer = kafka.transactionalProducer({ transactionalId: uniqueTopicName('txn') })
      const admin = kafka.admin()
      try {
        const record = await firstRecord(consumer)
        const transaction = await producer.beginTransaction()
        await transaction.send([{ topic: output, value: Buffer.from('derived') }])
        await transaction.sendOffsets(consumer, [record])
        await transaction.commit()
        // EndTxn returns before the coordinator has written the markers: poll, bounded.
        const offsets = await eventually(
          () => admin.groupOffsets(groupId),
          (o) => o.length > 0,
        )
        assert.deepEqual(offsets, [{ topic: input, partition: 0, offset: 1n }])
        const read = await eventually(
          () => readAll(kafka, output),
          (r) => r.values.length > 0,
        )
        assert.deepEqual(read.values, ['derived'])
      } finally {
        await consumer.close()
        await producer.close()
        await admin.close()
      }
    },
  )

  it(
    'known client bug: a KIP-848 member’s transactional offset commit is refused (ILLEGAL_GENERATION)',
    { timeout: 30_000 },
    async (t) => {
      // @platformatic/kafka 2.12.1 sends generation 0 instead of the member epoch. When this starts passing the
      // commit, the client is fixed: core's TRANSACTIONAL_GROUP_PROTOCOL (platformatic/consumer.ts) can become 'consumer'.
      const input = await createTestTopic(t, { prefix: 'txn-848' })
      const kafka = testKafkaClient()
      const seed = kafka.producer()
      await seed.send([{ topic: input, value: Buffer.from('x') }])
      await seed.close()
      const consumer = kafka.consumer({
        groupId: uniqueTopicName('txn-848'),
        topics: [input],
        from: 'earliest',
        autocommitMs: false,
      })
      const producer = kafka.transactionalProducer({ transactionalId: uniqueTopicName('txn') })
      try {
        const record = await firstRecord(consumer)
        const transaction = await producer.beginTransaction()
        await assert.rejects(
          transaction.sendOffsets(consumer, [record]),
          /ILLEGAL_GENERATION|generation id is not valid/i,
        )
        await transaction.abort()
      } finally {
        await consumer.close()
        await producer.close()
      }
    },
  )
})
