/**
 * Minimal reproduction: a second @platformatic/kafka producer with the same transactionalId (a restarted process)
 * cannot initialise. InitProducerId v5 goes out with producerId 0 / epoch 0 instead of -1 / -1 ("no current
 * producer"), which the broker reads as an epoch-bump request from a producer it never issued, answering
 * PRODUCER_FENCED. Passing producerId -1n / producerEpoch -1 works.
 * Usage: node test/repro/txn-reinit-repro.ts <bootstrap>. Not part of the library.
 */
import { randomUUID } from 'node:crypto'
import { Admin, Producer } from '@platformatic/kafka'

const bootstrap = process.argv[2] ?? '127.0.0.1:9092'
const topic = `repro-reinit-${randomUUID().slice(0, 8)}`
const base = { clientId: 'repro', bootstrapBrokers: [bootstrap], retries: 1, autocreateTopics: false }
const admin = new Admin(base)
await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 })

async function attempt(label: string, extra: Record<string, unknown>): Promise<void> {
  const transactionalId = `repro-reinit-${randomUUID()}`
  const first = new Producer({ ...base, idempotent: true, transactionalId, ...extra })
  const tx = await first.beginTransaction()
  await tx.send({ messages: [{ topic, value: Buffer.from('left open') }] })
  // The first process dies here with its transaction open; a restarted one uses the same transactionalId.
  const second = new Producer({ ...base, idempotent: true, transactionalId, ...extra })
  try {
    const tx2 = await second.beginTransaction()
    await tx2.send({ messages: [{ topic, value: Buffer.from('after restart') }] })
    await tx2.commit()
    console.log(`${label}: restarted producer initialised and committed`)
  } catch (error) {
    const e = error as Error & { errors?: Error[] }
    console.log(`${label}: FAILED: ${e.message} ${(e.errors ?? []).map((x) => x.message).join('; ')}`)
  }
  await first.close(true).catch(() => undefined)
  await second.close(true).catch(() => undefined)
}

await attempt('defaults (producerId 0, epoch 0)', {})
await attempt('producerId -1n, producerEpoch -1', { producerId: -1n, producerEpoch: -1 })
await admin.deleteTopics({ topics: [topic] })
await admin.close()
