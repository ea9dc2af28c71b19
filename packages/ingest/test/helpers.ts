/** Shared setup of the ingest tests: an in-memory registry with the readings schema, topics, reading back. */
import type { TestContext } from 'node:test'
import { JsonSerde, SchemaRegistryClient, type ConsumedRecord } from '@isobar/core'
import { MemorySchemaLog, Registry, buildRegistryApp } from '@isobar/registry'
import { latestSchema } from '@isobar/schemas'
import { createTestTopic, testKafkaClient } from '@isobar/testing'

export interface IngestFixture {
  registryUrl: string
  readings: string
  deadLetter: string
  schemaId: number
  serde: JsonSerde
}

export async function ingestFixture(t: TestContext, partitions = 3): Promise<IngestFixture> {
  const registry = new Registry(new MemorySchemaLog(), { timeoutMs: 2000 })
  await registry.start()
  const app = buildRegistryApp({ registry })
  const registryUrl = await app.listen({ port: 0, host: '127.0.0.1' })
  t.after(() => app.close())
  const readings = await createTestTopic(t, { prefix: 'ingest-readings', partitions })
  const deadLetter = await createTestTopic(t, { prefix: 'ingest-dlq' })
  const serde = new JsonSerde({ registry: new SchemaRegistryClient({ url: registryUrl }) })
  const { schemaId } = await serde.prepare(`${readings}-value`, latestSchema('sensors.readings'))
  return { registryUrl, readings, deadLetter, schemaId, serde }
}

/** Reads every partition of `topic` until `atLeast` records are there (bounded poll), then returns them all. */
export async function readTopic(topic: string, atLeast: number, timeoutMs = 120_000): Promise<ConsumedRecord[]> {
  const admin = testKafkaClient().admin()
  try {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const records: ConsumedRecord[] = []
      const [description] = await admin.describeTopics([topic])
      for (const { partition } of description?.partitions ?? []) {
        let from: { offset: bigint } | 'earliest' = 'earliest'
        for (;;) {
          const result = await admin.readRecords({ topic, partition, from, limit: 5000, timeoutMs: 10_000 })
          records.push(...result.records)
          if (result.records.length === 0 || result.nextOffset >= result.latestOffset) break
          from = { offset: result.nextOffset }
        }
      }
      if (records.length >= atLeast || Date.now() > deadline) return records
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
  } finally {
    await admin.close()
  }
}

export function reading(sensorId: string, sequence: number, extra: Record<string, unknown> = {}): object {
  return { sensorId, sequence, eventTimeMs: Date.now(), temperatureC: 20 + (sequence % 10) / 10, ...extra }
}
