/**
 * Minimal reproduction: does a READ_COMMITTED @platformatic/kafka consumer skip records of an aborted transaction?
 * Usage: node test/repro/read-committed-repro.ts <bootstrap>. Not part of the library.
 */
import { randomUUID } from 'node:crypto'
import { Admin, Consumer, FetchIsolationLevels, MessagesStreamModes, Producer, type Message } from '@platformatic/kafka'

const bootstrap = process.argv[2] ?? '127.0.0.1:9092'
const topic = `repro-rc-${randomUUID().slice(0, 8)}`
const base = { clientId: 'repro', bootstrapBrokers: [bootstrap], retries: 2 }
const admin = new Admin(base)
await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 })
const producer = new Producer({
  ...base,
  idempotent: true,
  transactionalId: `repro-rc-${randomUUID()}`,
  autocreateTopics: false,
})
const aborted = await producer.beginTransaction()
await aborted.send({
  messages: [
    { topic, value: Buffer.from('aborted-1') },
    { topic, value: Buffer.from('aborted-2') },
  ],
})
await aborted.abort()
const committed = await producer.beginTransaction()
await committed.send({ messages: [{ topic, value: Buffer.from('committed-1') }] })
await committed.commit()
await producer.close()

const consumer = new Consumer({
  ...base,
  groupId: `repro-rc-${randomUUID()}`,
  isolationLevel: FetchIsolationLevels.READ_COMMITTED,
})
const stream = await consumer.consume({ topics: [topic], mode: MessagesStreamModes.EARLIEST, autocommit: false })
const seen: string[] = []
const timer = setTimeout(() => void stream.close(), 5000)
for await (const m of stream as AsyncIterable<Message>) {
  seen.push(String(m.value))
  if (seen.includes('committed-1')) break
}
clearTimeout(timer)
console.log('read_committed consumer delivered:', seen.join(', '))
console.log(
  seen.some((v) => v.startsWith('aborted')) ? 'BUG: aborted records delivered' : 'OK: aborted records skipped',
)
await stream.close()
await consumer.close(true)
await admin.deleteTopics({ topics: [topic] })
await admin.close()
