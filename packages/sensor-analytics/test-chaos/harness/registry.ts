/** Talking to the two registry instances of the chaos suite over HTTP, and finding the elected leader. */
import type { KafkaClient } from '@isobar/core'

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json'

export const chaosSchema = (n: number): object => ({
  type: 'object',
  properties: { [`field${n}`]: { type: 'string' } },
})

export async function register(
  port: number,
  subject: string,
  schema: object,
): Promise<{ status: number; id?: number; body: string }> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/subjects/${subject}/versions`, {
      method: 'POST',
      headers: { 'content-type': CONTENT_TYPE },
      body: JSON.stringify({ schemaType: 'JSON', schema: JSON.stringify(schema) }),
      signal: AbortSignal.timeout(10_000),
    })
    const body = await response.text()
    const id = response.ok ? (JSON.parse(body) as { id: number }).id : undefined
    return { status: response.status, ...(id === undefined ? {} : { id }), body }
  } catch (error) {
    return { status: 0, body: String(error) }
  }
}

export async function schemaById(port: number, id: number): Promise<string | undefined> {
  const response = await fetch(`http://127.0.0.1:${port}/schemas/ids/${id}`, { signal: AbortSignal.timeout(10_000) })
  return response.ok ? (JSON.parse(await response.text()) as { schema: string }).schema : undefined
}

/** The URL the elected leader announced last on `_schemas_leader`, or undefined. */
export async function announcedLeader(kafka: KafkaClient): Promise<string | undefined> {
  const admin = kafka.admin()
  try {
    const { records } = await admin.readRecords({
      topic: '_schemas_leader',
      partition: 0,
      from: 'latest',
      limit: 1,
      timeoutMs: 10_000,
    })
    const value = records.at(-1)?.value
    return value ? (JSON.parse(value.toString('utf8')) as { url?: string }).url : undefined
  } catch {
    return undefined
  } finally {
    await admin.close()
  }
}
