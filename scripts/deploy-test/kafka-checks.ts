/** What the deployment test asks Kafka through the brokers' published ports (127.0.0.1 only). */
import { createKafkaClient, kafkaConfigFromEnv, type Admin, type KafkaClient } from '@isobar/core'

export function externalClient(ports: readonly number[]): KafkaClient {
  const config = kafkaConfigFromEnv(
    { KAFKA_BOOTSTRAP_SERVERS: ports.map((port) => `127.0.0.1:${port}`).join(',') },
    { clientId: 'isobar-deploy-test' },
  )
  return createKafkaClient(config)
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Polls `probe` until it returns a value or the deadline passes; the last error explains a timeout. */
export async function pollUntil<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value !== undefined) return value
    } catch (error) {
      lastError = error
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${Math.round(timeoutMs / 1000)} s (last error: ${String(lastError)})`)
    }
    await sleep(2000)
  }
}

/** Per partition, the offset after the last record. */
export async function endOffsets(admin: Admin, topic: string): Promise<Map<number, bigint>> {
  return new Map((await admin.listOffsets(topic)).map((p) => [p.partition, p.latest]))
}

/**
 * Records written after `since` (end offsets taken earlier): their count, and the first one's decoded value.
 * Aggregates are in the registry wire format: magic byte 0, a 4-byte schema id, then the JSON document.
 */
export async function recordsSince(
  admin: Admin,
  topic: string,
  since: ReadonlyMap<number, bigint>,
): Promise<{ count: number; sample: Record<string, unknown> | undefined }> {
  let count = 0
  let sample: Record<string, unknown> | undefined
  for (const [partition, latest] of await endOffsets(admin, topic)) {
    const from = since.get(partition) ?? 0n
    if (latest <= from) continue
    count += Number(latest - from)
    if (sample === undefined) {
      const { records } = await admin.readRecords({ topic, partition, from: { offset: from }, limit: 1 })
      const value = records[0]?.value
      if (value !== undefined && value !== null && value[0] === 0) {
        sample = JSON.parse(value.subarray(5).toString('utf8')) as Record<string, unknown>
      }
    }
  }
  return { count, sample }
}

/** Every record value of a topic, read partition by partition from the log start to the end. */
export async function readAllValues(admin: Admin, topic: string): Promise<string[]> {
  const values: string[] = []
  for (const [partition, latest] of await endOffsets(admin, topic)) {
    let from: { offset: bigint } | 'earliest' = 'earliest'
    for (;;) {
      const result = await admin.readRecords({ topic, partition, from, limit: 5000, timeoutMs: 30_000 })
      for (const record of result.records) values.push(record.value?.toString('utf8') ?? '')
      if (result.nextOffset >= latest || result.records.length === 0) break
      from = { offset: result.nextOffset }
    }
  }
  return values
}
