/**
 * Isobar's producer across a partition leader that goes away (`npm run test:chaos`, on a 3-node cluster). One send carries records for two partitions led by the same broker; the broker is paused past its
 * session timeout, so the two partitions get DIFFERENT new leaders. The send must complete once they have.
 * @platformatic/kafka 2.12.1 retried such a request as a whole to the new leader of its first partition, which
 * refused the other partition until the delivery timeout ran out (scripts/patch-dependencies.js).
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createKafkaClient, parseKafkaConfig, type KafkaClient } from '@isobar/core'
import { ChaosCluster } from './harness/cluster.ts'

const TOPIC = 'failover.readings'
// Its own cluster (ports 30900–30905), so it can run beside the chaos suite's.
const cluster = new ChaosCluster('failover', 30900)

let kafka: KafkaClient

describe('a producer across a paused partition leader', () => {
  before(async () => {
    const { bootstrapServers } = await cluster.start()
    kafka = createKafkaClient(
      parseKafkaConfig({
        bootstrapServers: bootstrapServers.split(','),
        clientId: 'failover',
        requestTimeoutMs: 10_000,
      }),
    )
  })

  after(async () => {
    await cluster.stop()
  })

  it('a send whose partitions move to different new leaders completes', async () => {
    const admin = kafka.admin()
    let plan: { broker: number; partitions: [number, number] }
    try {
      const [a, b, c] = (await admin.describeCluster()).brokers.map((broker) => broker.nodeId)
      assert.ok(a !== undefined && b !== undefined && c !== undefined, 'three brokers')
      // Both partitions led by a; when a goes, partition 0 moves to b and partition 1 to c.
      await admin.createTopics([
        {
          name: TOPIC,
          replicaAssignment: [
            [a, b, c],
            [a, c, b],
          ],
          configs: { 'min.insync.replicas': '2' },
        },
      ])
      const [description] = await admin.describeTopics([TOPIC])
      assert.deepEqual(
        description?.partitions.map((p) => p.leader),
        [a, a],
        'both partitions led by their first replica',
      )
      plan = { broker: a, partitions: [0, 1] }
    } finally {
      await admin.close()
    }

    // The delivery timeout bounds the test: without the fix the send fails when it runs out.
    const producer = kafka.producer({ idempotent: true, deliveryTimeoutMs: 90_000 })
    try {
      const record = (partition: number, n: number) => ({
        topic: TOPIC,
        partition,
        key: Buffer.from(`k${partition}`),
        value: Buffer.from(`record ${n} for partition ${partition}`),
      })
      // Connections and metadata in place before the fault, as for a producer that has been running.
      await producer.send(plan.partitions.map((p) => record(p, 0)))
      const pid = await cluster.nodePid(plan.broker)
      process.kill(pid, 'SIGSTOP')
      let sent: Promise<unknown>
      try {
        sent = producer.send(plan.partitions.map((p) => record(p, 1)))
        sent.catch(() => undefined)
        // Past the broker session timeout (6 s): the controller fences the broker and moves its partitions.
        await new Promise((resolve) => setTimeout(resolve, 15_000))
      } finally {
        process.kill(pid, 'SIGCONT')
      }
      const reports = (await sent) as Array<{ partition: number }>
      assert.deepEqual(reports.map((r) => r.partition).sort(), [...plan.partitions].sort())
    } finally {
      await producer.close()
    }
    for (const partition of plan.partitions) {
      const values: string[] = []
      await kafka.readCommitted({
        topic: TOPIC,
        partition,
        timeoutMs: 60_000,
        onRecords: (records) => values.push(...records.map((r) => r.value!.toString())),
      })
      assert.deepEqual(values, [`record 0 for partition ${partition}`, `record 1 for partition ${partition}`])
    }
  })
})
