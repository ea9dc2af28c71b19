/**
 * Reading a dead-letter topic for `isobar dlq`: every committed record of every partition (bounded), each described
 * from its `isobar.dlq.*` headers: reason, code, where it came from, the original size and SHA-256, whether the
 * value was cut to fit, and the value itself (decoded when it can be).
 */
import { DLQ_HEADERS, displayBytes, displayText, sha256Hex, type ConsumedRecord, type KafkaClient } from '@isobar/core'
import type { ValueDecoder } from './value-decoder.ts'

export interface DeadLetterView {
  partition: number
  offset: string
  timestamp: number
  code: string | null
  reason: string | null
  stage: string | null
  source: { topic: string | null; partition: number | null; offset: string | null }
  /** Bytes of the original value (from the header; else the value's own length). */
  size: number
  sha256: string
  /** 'value' (cut to fit) or 'reference' (no value) when the dead letter does not carry the whole original. */
  truncated: string | null
  schemaId: number | null
  key: string | null
  /** The value: decoded JSON when it is JSON (framed or not), else UTF-8 text, else base64. */
  value: unknown
  valueEncoding: 'json' | 'utf8' | 'base64' | 'null'
}

/** Reads up to `max` committed records of the topic, partition by partition, in offset order. */
export async function readDeadLetters(
  client: KafkaClient,
  topic: string,
  options: { max: number; timeoutMs: number },
): Promise<ConsumedRecord[]> {
  const admin = client.admin()
  const [description] = await admin.describeTopics([topic]).finally(() => admin.close())
  const records: ConsumedRecord[] = []
  for (const { partition } of [...(description?.partitions ?? [])].sort((a, b) => a.partition - b.partition)) {
    if (records.length >= options.max) break
    await client.readCommitted({
      topic,
      partition,
      timeoutMs: options.timeoutMs,
      onRecords: (chunk) => records.push(...chunk.slice(0, Math.max(0, options.max - records.length))),
    })
  }
  return records
}

function header(record: ConsumedRecord, name: keyof typeof DLQ_HEADERS): string | null {
  return record.headers[DLQ_HEADERS[name]]?.toString('utf8') ?? null
}

function int(text: string | null): number | null {
  return text !== null && /^\d+$/.test(text) ? Number(text) : null
}

export async function describeDeadLetter(record: ConsumedRecord, decoder?: ValueDecoder): Promise<DeadLetterView> {
  const decoded = decoder ? await decoder.decode(record.value, record.topic) : undefined
  return {
    partition: record.partition,
    offset: record.offset.toString(),
    timestamp: record.timestamp,
    code: header(record, 'errorCode'),
    reason: header(record, 'errorMessage'),
    stage: header(record, 'stage'),
    source: {
      topic: header(record, 'originalTopic'),
      partition: int(header(record, 'originalPartition')),
      offset: header(record, 'originalOffset'),
    },
    size: int(header(record, 'originalSize')) ?? record.value?.length ?? 0,
    sha256: header(record, 'originalSha256') ?? sha256Hex(record.value),
    truncated: header(record, 'truncated'),
    schemaId: decoded?.schemaId ?? int(header(record, 'schemaId')),
    key: record.key === null ? null : (displayText(record.key) ?? record.key.toString('base64')),
    ...(decoded ? { value: decoded.value, valueEncoding: 'json' as const } : plainValue(record.value)),
  }
}

function plainValue(value: Buffer | null): Pick<DeadLetterView, 'value' | 'valueEncoding'> {
  if (value === null) return { value: null, valueEncoding: 'null' }
  // Core's display rule, as the console shows values: JSON, else UTF-8 text, else base64.
  const shown = displayBytes(value)
  return { value: shown.data, valueEncoding: shown.format === 'text' ? 'utf8' : shown.format }
}

/** One line: where, why, from where, how big; the value shortened. */
export function deadLetterLine(view: DeadLetterView): string {
  const from = `${view.source.topic ?? '?'}/${view.source.partition ?? '?'}@${view.source.offset ?? '?'}`
  const cut = view.truncated ? ` truncated=${view.truncated}` : ''
  const value =
    view.valueEncoding === 'null'
      ? 'NULL'
      : view.valueEncoding === 'json'
        ? JSON.stringify(view.value)
        : `${view.valueEncoding}:${String(view.value)}`
  const shown = value.length > 120 ? `${value.slice(0, 117)}...` : value
  return (
    `p${view.partition} @${view.offset} ${view.code ?? 'NO_CODE'} from ${from} ${view.size} B ` +
    `sha256=${view.sha256.slice(0, 12)}${cut} reason="${view.reason ?? ''}" ${shown}`
  )
}
