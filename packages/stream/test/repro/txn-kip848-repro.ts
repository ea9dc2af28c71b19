/**
 * Minimal reproduction: @platformatic/kafka transactional offset commit (TxnOffsetCommit v4) from a KIP-848
 * ('consumer' protocol) group member. Usage: node test/repro/txn-kip848-repro.ts <bootstrap> [consumer|classic]
 * Prints what the broker answered. Not part of the library.
 */
import { randomUUID } from 'node:crypto'
import { Admin, Consumer, MessagesStreamModes, Producer, type Message } from '@platformatic/kafka'

const bootstrap = process.argv[2] ?? '127.0.0.1:9092'
const protocol = (process.argv[3] ?? 'consumer') as 'consumer' | 'classic'
const topic = `repro-${randomUUID().slice(0, 8)}`
const groupId = `repro-group-${randomUUID().slice(0, 8)}`
const base = { clientId: 'repro', bootstrapBrokers: [bootstrap], retries: 2 }

const admin = new Admin(base)
await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 })
const seed = new Producer({ ...base, autocreateTopics: false })
await seed.send({ messages: [{ topic, value: Buffer.from('x') }] })
await seed.close()

const consumer = new Consumer({ ...base, groupId, groupProtocol: protocol })
const stream = await consumer.consume({ topics: [topic], mode: MessagesStreamModes.EARLIEST, autocommit: false })
let message: Message | undefined
for await (const m of stream as AsyncIterable<Message>) {
  message = m
  break
}
console.log('protocol', protocol, 'message metadata', JSON.stringify(message!.metadata))
const producer = new Producer({
  ...base,
  idempotent: true,
  transactionalId: `repro-tx-${randomUUID()}`,
  autocreateTopics: false,
})
const tx = await producer.beginTransaction()
try {
  await tx.send({ messages: [{ topic, value: Buffer.from('out') }] })
  await tx.addConsumer(consumer)
  await tx.addOffset(message!)
  await tx.commit()
  const committed = await admin.listConsumerGroupOffsets({ groups: [groupId] })
  console.log(
    'commit OK; group offsets:',
    JSON.stringify(committed, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
  )
} catch (error) {
  const e = error as Error & { errors?: Array<Error & { apiCode?: number; apiId?: string }> }
  console.log('FAILED:', e.message)
  for (const inner of e.errors ?? []) console.log('  cause:', inner.message, inner.apiId ?? '', inner.apiCode ?? '')
  await tx.abort().catch((abortError: Error) => console.log('abort failed:', abortError.message))
}
await stream.close()
await consumer.close(true)
await producer.close()
await admin.deleteTopics({ topics: [topic] })
await admin.close()
