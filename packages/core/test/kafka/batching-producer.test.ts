import assert from 'node:assert/strict'
import { test } from 'node:test'
import { BatchingProducer } from '../../src/kafka/batching-producer.ts'
import type { DeliveryReport, Producer, ProducerRecord } from '../../src/kafka/types.ts'

/** A producer whose sends stay pending until the test settles them. */
class ManualProducer implements Producer {
  readonly sends: Array<{
    records: ProducerRecord[]
    resolve: (r: DeliveryReport[]) => void
    reject: (e: Error) => void
  }> = []
  send(records: ProducerRecord[]): Promise<DeliveryReport[]> {
    return new Promise((resolve, reject) => this.sends.push({ records, resolve, reject }))
  }
  async close(): Promise<void> {}
}

const record = (i: number): ProducerRecord => ({ topic: 't', key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`) })

test('full batches go out at once and back-pressure starts at maxInFlight', async () => {
  const manual = new ManualProducer()
  const batching = new BatchingProducer(manual, { maxRecords: 2, maxBytes: 1 << 20, lingerMs: 60_000, maxInFlight: 2 })
  assert.equal(batching.produce(record(1)), true)
  assert.equal(batching.produce(record(2)), true, 'first batch dispatched, 1 in flight')
  batching.produce(record(3))
  assert.equal(batching.produce(record(4)), false, 'second batch dispatched, limit reached')
  assert.equal(manual.sends.length, 2)
  assert.deepEqual(
    manual.sends[0]!.records.map((r) => r.value?.toString()),
    ['v1', 'v2'],
  )
  let ready = false
  const readyPromise = batching.ready().then(() => (ready = true))
  await Promise.resolve()
  assert.equal(ready, false)
  manual.sends[0]!.resolve([{ topic: 't', partition: 0, baseOffset: 0n }])
  await readyPromise
  assert.equal(batching.stats.acknowledged, 2)
})

test('flush sends a partial batch and waits for every acknowledgement; failures reach each callback', async () => {
  const manual = new ManualProducer()
  const batching = new BatchingProducer(manual, {
    maxRecords: 100,
    maxBytes: 1 << 20,
    lingerMs: 60_000,
    maxInFlight: 4,
  })
  const errors: Array<Error | null> = []
  for (let i = 0; i < 3; i++) batching.produce(record(i), (error) => errors.push(error))
  let flushed = false
  const flushing = batching.flush().then(() => (flushed = true))
  assert.equal(manual.sends.length, 1)
  await Promise.resolve()
  assert.equal(flushed, false)
  manual.sends[0]!.reject(new Error('broker said no'))
  await flushing
  assert.deepEqual(
    errors.map((e) => e?.message),
    ['broker said no', 'broker said no', 'broker said no'],
  )
  assert.deepEqual(batching.stats, { sent: 3, acknowledged: 0, failed: 3, batches: 1 })
})

test('linger sends a partial batch without flush, once lingerMs has passed and not before', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] })
  const manual = new ManualProducer()
  const batching = new BatchingProducer(manual, { maxRecords: 100, maxBytes: 1 << 20, lingerMs: 5, maxInFlight: 1 })
  batching.produce(record(1))
  assert.equal(manual.sends.length, 0)
  t.mock.timers.tick(4)
  assert.equal(manual.sends.length, 0, 'still lingering at 4 ms')
  t.mock.timers.tick(1)
  assert.equal(manual.sends.length, 1)
  assert.deepEqual(
    manual.sends[0]!.records.map((r) => r.value?.toString()),
    ['v1'],
  )
})
