import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { EventEmitter } from 'node:events'
import { test } from 'node:test'
import type { ConsumedRecord } from '@isobar/core'
import { createTestTopic, testKafkaClient } from '@isobar/testing'

test('an error event of the client (a group rejoin that failed) ends the iteration with a retriable error, not the process', async (t) => {
  const topic = await createTestTopic(t, { partitions: 1, prefix: 'consumer-error' })
  const client = testKafkaClient()
  const producer = client.producer()
  await producer.send([{ topic, value: Buffer.from('one') }])
  await producer.close()
  const consumer = client.consumer({ groupId: `consumer-error-${randomUUID()}`, topics: [topic], from: 'earliest' })
  try {
    const iterator = (consumer as AsyncIterable<ConsumedRecord>)[Symbol.asyncIterator]()
    const first = await iterator.next()
    assert.ok(first.done !== true)
    assert.equal(first.value.value?.toString(), 'one')
    // What @platformatic/kafka does when the rejoin after a failed heartbeat fails: an 'error' event. Without a
    // listener, emit() throws here (in a service: an uncaught exception that exits the process).
    const native = (consumer as unknown as { native: EventEmitter }).native
    native.emit('error', new Error('Connection closed'))
    await assert.rejects(iterator.next(), (error: unknown) => {
      assert.ok(error instanceof Error)
      assert.equal(error.name, 'KafkaRequestError')
      assert.match(error.message, /Consumer group membership failed: .*Connection closed/)
      assert.equal((error as Error & { retriable?: boolean }).retriable, true)
      return true
    })
  } finally {
    await consumer.close()
  }
})
