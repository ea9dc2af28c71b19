/**
 * A read_committed group consumer never hands out records of aborted transactions — also when one producer aborted
 * several transactions (a transactional producer keeps its producer id across its transactions and restarts, so
 * an exactly-once stage that aborts twice does exactly this) and they come back in one fetch. @platformatic/kafka
 * 2.12.1 filters one aborted range per producer id (the last listed) and lets the earlier ones through; Sensor
 * Analytics' stages 2 and 3 then counted panes of stage 1's aborted transactions.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createTestTopic, testKafkaClient, uniqueTopicName } from '@isobar/testing'

describe('integration consumer read_committed', () => {
  it('skips every aborted transaction of one producer, not only its last', { timeout: 60_000 }, async (t) => {
    const topic = await createTestTopic(t, { prefix: 'consumer-aborted' })
    const kafka = testKafkaClient()
    const producer = kafka.transactionalProducer({ transactionalId: uniqueTopicName('consumer-aborted') })
    try {
      for (const [name, commit] of [
        ['first', true],
        ['aborted-a', false],
        ['between', true],
        ['aborted-b', false],
        ['aborted-c', false],
        ['last', true],
      ] as const) {
        const transaction = await producer.beginTransaction()
        await transaction.send([
          { topic, value: Buffer.from(`${name}-1`) },
          { topic, value: Buffer.from(`${name}-2`) },
        ])
        await (commit ? transaction.commit() : transaction.abort())
      }
    } finally {
      await producer.close()
    }
    const consumer = kafka.consumer({
      groupId: uniqueTopicName('consumer-aborted'),
      topics: [topic],
      from: 'earliest',
      autocommitMs: false,
    })
    const values: string[] = []
    try {
      for await (const record of consumer) {
        values.push(record.value!.toString())
        if (values.at(-1) === 'last-2') break
      }
    } finally {
      await consumer.close()
    }
    assert.deepEqual(values, ['first-1', 'first-2', 'between-1', 'between-2', 'last-1', 'last-2'])
  })
})
