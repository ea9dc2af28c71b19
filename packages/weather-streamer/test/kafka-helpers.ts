import type { TestContext } from 'node:test'
import type { ConsumedRecord } from '@isobar/core'
import { testKafkaClient, uniqueTopicName } from '@isobar/testing'

/** Unique observation + dead-letter topic names, deleted when the test ends (the streamer creates them). */
export function weatherTopics(t: Pick<TestContext, 'after'>): { observations: string; deadLetter: string } {
  const names = { observations: uniqueTopicName('weather-obs'), deadLetter: uniqueTopicName('weather-dlq') }
  t.after(async () => {
    const admin = testKafkaClient().admin()
    await admin.deleteTopics([names.observations, names.deadLetter]).catch(() => undefined)
    await admin.close()
  })
  return names
}

/** Every record of a topic, all partitions, read with plain fetches. */
export async function readAll(topic: string): Promise<ConsumedRecord[]> {
  const admin = testKafkaClient().admin()
  try {
    const records: ConsumedRecord[] = []
    for (const p of await admin.listOffsets(topic)) {
      let offset = p.earliest
      while (offset < p.latest) {
        const batch = await admin.readRecords({ topic, partition: p.partition, from: { offset }, limit: 5000 })
        records.push(...batch.records)
        if (batch.nextOffset <= offset) break
        offset = batch.nextOffset
      }
    }
    return records
  } finally {
    await admin.close()
  }
}

/** A unique alerts topic name, deleted when the test ends (the streamer creates it). */
export function alertsTopic(t: Pick<TestContext, 'after'>): string {
  const name = uniqueTopicName('weather-alerts')
  t.after(async () => {
    const admin = testKafkaClient().admin()
    await admin.deleteTopics([name]).catch(() => undefined)
    await admin.close()
  })
  return name
}
